//! A shape's Rust type: structures with builders, unions, enums and modelled errors, each with a `Debug` that
//! never shows a sensitive value. [`shape_chunks`] puts a named shape's type together with its serializer,
//! validator and deserializer, each marked with the operations that need it.
//!
//! A server's modelled errors are built by its handlers: they get builders, and carry their members only (a
//! client's also carry the response's code, message, request id and status).

use super::serde::Decoding;
use super::{member_doc, serde, serde_attrs, shape_doc, validate, Chunk, Ctx, EmitError};
use crate::ir::{Kind, Member, Shape};
use crate::names;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The text `Debug` shows in place of a sensitive value.
const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// A shape's items, as [`Chunk`]s: its type (for a named shape) and its helper functions, each side needed by its
/// own set of operations: for a client, the serializer and validator (input side) and the forgiving deserializer
/// (output side); for a server, the strict deserializer and validator (input side) and the serializer (output
/// side).
pub fn shape_chunks(ctx: &Ctx<'_>, shape: &Shape) -> Result<Vec<Chunk>, EmitError> {
    serde_attrs::check(ctx, shape)?;
    let mut chunks = Vec::new();
    if ctx.is_named_type(shape) {
        let ident = ctx.type_ident(&shape.name);
        let def = match &shape.kind {
            Kind::Structure { exception: true, .. } => {
                let def = exception(ctx, shape, &ident);
                let builder = builder(ctx, shape, &ident, false);
                quote!(#def #builder)
            }
            Kind::Structure { .. } => {
                let def = struct_def(ctx, shape, &ident, false);
                let builder = builder(ctx, shape, &ident, false);
                quote!(#def #builder)
            }
            Kind::Union { .. } => union(ctx, shape, &ident),
            _ => enumeration(ctx, shape, &ident),
        };
        chunks.push(Chunk::new(ctx.users(&shape.name), def));
    }
    if let Some(users) = ctx.input_users.get(&shape.name) {
        let mut input_side = quote!();
        input_side.extend(if ctx.server {
            serde::de_fn(ctx, shape, Decoding::Strict)
        } else {
            serde::ser_fn(ctx, shape)
        });
        input_side.extend(validate::validator(ctx, shape)?);
        chunks.push(Chunk::new(users.clone(), input_side));
    }
    if let Some(users) = ctx.output_users.get(&shape.name) {
        let output_side = if ctx.server {
            serde::ser_fn(ctx, shape)
        } else {
            serde::de_fn(ctx, shape, Decoding::Forgiving)
        };
        chunks.extend(output_side.map(|tokens| Chunk::new(users.clone(), tokens)));
    }
    chunks.retain(|c| !c.tokens.is_empty());
    Ok(chunks)
}

fn field_ident(member: &str) -> Ident {
    names::ident(&names::field_name(member))
}

/// A structure's definition (fields, docs, accessors, `Debug`); `output` adds the request id.
pub fn struct_def(ctx: &Ctx<'_>, shape: &Shape, ident: &Ident, output: bool) -> TokenStream {
    let Kind::Structure { members, .. } = &shape.kind else {
        unreachable!("struct_def takes structures")
    };
    let doc = shape_doc(shape);
    let fields = members.iter().map(|m| {
        let name = field_ident(&m.name);
        let ty = ctx.member_value_type(&shape.name, m);
        let doc = member_doc(m);
        let optional = !ctx.bare(shape, m);
        let ty = if optional { quote!(Option<#ty>) } else { ty };
        let deprecated = m.deprecated.then(|| quote!(#[deprecated]));
        let serde = serde_attrs::field(ctx, m, &name, optional);
        quote!(#doc #deprecated #serde pub #name: #ty,)
    });
    let request_id = format_ident!("{}", names::REQUEST_ID_FIELD);
    let skip = serde_attrs::skip(ctx);
    let request_id_field = output.then(|| quote!(#skip pub(crate) #request_id: Option<String>,));
    let accessors = accessors(ctx, shape, members);
    let redacts = ctx.redacts(shape);
    let derive_debug = (!redacts).then(|| quote!(Debug,));
    let debug = redacts.then(|| struct_debug(ctx, shape, members, ident, output.then_some(&request_id)));
    let serde = serde_attrs::structure(ctx);
    let request_id_trait = output.then(|| {
        quote! {
            impl lean_aws_runtime::error::RequestId for #ident {
                fn request_id(&self) -> Option<&str> {
                    self.#request_id.as_deref()
                }
            }
        }
    });
    // The request id is read through `operation::RequestId`, as in aws-sdk-rust (no inherent method, so that
    // code importing the trait compiles without an unused-import warning).
    let impl_ = (!accessors.is_empty()).then(|| quote!(impl #ident { #(#accessors)* }));
    quote! {
        #doc
        #[derive(Clone, PartialEq, #derive_debug)]
        #serde
        #[non_exhaustive]
        pub struct #ident {
            #(#fields)*
            #request_id_field
        }
        #impl_
        #request_id_trait
        #debug
    }
}

/// The first paragraph of a member's documentation, for the methods beside its field and setter.
fn short_doc(member: &Member) -> TokenStream {
    let lines = crate::docs::to_rustdoc(&member.doc);
    let first = summary(&lines);
    if first.is_empty() {
        return member_doc(member);
    }
    quote!(#(#[doc = #first])*)
}

/// The first paragraph of rustdoc `lines`; one that ends with a colon keeps the block it introduces ("Use one
/// of the following values:" and the list).
fn summary(lines: &[String]) -> &[String] {
    let end_of_block = |from: usize| {
        (from..lines.len())
            .find(|&i| lines[i].trim().is_empty())
            .unwrap_or(lines.len())
    };
    let mut end = end_of_block(0);
    if end > 0 && end < lines.len() && lines[end - 1].trim_end().ends_with(':') {
        end = end_of_block(end + 1);
    }
    &lines[..end]
}

/// A client's accessors, one per member, in aws-sdk-rust's forms: `Option<&str>` for strings, `Option<T>` for
/// numbers and booleans, `&[T]` for lists (empty when absent), `Option<&T>` for the rest.
fn accessors(ctx: &Ctx<'_>, shape: &Shape, members: &[Member]) -> Vec<TokenStream> {
    if ctx.server {
        return Vec::new();
    }
    members
        .iter()
        .map(|m| {
            let name = field_ident(&m.name);
            let doc = short_doc(m);
            let deprecated = m.deprecated.then(|| quote!(#[deprecated]));
            let (ty, read) = match &ctx.shape(&m.target).kind {
                Kind::String { enum_values, .. } if enum_values.is_empty() => {
                    (quote!(Option<&str>), quote!(self.#name.as_deref()))
                }
                Kind::Integer { .. } | Kind::Long { .. } | Kind::Float { .. } | Kind::Double { .. } | Kind::Boolean => {
                    let ty = ctx.rust_type(&m.target);
                    (quote!(Option<#ty>), quote!(self.#name))
                }
                Kind::List { member, .. } => {
                    let item = ctx.rust_type(member);
                    (quote!(&[#item]), quote!(self.#name.as_deref().unwrap_or_default()))
                }
                Kind::Blob { .. } => (quote!(Option<&[u8]>), quote!(self.#name.as_deref())),
                _ => {
                    let ty = ctx.rust_type(&m.target);
                    let read = if ctx.boxed(&shape.name, m) {
                        quote!(self.#name.as_deref())
                    } else {
                        quote!(self.#name.as_ref())
                    };
                    (quote!(Option<&#ty>), read)
                }
            };
            quote! {
                #doc
                #deprecated
                pub fn #name(&self) -> #ty {
                    #read
                }
            }
        })
        .collect()
}

/// `Debug` for a structure (or modelled error) with sensitive members: those show as redacted; `extra` is a field
/// that is not a member (the request id, the error metadata).
fn struct_debug(ctx: &Ctx<'_>, shape: &Shape, members: &[Member], ident: &Ident, extra: Option<&Ident>) -> TokenStream {
    let name = ident.to_string();
    let fields = members.iter().map(|m| {
        let field = field_ident(&m.name);
        let label = names::field_name(&m.name);
        if ctx.member_redacted(shape, m) {
            quote!(.field(#label, &#REDACTED))
        } else {
            quote!(.field(#label, &self.#field))
        }
    });
    let extra = extra.map(|field| {
        let label = field.to_string();
        quote!(.field(#label, &self.#field))
    });
    quote! {
        impl std::fmt::Debug for #ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#name) #(#fields)* #extra .finish()
            }
        }
    }
}

/// A member's three methods, as aws-sdk-rust has them: `x(..)` (for a client's list, one more item; for a map,
/// one more entry; else the value), then `set_x(Option<..>)` (replaces or clears) and `get_x()`, which differ
/// only in names and types and come from the runtime's `set_get!`. A server's `x(..)` takes the whole value: its
/// handlers build from collections they hold.
fn member_setters(ctx: &Ctx<'_>, shape: &Shape) -> Vec<TokenStream> {
    let Kind::Structure { members, .. } = &shape.kind else {
        unreachable!("member_setters takes structures")
    };
    members
        .iter()
        .map(|m| {
            let name = field_ident(&m.name);
            let set = format_ident!("{}", names::setter_name(&m.name));
            let get = format_ident!("{}", names::getter_name(&m.name));
            let ty = ctx.rust_type(&m.target);
            let doc = member_doc(m);
            let boxed = ctx.boxed(&shape.name, m);
            let target = &ctx.shape(&m.target).kind;
            // A client's `x(..)` for a list appends and for a map inserts, and says so; any other takes the value.
            let (params, add, add_doc) = match target {
                Kind::List { member, .. } if !ctx.server => {
                    let item = ctx.rust_type(member);
                    let doc = format!(
                        " Appends an item to `{name}` (to replace the whole list, use [`{set}`](Self::{set}))."
                    );
                    (
                        quote!(input: impl Into<#item>),
                        quote!(self.#name.get_or_insert_with(Vec::new).push(input.into());),
                        Some(doc),
                    )
                }
                Kind::Map { value, .. } if !ctx.server => {
                    let value = ctx.rust_type(value);
                    let doc =
                        format!(" Adds an entry to `{name}` (to replace the whole map, use [`{set}`](Self::{set})).");
                    (
                        quote!(key: impl Into<String>, value: impl Into<#value>),
                        quote!(self.#name.get_or_insert_with(Default::default).insert(key.into(), value.into());),
                        Some(doc),
                    )
                }
                _ if boxed => (
                    quote!(input: impl Into<#ty>),
                    quote!(self.#name = Some(Box::new(input.into()));),
                    None,
                ),
                _ => (
                    quote!(input: impl Into<#ty>),
                    quote!(self.#name = Some(input.into());),
                    None,
                ),
            };
            let add_doc = add_doc.map(|doc| quote!(#[doc = #doc] #[doc = ""]));
            let deprecated = m.deprecated.then(|| quote!(#[deprecated]));
            // The macro's arguments: its form, then the type it takes (for a list its item, for a map its value; the
            // macro writes the collection as `Ctx::rust_type` does).
            let (form, arg) = match target {
                Kind::List { member, .. } => (quote!(list), ctx.rust_type(member)),
                _ if boxed => (quote!(boxed), ty.clone()),
                _ => (quote!(), ty.clone()),
            };
            let macro_ty = super::via_types_import(ctx, arg);
            quote! {
                #add_doc
                #doc
                #deprecated
                pub fn #name(mut self, #params) -> Self {
                    #add
                    self
                }
                lean_aws_runtime::set_get!(#deprecated #form #name, #set, #get, #macro_ty);
            }
        })
        .collect()
}

/// A builder for a structure: [`member_setters`], and `build()`. A client's builds infallibly, except an
/// operation input's, which returns a `Result` as aws-sdk-rust's does and never fails; a server's names every
/// missing bare member. `output` adds the request id's field (left empty), a client's modelled error its
/// metadata (a setter of its own).
pub fn builder(ctx: &Ctx<'_>, shape: &Shape, ident: &Ident, output: bool) -> TokenStream {
    let Kind::Structure { members, exception } = &shape.kind else {
        unreachable!("builder takes structures")
    };
    let builder = format_ident!("{}", names::builder_name(&ident.to_string()));
    // A client's input builder is also its fluent builder: generic over what it sends with (see `send_with`).
    let handle = !ctx.server && ctx.fallible_build(shape);
    let with_meta = *exception && !ctx.server;
    let meta = format_ident!("{}", names::ERROR_META_FIELD);
    // An input builder reads and writes the input's JSON form (a cluster definition kept as JSON, sent as it is).
    let serde_ctx = if handle { Some(ctx) } else { None };
    let fields = members.iter().map(|m| {
        let name = field_ident(&m.name);
        let ty = ctx.member_value_type(&shape.name, m);
        let serde = serde_ctx.map(|ctx| serde_attrs::field(ctx, m, &name, true));
        quote!(#serde pub(crate) #name: Option<#ty>,)
    });
    let meta_field = with_meta.then(|| quote!(pub(crate) #meta: Option<lean_aws_runtime::ErrorMetadata>,));
    let meta_setter = with_meta.then(|| {
        quote! {
            /// The response's code, message, request id and status (the default has none of them).
            pub fn #meta(mut self, meta: lean_aws_runtime::ErrorMetadata) -> Self {
                self.#meta = Some(meta);
                self
            }
        }
    });
    let setters = member_setters(ctx, shape);
    let type_name = ident.to_string();
    let all: Vec<Ident> = members.iter().map(|m| field_ident(&m.name)).collect();
    let request_id = format_ident!("{}", names::REQUEST_ID_FIELD);
    let extra = match (output, with_meta) {
        (true, _) => quote!(#request_id: None,),
        (_, true) => quote!(#meta: self.#meta.unwrap_or_default(),),
        _ => quote!(),
    };
    let build = if ctx.server && ctx.fallible_build(shape) {
        let details = format!("a required member of {type_name}");
        let fields = members.iter().map(|m| {
            let name = field_ident(&m.name);
            let model = m.name.as_str();
            match ctx.bare(shape, m) {
                true => quote! {
                    #name: self.#name.ok_or_else(|| lean_aws_runtime::BuildError::missing_field(#model, #details))?,
                },
                false => quote!(#name: self.#name,),
            }
        });
        quote! {
            /// Builds the value, or names the first required member that is missing.
            pub fn build(self) -> Result<#ident, lean_aws_runtime::BuildError> {
                Ok(#ident { #(#fields)* #extra })
            }
        }
    } else if handle {
        quote! {
            /// Builds the input. It never fails: the validator reports missing required members, with every
            /// other violation, when the input is sent.
            pub fn build(self) -> Result<#ident, lean_aws_runtime::BuildError> {
                Ok(self.build_input())
            }
            pub(crate) fn build_input(self) -> #ident {
                #ident { #(#all: self.#all,)* #extra }
            }
            /// The same members, sent with `handle`.
            pub(crate) fn with_handle<D>(self, handle: D) -> #builder<D> {
                #builder { #(#all: self.#all,)* handle }
            }
        }
    } else {
        quote! {
            /// Builds the value.
            pub fn build(self) -> #ident {
                #ident { #(#all: self.#all,)* #extra }
            }
        }
    };
    let redacts = ctx.redacts(shape);
    let derive_debug = (!redacts).then(|| quote!(Debug,));
    let debug = redacts.then(|| {
        let name = builder.to_string();
        let (impl_params, args) = if handle {
            (quote!(<C>), quote!(<C>))
        } else {
            (quote!(), quote!())
        };
        quote! {
            impl #impl_params std::fmt::Debug for #builder #args {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct(#name).finish_non_exhaustive()
                }
            }
        }
    });
    let builder_doc = format!(" Builds a [`{type_name}`].");
    let serde = serde_ctx.map(serde_attrs::structure);
    let skip = serde_ctx.map(serde_attrs::skip);
    let (params, args, handle_field, handle_doc) = if handle {
        (
            quote!(<C = ()>),
            quote!(<C>),
            quote!(#skip pub(crate) handle: C,),
            Some(quote! {
                #[doc = ""]
                #[doc = " `C` is what it is sent with: nothing for a builder of your own (send it with `send_with`), the"]
                #[doc = " client for the fluent builder that `client.<operation>()` returns, a waiter for a waiter's."]
            }),
        )
    } else {
        (quote!(), quote!(), quote!(), None)
    };
    let impl_params = handle.then(|| quote!(<C>));
    quote! {
        impl #ident {
            /// A builder with no member set.
            pub fn builder() -> #builder {
                #builder::default()
            }
        }
        #[doc = #builder_doc]
        #handle_doc
        #[derive(Clone, Default, PartialEq, #derive_debug)]
        #serde
        #[non_exhaustive]
        pub struct #builder #params {
            #(#fields)*
            #meta_field
            #handle_field
        }
        #debug
        impl #impl_params #builder #args {
            #(#setters)*
            #meta_setter
            #build
        }
    }
}

fn exception(ctx: &Ctx<'_>, shape: &Shape, ident: &Ident) -> TokenStream {
    let Kind::Structure { members, .. } = &shape.kind else {
        unreachable!("exceptions are structures")
    };
    let doc = shape_doc(shape);
    let fields = members.iter().map(|m| {
        let name = field_ident(&m.name);
        let ty = ctx.member_value_type(&shape.name, m);
        let doc = member_doc(m);
        let serde = serde_attrs::field(ctx, m, &name, true);
        quote!(#doc #serde pub #name: Option<#ty>,)
    });
    let meta = format_ident!("{}", names::ERROR_META_FIELD);
    let (serde, skip) = (serde_attrs::structure(ctx), serde_attrs::skip(ctx));
    let redacts = ctx.redacts(shape);
    let derive_debug = (!redacts).then(|| quote!(Debug,));
    if ctx.server {
        let debug = redacts.then(|| struct_debug(ctx, shape, members, ident, None));
        let code = &shape.name;
        // The message, where the error has one (and it is not a secret): `Code: message`.
        let message = members
            .iter()
            .find(|m| {
                m.name.eq_ignore_ascii_case("message")
                    && matches!(ctx.shape(&m.target).kind, Kind::String { .. })
                    && !ctx.redacted(&m.target)
            })
            .map(|m| {
                let field = field_ident(&m.name);
                quote! {
                    if let Some(message) = &self.#field {
                        write!(f, ": {message}")?;
                    }
                }
            });
        return quote! {
            #doc
            #[derive(Clone, PartialEq, #derive_debug)]
            #[non_exhaustive]
            pub struct #ident {
                #(#fields)*
            }
            #debug
            impl std::fmt::Display for #ident {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(#code)?;
                    #message
                    Ok(())
                }
            }
            impl std::error::Error for #ident {}
        };
    }
    let debug = redacts.then(|| struct_debug(ctx, shape, members, ident, Some(&meta)));
    let accessors = accessors(ctx, shape, members);
    let accessors = (!accessors.is_empty()).then(|| quote!(impl #ident { #(#accessors)* }));
    quote! {
        #doc
        #[derive(Clone, PartialEq, #derive_debug)]
        #serde
        #[non_exhaustive]
        pub struct #ident {
            #(#fields)*
            /// Code, message, request id and HTTP status of the response.
            #skip
            pub #meta: lean_aws_runtime::ErrorMetadata,
        }
        #accessors
        #debug
        impl lean_aws_runtime::ProvideErrorMetadata for #ident {
            fn meta(&self) -> &lean_aws_runtime::ErrorMetadata {
                &self.#meta
            }
        }
        impl std::fmt::Display for #ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                lean_aws_runtime::error::fmt_metadata(self, f)
            }
        }
        impl std::error::Error for #ident {}
    }
}

fn union(ctx: &Ctx<'_>, shape: &Shape, ident: &Ident) -> TokenStream {
    let Kind::Union { members } = &shape.kind else {
        unreachable!("union takes unions")
    };
    let doc = shape_doc(shape);
    let unknown = format_ident!("{}", names::UNKNOWN_VARIANT);
    let variants: Vec<Ident> = members
        .iter()
        .map(|m| format_ident!("{}", names::variant_name(&m.name)))
        .collect();
    let defs = members.iter().zip(&variants).map(|(m, v)| {
        let ty = ctx.member_value_type(&shape.name, m);
        let doc = member_doc(m);
        let serde = serde_attrs::variant(ctx, m, v);
        quote!(#doc #serde #v(#ty),)
    });
    let (serde, untagged) = (serde_attrs::union(ctx), serde_attrs::unknown_member(ctx));
    let redacts = ctx.redacts(shape);
    let derive_debug = (!redacts).then(|| quote!(Debug,));
    let debug = redacts.then(|| {
        let arms = members.iter().zip(&variants).map(|(m, v)| {
            let label = v.to_string();
            if ctx.member_redacted(shape, m) {
                quote!(Self::#v(_) => f.debug_tuple(#label).field(&#REDACTED).finish(),)
            } else {
                quote!(Self::#v(x) => f.debug_tuple(#label).field(x).finish(),)
            }
        });
        let unknown_label = unknown.to_string();
        quote! {
            impl std::fmt::Debug for #ident {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self {
                        #(#arms)*
                        Self::#unknown(x) => f.debug_tuple(#unknown_label).field(x).finish(),
                    }
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Clone, PartialEq, #derive_debug)]
        #serde
        #[non_exhaustive]
        pub enum #ident {
            #(#defs)*
            /// A member this version of the SDK does not know, kept as received (only ever received, never sent).
            #untagged
            #unknown(lean_aws_runtime::UnknownMember),
        }
        #debug
    }
}

fn enumeration(ctx: &Ctx<'_>, shape: &Shape, ident: &Ident) -> TokenStream {
    let Kind::String { enum_values, .. } = &shape.kind else {
        unreachable!("enumeration takes enums")
    };
    let doc = shape_doc(shape);
    let variants: Vec<Ident> = enum_values
        .iter()
        .map(|v| format_ident!("{}", names::variant_name(v)))
        .collect();
    let docs = enum_values.iter().map(|v| format!(" `{v}`"));
    let unknown = format_ident!("{}", names::UNKNOWN_VARIANT);
    let serde = serde_attrs::enumeration(ctx, ident);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #ident {
            #(#[doc = #docs] #variants,)*
            /// A value this version of the SDK does not know, kept as received.
            #unknown(lean_aws_runtime::UnknownVariant),
        }
        impl #ident {
            /// Every value this version of the SDK knows.
            pub const fn values() -> &'static [&'static str] {
                &[#(#enum_values),*]
            }
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
        /// Never fails: a value this version does not know is kept as `Unknown`.
        impl std::str::FromStr for #ident {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
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
        #serde
    }
}

#[cfg(test)]
mod tests {
    use super::summary;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }

    #[test]
    fn a_summary_is_the_first_paragraph_and_keeps_the_list_a_colon_introduces() {
        let plain = lines("First.\nStill first.\n\nSecond.");
        assert_eq!(summary(&plain), &plain[..2]);
        let listed = lines("Use one of:\n\n* `A` - a.\n* `B` - b.\n\nMore.");
        assert_eq!(summary(&listed), &listed[..4]);
        let trailing = lines("Ends with:");
        assert_eq!(summary(&trailing), &trailing[..]);
        assert!(summary(&[]).is_empty());
    }
}
