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
    /// The client method.
    pub method: TokenStream,
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
    let set = if ctx.is_required(input, in_token) {
        quote!(input.#field = token;)
    } else {
        quote!(input.#field = Some(token);)
    };

    let out_token = member(output, &p.output_token, "output_token").map_err(fail)?;
    string(out_token)?;
    let field = names::ident(&names::field_name(&out_token.name));
    let next = if ctx.is_required(output, out_token) {
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
    let items = if ctx.is_required(output, result) {
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
    let method = names::ident(&names::paginator_method_name(&op.name));
    let call = names::method_name(&op.name);
    let doc = [
        format!(
            " Pages through `{}`: a stream of pages (`{output_ty}`) that passes each page's",
            op.name
        ),
        format!(
            " `{}` on to the next request and stops when there is none. A token that comes back",
            p.output_token
        ),
        " twice in a row ends the stream with an error instead of looping.".to_owned(),
        String::new(),
        format!(
            " [`Paginator::items`](lean_aws_runtime::paginator::Paginator::items) gives the `{}` of every page",
            p.result_key
        ),
        format!(" one by one. Each page is one [`{call}`](Self::{call}) call, retried and validated like it."),
    ];
    let method = quote! {
        #(#[doc = #doc])*
        pub fn #method(&self, input: #input_ty) -> lean_aws_runtime::paginator::Paginator<#marker> {
            lean_aws_runtime::paginator::Paginator::new(self.runtime().clone(), input)
        }
    };
    Ok(Some(Paginator { impl_, method }))
}
