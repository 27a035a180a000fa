//! A paginated operation's `Paginate` impl (which input member takes the token, which output member gives the
//! next one, which list the pages carry) and its `<operation>_pages` client method. The runtime's generic
//! `Paginator` does the rest: a stream of pages that stops at an absent or empty token and fails on a repeated
//! one.

use super::{Ctx, EmitError};
use crate::ir::{Kind, Member, Operation, Shape};
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// What an operation's file gets for its paginator.
pub struct Paginator {
    /// The `Paginate` impl of the marker type.
    pub impl_: TokenStream,
    /// The fluent builder's `into_paginator()`.
    pub into_paginator: TokenStream,
    /// The `paginator` module: the paginator, and its items.
    pub module: TokenStream,
}

fn member<'s>(shape: &'s Shape, name: &str, what: &str) -> Result<&'s Member, String> {
    let Kind::Structure { members, .. } = &shape.kind else {
        return Err(format!("{what}: {} is not a structure", shape.name));
    };
    members
        .iter()
        .find(|m| m.name == name)
        .ok_or_else(|| format!("{what}: {} has no member {name}", shape.name))
}

/// The paginator of `op`, if the model has one.
pub fn emit(ctx: &Ctx<'_>, op: &Operation) -> Result<Option<Paginator>, EmitError> {
    let Some(p) = ctx.paginators.get(&op.name) else {
        return Ok(None);
    };
    let fail = |e: String| EmitError(format!("paginator {}: {e}", op.name));
    let (Some(input), Some(output)) = (&op.input, &op.output) else {
        return Err(fail("the operation needs both an input and an output".into()));
    };
    let (input, output) = (ctx.shape(input), ctx.shape(output));
    let string = |m: &Member| match &ctx.shape(&m.target).kind {
        Kind::String { enum_values, .. } if enum_values.is_empty() => Ok(()),
        _ => Err(fail(format!("token member {} is not a string", m.name))),
    };

    let in_token = member(input, &p.input_token, "input_token").map_err(fail)?;
    string(in_token)?;
    let field = names::ident(&names::field_name(&in_token.name));
    let set = if ctx.bare(input, in_token) {
        quote!(input.#field = token;)
    } else {
        quote!(input.#field = Some(token);)
    };

    let out_token = member(output, &p.output_token, "output_token").map_err(fail)?;
    string(out_token)?;
    let field = names::ident(&names::field_name(&out_token.name));
    let next = if ctx.bare(output, out_token) {
        quote!(Some(output.#field.as_str()))
    } else {
        quote!(output.#field.as_deref())
    };

    let result = member(output, &p.result_key, "result_key").map_err(fail)?;
    let Kind::List { member: item, .. } = &ctx.shape(&result.target).kind else {
        return Err(fail(format!("result_key {} is not a list", result.name)));
    };
    let item = ctx.rust_type(item);
    let field = names::ident(&names::field_name(&result.name));
    let items = if ctx.bare(output, result) {
        quote!(output.#field)
    } else {
        quote!(output.#field.unwrap_or_default())
    };

    let marker = format_ident!("{}", names::operation_name(&op.name));
    let input_ty = format_ident!("{}", names::input_name(&op.name));
    let output_ty = format_ident!("{}", names::output_name(&op.name));
    let token_name = &p.output_token;
    let impl_ = quote! {
        impl lean_aws_runtime::paginator::Paginate for #marker {
            type Item = #item;
            const TOKEN: &'static str = #token_name;
            fn set_token(input: &mut #input_ty, token: String) {
                #set
            }
            fn next_token(output: &#output_ty) -> Option<&str> {
                #next
            }
            fn items(output: #output_ty) -> Vec<#item> {
                #items
            }
        }
    };
    let root = &ctx.root;
    let paginator = format_ident!("{}", names::paginator_name(&op.name));
    let items_ty = format_ident!("{}", names::paginator_items_name(&op.name));
    let input_builder = format_ident!("{}", names::builder_name(&input_ty.to_string()));
    let builders = format_ident!("{}", names::BUILDERS_MODULE);
    let doc = [
        format!(
            " Pages through `{}`: [`send`](Self::send) gives a stream of pages (`{output_ty}`) that passes",
            op.name
        ),
        format!(
            " each page's `{}` on to the next request and stops when there is none. A token that",
            p.output_token
        ),
        " comes back twice in a row ends the stream with an error instead of looping.".to_owned(),
        String::new(),
        format!(
            " [`items`](Self::items) gives the `{}` of every page one by one. Each page is one call,",
            p.result_key
        ),
        " retried and validated like any.".to_owned(),
    ];
    let items_doc = format!(
        " The `{}` of every page, one by one: [`send`](Self::send) gives their stream.",
        p.result_key
    );
    let module = quote! {
        /// The operation's paginator.
        pub mod paginator {
            #(#[doc = #doc])*
            ///
            /// `C` is what it is sent with: the client (`send` gives a stream), or with the `blocking` feature the
            /// blocking client (`send` gives an iterator).
            #[derive(Clone, Debug)]
            pub struct #paginator<C = #root::client::Client> {
                pub(crate) inner: super::#builders::#input_builder<C>,
            }

            impl<C> #paginator<C> {
                pub(crate) fn new(inner: super::#builders::#input_builder<C>) -> Self {
                    Self { inner }
                }
                /// The items of every page, one by one.
                pub fn items(self) -> #items_ty<C> {
                    #items_ty(self)
                }
            }

            impl #paginator {
                /// The stream of pages (a `futures_core::Stream`, with `next`, `try_collect` and `collect`).
                pub fn send(self) -> lean_aws_runtime::paginator::Paginator<super::#marker> {
                    let client = self.inner.handle.runtime().clone();
                    lean_aws_runtime::paginator::Paginator::new(client, self.inner.build_input())
                }
            }

            #[doc = #items_doc]
            #[derive(Clone, Debug)]
            pub struct #items_ty<C = #root::client::Client>(pub(crate) #paginator<C>);

            impl #items_ty {
                /// The stream of items (a `futures_core::Stream`, with `next`, `try_collect` and `collect`).
                pub fn send(self) -> lean_aws_runtime::paginator::Items<super::#marker> {
                    self.0.send().items()
                }
            }
        }
    };
    let into_paginator = quote! {
        /// Pages through the operation instead: see the [`paginator`] module.
        pub fn into_paginator(self) -> super::paginator::#paginator {
            super::paginator::#paginator::new(self)
        }
    };
    Ok(Some(Paginator {
        impl_,
        into_paginator,
        module,
    }))
}
