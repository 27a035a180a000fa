//! `types.rs`: structures, unions, enums and modelled errors, with builders.

use super::{doc_attrs, Ctx};
use crate::ir::{Kind, Shape};
use crate::names;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The text `Debug` shows in place of a sensitive value.
const REDACTED: &str = "*** Sensitive Data Redacted ***";

pub fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let items = ctx.named_types().map(|shape| match &shape.kind {
        Kind::Structure { exception: true, .. } => emit_exception(ctx, shape),
        Kind::Structure { .. } => {
            let ident = ctx.type_ident(&shape.name);
            let def = struct_def(ctx, shape, &ident, false);
            let builder = builder(ctx, shape, &ident);
            quote!(#def #builder)
        }
        Kind::Union { .. } => emit_union(ctx, shape),
        _ => emit_enum(ctx, shape),
    });
    quote! {
        //! Shapes of the service: structures, unions, enums and modelled errors.
        #(#items)*
    }
}

fn field_ident(member: &str) -> Ident {
    names::ident(&names::field_name(member))
}

/// A structure's definition (fields, docs, `Debug`); `output` adds the request id.
pub fn struct_def(ctx: &Ctx<'_>, shape: &Shape, ident: &Ident, output: bool) -> TokenStream {
    let Kind::Structure { members, .. } = &shape.kind else {
        unreachable!("struct_def takes structures")
    };
    let doc = doc_attrs(&shape.doc);
    let fields = members.iter().map(|m| {
        let name = field_ident(&m.name);
        let ty = ctx.member_value_type(&shape.name, m);
        let doc = doc_attrs(&m.doc);
        let ty = if ctx.is_required(shape, m) {
            ty
        } else {
            quote!(Option<#ty>)
        };
        let deprecated = m.deprecated.then(|| quote!(#[deprecated]));
        quote!(#doc #deprecated pub #name: #ty,)
    });
    let request_id = output.then(|| quote!(pub(crate) request_id: Option<String>,));
    let accessor = output.then(|| {
        quote! {
            impl #ident {
                /// The request id the service gave this call (`x-amzn-RequestId`).
                pub fn request_id(&self) -> Option<&str> {
                    self.request_id.as_deref()
                }
            }
        }
    });
    let sensitive = shape.sensitive || members.iter().any(|m| ctx.is_sensitive(m));
    let derive_debug = (!sensitive).then(|| quote!(Debug,));
    let debug = sensitive.then(|| debug_impl(ctx, shape, ident, output));
    quote! {
        #doc
        #[derive(Clone, PartialEq, #derive_debug)]
        #[non_exhaustive]
        pub struct #ident {
            #(#fields)*
            #request_id
        }
        #accessor
        #debug
    }
}

fn debug_impl(ctx: &Ctx<'_>, shape: &Shape, ident: &Ident, output: bool) -> TokenStream {
    let Kind::Structure { members, .. } = &shape.kind else {
        unreachable!("debug_impl takes structures")
    };
    let name = ident.to_string();
    let fields = members.iter().map(|m| {
        let field = field_ident(&m.name);
        let label = names::field_name(&m.name);
        if shape.sensitive || ctx.is_sensitive(m) {
            quote!(.field(#label, &#REDACTED))
        } else {
            quote!(.field(#label, &self.#field))
        }
    });
    let request_id = output.then(|| quote!(.field("request_id", &self.request_id)));
    quote! {
        impl std::fmt::Debug for #ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#name) #(#fields)* #request_id .finish()
            }
        }
    }
}

/// A builder for a structure: a setter per member, and `build()`, which names every missing required member.
pub fn builder(ctx: &Ctx<'_>, shape: &Shape, ident: &Ident) -> TokenStream {
    let Kind::Structure { members, .. } = &shape.kind else {
        unreachable!("builder takes structures")
    };
    let builder = format_ident!("{}", names::builder_name(&ident.to_string()));
    let fields = members.iter().map(|m| {
        let name = field_ident(&m.name);
        let ty = ctx.member_value_type(&shape.name, m);
        quote!(#name: Option<#ty>,)
    });
    let setters = members.iter().map(|m| {
        let name = field_ident(&m.name);
        let set = format_ident!("set_{}", names::field_name(&m.name));
        let ty = ctx.rust_type(&m.target);
        let doc = doc_attrs(&m.doc);
        let (wrap, wrap_opt) = if ctx.boxed(&shape.name, m) {
            (quote!(Box::new(value.into())), quote!(value.map(Box::new)))
        } else {
            (quote!(value.into()), quote!(value))
        };
        quote! {
            #doc
            pub fn #name(mut self, value: impl Into<#ty>) -> Self {
                self.#name = Some(#wrap);
                self
            }
            #[doc = " Sets or clears the member."]
            pub fn #set(mut self, value: Option<#ty>) -> Self {
                self.#name = #wrap_opt;
                self
            }
        }
    });
    let type_name = ident.to_string();
    let required: Vec<_> = members.iter().filter(|m| ctx.is_required(shape, m)).collect();
    let all: Vec<Ident> = members.iter().map(|m| field_ident(&m.name)).collect();
    let build = if required.is_empty() {
        quote! {
            /// Builds the value.
            pub fn build(self) -> #ident {
                #ident { #(#all: self.#all,)* }
            }
        }
    } else {
        let req: Vec<Ident> = required.iter().map(|m| field_ident(&m.name)).collect();
        let req_names: Vec<&str> = required.iter().map(|m| m.name.as_str()).collect();
        let optional: Vec<Ident> = members
            .iter()
            .filter(|m| !ctx.is_required(shape, m))
            .map(|m| field_ident(&m.name))
            .collect();
        quote! {
            /// Builds the value, or names every required member that is missing.
            pub fn build(self) -> Result<#ident, lean_aws_runtime::BuildError> {
                let missing: Vec<&'static str> = [#((#req_names, self.#req.is_none()),)*]
                    .into_iter()
                    .filter_map(|(name, missing)| missing.then_some(name))
                    .collect();
                match (#(self.#req,)*) {
                    (#(Some(#req),)*) => Ok(#ident { #(#req,)* #(#optional: self.#optional,)* }),
                    _ => Err(lean_aws_runtime::BuildError { shape: #type_name, missing }),
                }
            }
        }
    };
    let sensitive = shape.sensitive || members.iter().any(|m| ctx.is_sensitive(m));
    let derive_debug = (!sensitive).then(|| quote!(Debug,));
    let debug = sensitive.then(|| {
        let name = builder.to_string();
        quote! {
            impl std::fmt::Debug for #builder {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct(#name).finish_non_exhaustive()
                }
            }
        }
    });
    let builder_doc = format!(" Builds a [`{type_name}`].");
    quote! {
        impl #ident {
            /// A builder with no member set.
            pub fn builder() -> #builder {
                #builder::default()
            }
        }
        #[doc = #builder_doc]
        #[derive(Clone, Default, PartialEq, #derive_debug)]
        pub struct #builder {
            #(#fields)*
        }
        #debug
        impl #builder {
            #(#setters)*
            #build
        }
    }
}

fn emit_exception(ctx: &Ctx<'_>, shape: &Shape) -> TokenStream {
    let Kind::Structure { members, .. } = &shape.kind else {
        unreachable!("exceptions are structures")
    };
    let ident = ctx.type_ident(&shape.name);
    let doc = doc_attrs(&shape.doc);
    let fields = members.iter().map(|m| {
        let name = field_ident(&m.name);
        let ty = ctx.member_value_type(&shape.name, m);
        let doc = doc_attrs(&m.doc);
        quote!(#doc pub #name: Option<#ty>,)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #ident {
            #(#fields)*
            /// Code, message, request id and HTTP status of the response.
            pub meta: lean_aws_runtime::ErrorMetadata,
        }
        impl std::fmt::Display for #ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.meta, f)
            }
        }
        impl std::error::Error for #ident {}
    }
}

fn emit_union(ctx: &Ctx<'_>, shape: &Shape) -> TokenStream {
    let Kind::Union { members } = &shape.kind else {
        unreachable!("emit_union takes unions")
    };
    let ident = ctx.type_ident(&shape.name);
    let doc = doc_attrs(&shape.doc);
    let variants = members.iter().map(|m| {
        let v = format_ident!("{}", names::variant_name(&m.name));
        let ty = ctx.member_value_type(&shape.name, m);
        let doc = doc_attrs(&m.doc);
        quote!(#doc #v(#ty),)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #ident {
            #(#variants)*
            /// A member this version of the SDK does not know (only ever received, never sent).
            Unknown,
        }
    }
}

fn emit_enum(ctx: &Ctx<'_>, shape: &Shape) -> TokenStream {
    let Kind::String { enum_values, .. } = &shape.kind else {
        unreachable!("emit_enum takes enums")
    };
    let ident = ctx.type_ident(&shape.name);
    let doc = doc_attrs(&shape.doc);
    let variants: Vec<Ident> = enum_values
        .iter()
        .map(|v| format_ident!("{}", names::variant_name(v)))
        .collect();
    let docs = enum_values.iter().map(|v| format!(" `{v}`"));
    let unknown = format_ident!("{}", names::UNKNOWN_VARIANT);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #ident {
            #(#[doc = #docs] #variants,)*
            /// A value this version of the SDK does not know.
            #unknown(lean_aws_runtime::UnknownVariant),
        }
        impl #ident {
            /// Every value this version of the SDK knows.
            pub const VALUES: &'static [&'static str] = &[#(#enum_values),*];
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #enum_values,)*
                    Self::#unknown(v) => v.as_str(),
                }
            }
        }
        impl From<&str> for #ident {
            fn from(value: &str) -> Self {
                match value {
                    #(#enum_values => Self::#variants,)*
                    other => Self::#unknown(lean_aws_runtime::UnknownVariant::new(other)),
                }
            }
        }
        impl From<String> for #ident {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }
        impl AsRef<str> for #ident {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl std::fmt::Display for #ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}
