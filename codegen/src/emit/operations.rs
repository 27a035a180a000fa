//! `operations/`: one file per operation, holding everything of it (input and builder, output, error enum,
//! marker type and `Operation` impl, validation, the client method and any paginator or waiter methods) and the
//! shapes only it uses; `operations/mod.rs` declares them, each gated once, and re-exports their types.
//!
//! In server mode a file holds the input and output with builders, the error enum of the modelled errors, the
//! validation and the `serve` function that the dispatch calls; no marker type or client methods.

use super::layout::Home;
use super::shapes::{builder, shape_chunks, struct_def};
use super::{crate_error, doc_attrs, file, paginators, validate, Chunk, Ctx, EmitError};
use crate::ir::{Kind, Operation, Shape};
use crate::names;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// `operations/mod.rs` and one file per operation.
pub fn emit(ctx: &Ctx<'_>) -> Result<Vec<(String, TokenStream)>, EmitError> {
    let mut files = Vec::new();
    let mut declarations = Vec::new();
    for op in &ctx.operations {
        let module = format_ident!("{}", names::module_name(&op.name));
        let exported: Vec<Ident> = if ctx.server {
            vec![
                names::input_name(&op.name),
                names::builder_name(&names::input_name(&op.name)),
                names::output_name(&op.name),
                names::builder_name(&names::output_name(&op.name)),
                names::error_name(&op.name),
            ]
        } else {
            Vec::new()
        }
        .iter()
        .map(|n| format_ident!("{n}"))
        .collect();
        let items = if ctx.server {
            quote! {
                pub(crate) mod #module;
                pub use #module::{#(#exported),*};
            }
        } else {
            let doc = format!(" `{}`: its input, output, error, builders and any paginator.", op.name);
            quote! {
                #[doc = #doc]
                pub mod #module;
            }
        };
        declarations.push(ctx.gate(&BTreeSet::from([op.name.clone()]), &BTreeSet::new(), items));
        let tree = names::operations_module(ctx.server);
        files.push((format!("{tree}/{module}.rs"), operation_file(ctx, op)?));
    }
    let mod_rs = if ctx.server {
        quote! {
            //! The operations: for each, its input, output (both with builders) and error types. The handler's
            //! methods take and return these.
            #(#declarations)*
        }
    } else {
        quote! {
            //! The operations, a module each: its input, output and error types, their builders and the fluent
            //! builder that `client.<operation>()` returns, the marker type that tells the runtime how to perform it,
            //! and any paginator.
            pub use lean_aws_runtime::error::RequestId;
            #(#declarations)*
        }
    };
    let tree = names::operations_module(ctx.server);
    files.insert(0, (format!("{tree}/mod.rs"), mod_rs));
    Ok(files)
}

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
        error_status: None,
    }
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
        pieces.push(if ctx.bare(input, member) {
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

/// The variants of an operation's error enum, one per modelled error: names, types and docs.
fn error_variants(ctx: &Ctx<'_>, op: &Operation) -> (Vec<Ident>, Vec<TokenStream>, Vec<String>) {
    let variants = op
        .errors
        .iter()
        .map(|e| format_ident!("{}", names::type_name(e)))
        .collect();
    let paths = op.errors.iter().map(|e| ctx.type_path(e)).collect();
    let docs = op
        .errors
        .iter()
        .map(|e| {
            let t = names::type_name(e);
            // The label is not a path: where the file imports `types`, a path label would make the target redundant.
            format!(
                " The modelled error `{e}` ([its shape]({}::types::{t})).",
                ctx.root_path
            )
        })
        .collect();
    (variants, paths, docs)
}

/// The operation's error enum: a variant per modelled error and one for anything else.
fn error_enum(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let error = format_ident!("{}", names::error_name(&op.name));
    let unhandled = format_ident!("{}", names::UNHANDLED_VARIANT);
    let meta = format_ident!("{}", names::ERROR_META_FIELD);
    let (variants, paths, docs) = error_variants(ctx, op);
    let doc = format!(" The ways `{}` can fail on the service side.", op.name);
    // A modelled error is the service's answer: it has no source.
    let modelled_have_none = (!op.errors.is_empty()).then(|| quote!(_ => None,));
    let check_names = op.errors.iter().map(|e| names::ident(&names::error_check_name(e)));
    let check_docs = op.errors.iter().map(|e| format!(" Whether this is `{e}`."));
    let checks = (!op.errors.is_empty()).then(|| {
        quote! {
            impl #error {
                #(
                    #[doc = #check_docs]
                    pub fn #check_names(&self) -> bool {
                        matches!(self, Self::#variants(_))
                    }
                )*
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #error {
            #(#[doc = #docs] #variants(#paths),)*
            /// An error the model does not list for this operation, or a response that is not a modelled error.
            #unhandled(lean_aws_runtime::UnhandledError),
        }

        #checks

        impl lean_aws_runtime::ProvideErrorMetadata for #error {
            fn meta(&self) -> &lean_aws_runtime::ErrorMetadata {
                match self {
                    #(Self::#variants(e) => &e.#meta,)*
                    Self::#unhandled(e) => &e.meta,
                }
            }
        }

        impl lean_aws_runtime::error::CreateUnhandledError for #error {
            fn create_unhandled_error(error: lean_aws_runtime::UnhandledError) -> Self {
                Self::#unhandled(error)
            }
        }

        impl std::fmt::Display for #error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                lean_aws_runtime::error::fmt_metadata(self, f)
            }
        }

        impl std::error::Error for #error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    Self::#unhandled(e) => std::error::Error::source(e),
                    #modelled_have_none
                }
            }
        }
    }
}

/// The marker type and its `Operation` impl: how the runtime writes the input and reads the response.
fn operation_impl(ctx: &Ctx<'_>, op: &Operation, input_shape: &Shape) -> Result<TokenStream, EmitError> {
    let marker = format_ident!("{}", names::operation_name(&op.name));
    let input = format_ident!("{}", names::input_name(&op.name));
    let output = format_ident!("{}", names::output_name(&op.name));
    let error = format_ident!("{}", names::error_name(&op.name));
    let unhandled = format_ident!("{}", names::UNHANDLED_VARIANT);
    let request_id = format_ident!("{}", names::REQUEST_ID_FIELD);
    let name = &op.name;
    let ser = match &op.input {
        Some(shape) => {
            let f = ctx.fn_path("ser", shape);
            quote!(#f(input, out))
        }
        None => quote! {
            let _ = input;
            out.begin_object();
            out.end_object();
        },
    };
    let de_output = match &op.output {
        Some(shape) => {
            let f = ctx.fn_path("de", shape);
            quote! {
                let mut output = #f(body)?;
                output.#request_id = request_id;
                Ok(output)
            }
        }
        None => quote! {
            let _ = body;
            Ok(#output { #request_id })
        },
    };
    let deserialize_error = if op.errors.is_empty() {
        quote! {
            let _ = body;
            #error::#unhandled(lean_aws_runtime::UnhandledError::new(meta))
        }
    } else {
        let variants = op.errors.iter().map(|e| format_ident!("{}", names::type_name(e)));
        let codes = op.errors.iter().map(String::as_str);
        quote! {
            use lean_aws_runtime::error::decode_modelled as decode;
            use #error as E;
            match meta.code() {
                #(Some(#codes) => decode(body, meta, E::#variants),)*
                _ => E::#unhandled(lean_aws_runtime::UnhandledError::new(meta)),
            }
        }
    };
    let encodings = &op.request_compression;
    let compression = (!encodings.is_empty())
        .then(|| quote!(const REQUEST_COMPRESSION: &'static [&'static str] = &[#(#encodings),*];));
    let host_prefix = host_prefix(ctx, op, input_shape)?;
    let doc = doc_attrs(&op.doc);
    Ok(quote! {
        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #marker;

        impl lean_aws_runtime::Operation for #marker {
            const NAME: &'static str = #name;
            type Input = #input;
            type Output = #output;
            type Error = #error;

            fn serialize(input: &#input, out: &mut json::JsonWriter) {
                #ser
            }

            fn deserialize_output(
                body: &json::Value,
                request_id: Option<String>,
            ) -> Result<#output, json::DecodeError> {
                #de_output
            }

            fn deserialize_error(body: &json::Value, meta: lean_aws_runtime::ErrorMetadata) -> #error {
                #deserialize_error
            }

            #compression
            #host_prefix
        }
    })
}

/// Server mode: the operation's error enum, a variant per modelled error (with `From` for each, so that a handler
/// can write `Err(e.into())`), and a catch-all for the errors the service answers on every operation without the
/// model listing them (`ValidationException`, `ThrottlingException`), in the support module's `ServiceError`.
fn server_error_enum(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let error = format_ident!("{}", names::error_name(&op.name));
    let (variants, paths, docs) = error_variants(ctx, op);
    let unhandled = format_ident!("{}", names::UNHANDLED_VARIANT);
    let support = ctx.support();
    let doc = format!(" The ways `{}` can fail, as its handler reports them.", op.name);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #error {
            #(#[doc = #docs] #variants(#paths),)*
            /// An error the model does not list for this operation, answered with its own status, code and message.
            #unhandled(#support::ServiceError),
        }

        #(
            impl From<#paths> for #error {
                fn from(e: #paths) -> Self {
                    Self::#variants(e)
                }
            }
        )*

        impl From<#support::ServiceError> for #error {
            fn from(e: #support::ServiceError) -> Self {
                Self::#unhandled(e)
            }
        }

        impl std::fmt::Display for #error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(Self::#variants(e) => std::fmt::Display::fmt(e, f),)*
                    Self::#unhandled(e) => std::fmt::Display::fmt(e, f),
                }
            }
        }

        impl std::error::Error for #error {}
    }
}

/// Server mode: `serve`, which decodes and validates the request body, calls the handler's method and encodes what
/// it returns (the output, or a modelled error with its HTTP status).
fn serve_fn(ctx: &Ctx<'_>, op: &Operation) -> Result<TokenStream, EmitError> {
    let root = &ctx.root;
    let serve = format_ident!("{}", names::SERVE_FN);
    let support = ctx.support();
    let handler = format_ident!("{}", names::HANDLER_TRAIT);
    let server_module = format_ident!("{}", names::SERVER_MODULE);
    let method = names::ident(&names::method_name(&op.name));
    let input = format_ident!("{}", names::input_name(&op.name));
    let error = format_ident!("{}", names::error_name(&op.name));
    let decode = match &op.input {
        Some(shape) => {
            let f = ctx.fn_path("de", shape);
            quote!(|v, out| #f(v, &validate::Path::Root, out))
        }
        None => quote!(|_, _| Ok(#input {})),
    };
    let encode_output = match &op.output {
        Some(shape) => {
            let f = ctx.fn_path("ser", shape);
            quote!(Ok(output) => #support::Response::ok(|w| #f(&output, w)),)
        }
        None => quote! {
            Ok(_) => #support::Response::ok(|w| {
                w.begin_object();
                w.end_object();
            }),
        },
    };
    let mut encode_errors = Vec::new();
    for e in &op.errors {
        let variant = format_ident!("{}", names::type_name(e));
        let f = ctx.fn_path("ser", e);
        let status = ctx
            .shape(e)
            .error_status
            .map(proc_macro2::Literal::u16_unsuffixed)
            .ok_or_else(|| EmitError(format!("{}: error {e} is not a modelled error", op.name)))?;
        encode_errors.push(quote! {
            Err(#error::#variant(e)) => #support::Response::modelled_error(#status, |w| #f(&e, w)),
        });
    }
    let unhandled = format_ident!("{}", names::UNHANDLED_VARIANT);
    encode_errors.push(quote!(Err(#error::#unhandled(e)) => e.response(),));
    let doc = format!(
        " Performs `{}`: decodes and validates `body`, calls the handler and encodes its answer.",
        op.name
    );
    Ok(quote! {
        #[doc = #doc]
        pub(crate) async fn #serve<H: #root::#server_module::#handler>(handler: &H, body: &[u8]) -> #support::Response {
            let input = match #support::decode_input(body, #decode) {
                Ok(input) => input,
                Err(response) => return response,
            };
            match handler.#method(input).await {
                #encode_output
                #(#encode_errors)*
            }
        }
    })
}

/// The client method that starts the operation's fluent builder.
fn client_method(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let method = names::ident(&names::method_name(&op.name));
    let fluent = format_ident!("{}", names::fluent_builder_name(&op.name));
    let module = ctx.operation_module(&op.name);
    let builders = format_ident!("{}", names::BUILDERS_MODULE);
    let doc = doc_attrs(&op.doc);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #doc
        ///
        /// Set the input's members on the builder this returns, then `send()` it.
        #deprecated
        pub fn #method(&self) -> #module::#builders::#fluent {
            #module::#builders::#fluent::new(self.clone())
        }
    }
}

/// The `builders` module of an operation: its input's and output's builders, with `send_with(&client)` on the
/// input's, and its fluent builder: the input's builder holding the client (the input's setters, `as_input()`,
/// `send()`). `extra` adds methods to the fluent builder (`into_paginator`).
fn builders_module(
    ctx: &Ctx<'_>,
    op: &Operation,
    input_shape: &Shape,
    output_shape: &Shape,
    extra: Option<TokenStream>,
) -> TokenStream {
    let root = &ctx.root;
    let input = format_ident!("{}", names::input_name(&op.name));
    let output = format_ident!("{}", names::output_name(&op.name));
    let error = format_ident!("{}", names::error_name(&op.name));
    let marker = format_ident!("{}", names::operation_name(&op.name));
    let input_builder = format_ident!("{}", names::builder_name(&input.to_string()));
    let fluent = format_ident!("{}", names::fluent_builder_name(&op.name));
    let input_builder_def = builder(ctx, input_shape, &input, false);
    let output_builder_def = builder(ctx, output_shape, &output, true);
    let fluent_doc = format!(
        " Builds and sends a `{}` request: `client.{}()`, the input's setters, then [`send`]({input_builder}::send).",
        op.name,
        names::method_name(&op.name)
    );
    let defs = quote!(#input_builder_def #output_builder_def);
    // An inline module imports for itself (see `uses_module`).
    let types_import = super::uses_module(&defs, "types").then(|| quote!(use #root::types;));
    quote! {
        #[doc = " The builders of the operation's input and output, and its fluent builder."]
        pub mod builders {
            use super::*;
            #types_import

            #defs

            impl<C> #input_builder<C> {
                /// Sends the input with `client`: validated first (nothing is sent if it breaks a rule of the
                /// model), then signed, sent and retried like any call.
                pub async fn send_with(
                    self,
                    client: &#root::client::Client,
                ) -> Result<#output, lean_aws_runtime::SdkError<#error>> {
                    client.runtime().invoke::<#marker>(&self.build_input()).await
                }
            }

            #[doc = #fluent_doc]
            pub type #fluent = #input_builder<#root::client::Client>;

            impl #fluent {
                pub(crate) fn new(handle: #root::client::Client) -> Self {
                    #input::builder().with_handle(handle)
                }
                /// The input as set so far.
                pub fn as_input(&self) -> &Self {
                    self
                }
                /// Sends the request: validated first (nothing is sent if the input breaks a rule of the model),
                /// then signed, sent and retried like any call.
                pub async fn send(self) -> Result<#output, lean_aws_runtime::SdkError<#error>> {
                    let handle = self.handle.clone();
                    self.send_with(&handle).await
                }
                #extra
            }
        }
    }
}

/// The shapes that live in an operation's file: named ones with their types, the rest (inputs, outputs, lists,
/// maps, constrained values) with their helper functions only.
fn local_shapes(ctx: &Ctx<'_>, op: &Operation) -> Result<Vec<Chunk>, EmitError> {
    let mut chunks = Vec::new();
    for (name, home) in &ctx.homes {
        if *home == Home::Operation(op.name.clone()) {
            chunks.extend(shape_chunks(ctx, ctx.shape(name))?);
        }
    }
    Ok(chunks)
}

fn operation_file(ctx: &Ctx<'_>, op: &Operation) -> Result<TokenStream, EmitError> {
    let within = BTreeSet::from([op.name.clone()]);
    let input = format_ident!("{}", names::input_name(&op.name));
    let output = format_ident!("{}", names::output_name(&op.name));
    let input_shape = op
        .input
        .as_ref()
        .map_or_else(|| empty_shape(input.to_string()), |s| ctx.shape(s).clone());
    let output_shape = op
        .output
        .as_ref()
        .map_or_else(|| empty_shape(output.to_string()), |s| ctx.shape(s).clone());
    let input_def = struct_def(ctx, &input_shape, &input, false);
    let output_def = struct_def(ctx, &output_shape, &output, !ctx.server);
    let validate_impl = validate::validate_impl(ctx, op);
    let (doc, own) = if ctx.server {
        let input_builder = builder(ctx, &input_shape, &input, false);
        let output_builder = builder(ctx, &output_shape, &output, false);
        let errors = server_error_enum(ctx, op);
        let serve = serve_fn(ctx, op)?;
        let doc = format!(
            " `{}`: its input, output and errors, how a server performs it, and the shapes only it uses.",
            op.name
        );
        (
            doc,
            quote! {
                #input_def
                #input_builder
                #output_def
                #output_builder
                #errors
                #validate_impl
                #serve
            },
        )
    } else {
        let errors = error_enum(ctx, op);
        let into_crate_error = crate_error::conversion(ctx, op);
        let marker = operation_impl(ctx, op, &input_shape)?;
        let method = client_method(ctx, op);
        let paginator = paginators::emit(ctx, op)?;
        let builders = builders_module(
            ctx,
            op,
            &input_shape,
            &output_shape,
            paginator.as_ref().map(|p| p.into_paginator.clone()),
        );
        let root = &ctx.root;
        let client = quote! {
            impl #root::client::Client {
                #method
            }
        };
        let paginator_items = paginator.map(|p| {
            let (impl_, module) = (p.impl_, p.module);
            quote!(#impl_ #module)
        });
        let doc = format!(
            " `{}`: its input, output and errors, how the runtime performs it, its builders, and the shapes only it \
             uses.",
            op.name
        );
        (
            doc,
            quote! {
                #input_def
                #output_def
                #errors
                #into_crate_error
                #marker
                #validate_impl
                #client
                #builders
                #paginator_items
            },
        )
    };
    let mut chunks = vec![Chunk::new(within.clone(), own)];
    chunks.extend(local_shapes(ctx, op)?);
    Ok(file(ctx, &doc, &within, chunks))
}
