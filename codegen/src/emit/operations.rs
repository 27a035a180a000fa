//! `operations.rs` (per operation: input, output, error enum and the `Operation` impl) and `client.rs`.

use super::types::{builder, struct_def};
use super::{doc_attrs, Ctx, EmitError};
use crate::ir::{Kind, Operation, Shape};
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// A stand-in for an operation that has no input or output shape: an empty structure.
fn empty_shape(name: String) -> Shape {
    Shape {
        name,
        doc: String::new(),
        sensitive: false,
        kind: Kind::Structure {
            members: Vec::new(),
            exception: false,
        },
    }
}

pub fn emit_operations(ctx: &Ctx<'_>) -> Result<TokenStream, EmitError> {
    let ops = ctx
        .operations
        .iter()
        .map(|op| emit_operation(ctx, op))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(quote! {
        //! Each operation's input, output and error types, and how the runtime performs it.
        use lean_aws_runtime::protocol::json::{DecodeError, JsonWriter, Value};
        use lean_aws_runtime::ErrorMetadata;
        #(#ops)*
    })
}

/// `fn host_prefix` for an operation with the endpoint trait: the prefix, with each `{label}` replaced by the input
/// member of that name (which the model marks `hostLabel`; the validators check its value).
fn host_prefix(ctx: &Ctx<'_>, op: &Operation, input: &Shape) -> Result<Option<TokenStream>, EmitError> {
    let Some(prefix) = &op.host_prefix else {
        return Ok(None);
    };
    let err = |what: String| EmitError(format!("operation {}: host prefix {prefix:?}: {what}", op.name));
    let Kind::Structure { members, .. } = &input.kind else {
        return Err(err("the input is not a structure".into()));
    };
    let mut pieces = Vec::new();
    let mut labels = false;
    let mut rest = prefix.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| err("a `{` is not closed".into()))?
            + open;
        if open > 0 {
            let text = &rest[..open];
            pieces.push(quote!(#text));
        }
        let label = &rest[open + 1..close];
        let member = members
            .iter()
            .find(|m| m.name == label && m.host_label)
            .ok_or_else(|| err(format!("{label} is not an input member marked hostLabel")))?;
        if !matches!(ctx.shape(&member.target).kind, Kind::String { .. }) {
            return Err(err(format!("{label} is not a string")));
        }
        let field = names::ident(&names::field_name(label));
        labels = true;
        pieces.push(if ctx.is_required(input, member) {
            quote!(input.#field.as_str())
        } else {
            quote!(input.#field.as_deref().unwrap_or_default())
        });
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return Err(err("a `}` is not opened".into()));
    }
    if !rest.is_empty() {
        pieces.push(quote!(#rest));
    }
    let body = if labels {
        quote!(Some([#(#pieces),*].concat()))
    } else {
        quote! {
            let _ = input;
            Some(String::from(#prefix))
        }
    };
    Ok(Some(quote! {
        fn host_prefix(input: &Self::Input) -> Option<String> {
            #body
        }
    }))
}

fn emit_operation(ctx: &Ctx<'_>, op: &Operation) -> Result<TokenStream, EmitError> {
    let marker = format_ident!("{}", names::operation_name(&op.name));
    let input = format_ident!("{}", names::input_name(&op.name));
    let output = format_ident!("{}", names::output_name(&op.name));
    let error = format_ident!("{}", names::error_name(&op.name));
    let name = &op.name;

    let input_shape = op
        .input
        .as_ref()
        .map_or_else(|| empty_shape(input.to_string()), |s| ctx.shape(s).clone());
    let input_def = struct_def(ctx, &input_shape, &input, false);
    let host_prefix = host_prefix(ctx, op, &input_shape)?;
    let encodings = &op.request_compression;
    let compression = (!encodings.is_empty())
        .then(|| quote!(const REQUEST_COMPRESSION: &'static [&'static str] = &[#(#encodings),*];));
    let input_builder = builder(ctx, &input_shape, &input);
    let output_shape = op
        .output
        .as_ref()
        .map_or_else(|| empty_shape(output.to_string()), |s| ctx.shape(s).clone());
    let output_def = struct_def(ctx, &output_shape, &output, true);

    let ser = match &op.input {
        Some(shape) => {
            let f = format_ident!("{}", names::fn_name("ser", shape));
            quote!(super::serde::#f(input, out))
        }
        None => quote! {
            let _ = input;
            out.begin_object();
            out.end_object();
        },
    };
    let de_output = match &op.output {
        Some(shape) => {
            let f = format_ident!("{}", names::fn_name("de", shape));
            quote! {
                let mut output = super::serde::#f(body)?;
                output.request_id = request_id;
                Ok(output)
            }
        }
        None => quote! {
            let _ = body;
            Ok(#output { request_id })
        },
    };

    let variants: Vec<_> = op
        .errors
        .iter()
        .map(|e| format_ident!("{}", names::type_name(e)))
        .collect();
    let error_paths: Vec<_> = op.errors.iter().map(|e| ctx.type_path(e)).collect();
    let error_fns: Vec<_> = op
        .errors
        .iter()
        .map(|e| format_ident!("{}", names::fn_name("de", e)))
        .collect();
    let variant_docs: Vec<String> = op
        .errors
        .iter()
        .map(|e| {
            let t = names::type_name(e);
            format!(" The modelled error [`{t}`](super::types::{t}).")
        })
        .collect();
    let codes: Vec<&str> = op.errors.iter().map(String::as_str).collect();
    let error_doc = format!(" The ways `{name}` can fail on the service side.");
    let op_doc = doc_attrs(&op.doc);
    let deserialize_error = if op.errors.is_empty() {
        quote! {
            let _ = body;
            #error::Unhandled(lean_aws_runtime::UnhandledError { meta })
        }
    } else {
        quote! {
            let _ = body;
            match meta.code.as_deref() {
                #(Some(#codes) => match super::serde::#error_fns(body, meta.clone()) {
                    Ok(e) => #error::#variants(e),
                    Err(_) => #error::Unhandled(lean_aws_runtime::UnhandledError { meta }),
                },)*
                _ => #error::Unhandled(lean_aws_runtime::UnhandledError { meta }),
            }
        }
    };

    Ok(quote! {
        #input_def
        #input_builder
        #output_def

        #[doc = #error_doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #error {
            #(#[doc = #variant_docs] #variants(#error_paths),)*
            /// An error the model does not list for this operation, or a response that is not a modelled error.
            Unhandled(lean_aws_runtime::UnhandledError),
        }

        impl #error {
            /// Code, message, request id and HTTP status.
            pub fn meta(&self) -> &ErrorMetadata {
                match self {
                    #(Self::#variants(e) => &e.meta,)*
                    Self::Unhandled(e) => &e.meta,
                }
            }
            /// The error code, e.g. `InvalidRequestException`.
            pub fn code(&self) -> Option<&str> {
                self.meta().code.as_deref()
            }
            /// The service's message.
            pub fn message(&self) -> Option<&str> {
                self.meta().message.as_deref()
            }
            /// The request id.
            pub fn request_id(&self) -> Option<&str> {
                self.meta().request_id.as_deref()
            }
        }

        impl std::fmt::Display for #error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(self.meta(), f)
            }
        }

        impl std::error::Error for #error {}

        #op_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #marker;

        impl lean_aws_runtime::Operation for #marker {
            const NAME: &'static str = #name;
            type Input = #input;
            type Output = #output;
            type Error = #error;

            fn serialize(input: &#input, out: &mut JsonWriter) {
                #ser
            }

            fn deserialize_output(body: &Value, request_id: Option<String>) -> Result<#output, DecodeError> {
                #de_output
            }

            fn deserialize_error(body: &Value, meta: ErrorMetadata) -> #error {
                #deserialize_error
            }

            #compression
            #host_prefix
        }
    })
}

pub fn emit_client(ctx: &Ctx<'_>) -> TokenStream {
    let methods = ctx.operations.iter().map(|op| {
        let method = names::ident(&names::method_name(&op.name));
        let marker = format_ident!("{}", names::operation_name(&op.name));
        let input = format_ident!("{}", names::input_name(&op.name));
        let output = format_ident!("{}", names::output_name(&op.name));
        let error = format_ident!("{}", names::error_name(&op.name));
        let doc = doc_attrs(&op.doc);
        let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #doc
            #[allow(deprecated)]
            #deprecated
            pub async fn #method(
                &self,
                input: super::operations::#input,
            ) -> Result<super::operations::#output, lean_aws_runtime::SdkError<super::operations::#error>> {
                self.runtime.invoke::<super::operations::#marker>(&input).await
            }
        }
    });
    quote! {
        //! The client: one method per operation.

        /// A client for the service. Cheap to clone; clones share configuration and connections.
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: lean_aws_runtime::Client,
        }

        impl Client {
            /// A client with `config`; settings it leaves unset come from the environment.
            pub fn new(config: lean_aws_runtime::Config) -> Self {
                Client { runtime: lean_aws_runtime::Client::new(&super::service::SERVICE, config) }
            }

            /// A client configured entirely from the environment.
            pub fn from_env() -> Self {
                Self::new(lean_aws_runtime::Config::default())
            }

            #(#methods)*
        }
    }
}
