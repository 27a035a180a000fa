//! A validator per input-side shape that carries a constraint (or contains one that does), and the `Validate` impl
//! of every operation input. Lengths count characters, patterns match the whole value, and every violation is
//! reported; patterns that are one repeated character class are checked character by character, the rest with a
//! lazily built `regex-lite`.

use super::{mentions, Ctx, EmitError};
use crate::ir::{Kind, Limits, Member, Operation, Shape};
use crate::names;
use crate::patterns;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

fn opt_u64(v: Option<f64>) -> TokenStream {
    match v {
        Some(n) => {
            let n = n as u64;
            quote!(Some(#n))
        }
        None => quote!(None),
    }
}

fn opt_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    }
}

/// Shapes on the input side that need a validator: their own constraints, or a member's. Computed once, by
/// [`Ctx::new`].
pub fn needing(ctx: &Ctx<'_>) -> BTreeSet<String> {
    let own = |s: &Shape| match &s.kind {
        Kind::String {
            enum_values,
            length,
            pattern,
        } => enum_values.is_empty() && (length.is_some() || pattern.is_some()),
        Kind::Integer { range } | Kind::Long { range } | Kind::Float { range } | Kind::Double { range } => {
            range.is_some()
        }
        Kind::Blob { length } | Kind::List { length, .. } | Kind::Map { length, .. } => length.is_some(),
        Kind::Structure { members, .. } => {
            ctx.exactly_one_of.contains_key(&s.name)
                || (ctx.inputs.contains_key(&s.name) && members.iter().any(|m| m.host_label))
                || members.iter().any(|m| m.required && !ctx.bare(s, m))
        }
        _ => false,
    };
    let input_side: Vec<&String> = ctx.input_users.keys().collect();
    let mut set: BTreeSet<String> = input_side
        .iter()
        .filter(|s| own(ctx.shape(s)))
        .map(|s| (*s).clone())
        .collect();
    loop {
        let before = set.len();
        for name in &input_side {
            if !set.contains(*name) && ctx.shape(name).targets().iter().any(|t| set.contains(*t)) {
                set.insert((*name).clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

/// The `Validate` impl of an operation's input.
pub fn validate_impl(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let input = format_ident!("{}", names::input_name(&op.name));
    let shape_name = input.to_string();
    let body = match &op.input {
        Some(shape) if ctx.validated.contains(shape) => {
            let f = ctx.fn_path("validate", shape);
            quote!(#f(self, path, mode == validate::ValidationMode::Full, out);)
        }
        _ => quote!(let _ = (path, mode, out);),
    };
    quote! {
        impl validate::Validate for #input {
            const SHAPE: &'static str = #shape_name;
            fn validate_into(
                &self,
                path: &validate::Path<'_>,
                mode: validate::ValidationMode,
                out: &mut Vec<validate::Violation>,
            ) {
                #body
            }
        }
    }
}

/// The validator of `shape` (with the static regex it uses, if any), or `None` when it needs none.
pub fn validator(ctx: &Ctx<'_>, shape: &Shape) -> Result<Option<TokenStream>, EmitError> {
    if !ctx.validated.contains(&shape.name) {
        return Ok(None);
    }
    let needed = &ctx.validated;
    let f = format_ident!("{}", names::fn_name("validate", &shape.name));
    let call = |target: &str, value: TokenStream, path: TokenStream| -> TokenStream {
        if needed.contains(target) {
            let g = ctx.fn_path("validate", target);
            quote!(#g(#value, &#path, full, out);)
        } else {
            quote!()
        }
    };
    let length = |l: &Limits, len: TokenStream| {
        let (min, max) = (opt_u64(l.min), opt_u64(l.max));
        l.is_some()
            .then(|| quote!(if full { validate::check_length(#len, #min, #max, path, out); }))
    };
    let mut statics = quote!();
    let body = match &shape.kind {
        Kind::String { length, pattern, .. } => {
            let len = length.is_some().then(|| {
                let (min, max) = (opt_u64(length.min), opt_u64(length.max));
                quote!(validate::check_str_length(v, #min, #max, path, out);)
            });
            let pat = match pattern {
                Some(p) => match patterns::simple_class(p) {
                    Some(ranges) => {
                        let (lo, hi): (Vec<u32>, Vec<u32>) = ranges.into_iter().unzip();
                        Some(quote!(validate::check_chars(v, &[#((#lo, #hi)),*], #p, path, out);))
                    }
                    None => {
                        let rust =
                            patterns::translate(p).map_err(|e| EmitError(format!("shape {}: {e}", shape.name)))?;
                        let re = format_ident!("{}", names::regex_static(&shape.name));
                        statics = quote! {
                            static #re: std::sync::LazyLock<validate::Regex> = std::sync::LazyLock::new(|| {
                                validate::Regex::new(#rust)
                                    .expect("every model pattern is compiled by the generator's tests")
                            });
                        };
                        Some(quote!(validate::check_pattern(v, &#re, #p, path, out);))
                    }
                },
                None => None,
            };
            quote!(if full { #len #pat })
        }
        Kind::Integer { range } | Kind::Float { range } => {
            let (min, max) = (opt_f64(range.min), opt_f64(range.max));
            quote!(if full { validate::check_range(f64::from(*v), #min, #max, path, out); })
        }
        Kind::Long { range } => {
            let (min, max) = (opt_f64(range.min), opt_f64(range.max));
            quote!(if full { validate::check_range(*v as f64, #min, #max, path, out); })
        }
        Kind::Double { range } => {
            let (min, max) = (opt_f64(range.min), opt_f64(range.max));
            quote!(if full { validate::check_range(*v, #min, #max, path, out); })
        }
        Kind::Blob { length: l } => {
            let check = length(l, quote!(v.len()));
            quote!(#check)
        }
        Kind::List { member, length: l } => {
            let check = length(l, quote!(v.len()));
            let each = call(member, quote!(x), quote!(path.index(i)));
            let each = (!each.is_empty()).then(|| quote!(for (i, x) in v.iter().enumerate() { #each }));
            quote!(#check #each)
        }
        Kind::Map { key, value, length: l } => {
            let check = length(l, quote!(v.len()));
            let k = call(key, quote!(k.as_str()), quote!(path.key(k)));
            let x = call(value, quote!(x), quote!(path.key(k)));
            let each = (!k.is_empty() || !x.is_empty())
                .then(|| quote!(for (k, x) in lean_aws_runtime::protocol::json::in_key_order(v) { #k #x }));
            quote!(#check #each)
        }
        Kind::Structure { members, .. } => {
            // A missing required member is reported in every mode: nothing is sent without it.
            let checked = |m: &&Member| needed.contains(&m.target) || (m.required && !ctx.bare(shape, m));
            let checks = members.iter().filter(checked).map(|m| {
                let field = names::ident(&names::field_name(&m.name));
                let name = &m.name;
                if ctx.bare(shape, m) {
                    return call(&m.target, quote!(&v.#field), quote!(path.member(#name)));
                }
                let c = call(&m.target, quote!(x), quote!(path.member(#name)));
                match (c.is_empty(), m.required) {
                    (_, false) => quote!(if let Some(x) = &v.#field { #c }),
                    (true, true) => quote!(if v.#field.is_none() { validate::missing(&path.member(#name), out); }),
                    (false, true) => quote! {
                        match &v.#field {
                            Some(x) => { #c }
                            None => validate::missing(&path.member(#name), out),
                        }
                    },
                }
            });
            let groups = ctx
                .exactly_one_of
                .get(&shape.name)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let mut one_of = Vec::new();
            for group in groups {
                let mut fields = Vec::new();
                for member in group {
                    let m = members.iter().find(|m| &m.name == member).ok_or_else(|| {
                        EmitError(format!(
                            "exactly-one-of rule names {}.{member}, which is not a member",
                            shape.name
                        ))
                    })?;
                    if ctx.bare(shape, m) {
                        return Err(EmitError(format!(
                            "exactly-one-of rule names required member {}.{member}",
                            shape.name
                        )));
                    }
                    fields.push(names::ident(&names::field_name(member)));
                }
                one_of.push(quote! {
                    validate::check_exactly_one(
                        [#(v.#fields.is_some()),*].iter().filter(|set| **set).count(),
                        &[#(#group),*],
                        path,
                        out,
                    );
                });
            }
            // Members that fill a `{label}` of the host prefix, checked in every mode: see `check_host_label`.
            let host_labels = members
                .iter()
                .filter(|m| m.host_label && ctx.inputs.contains_key(&shape.name))
                .map(|m| {
                    let field = names::ident(&names::field_name(&m.name));
                    let name = &m.name;
                    if ctx.bare(shape, m) {
                        quote!(validate::check_host_label(&v.#field, &path.member(#name), out);)
                    } else {
                        quote!(if let Some(x) = &v.#field { validate::check_host_label(x, &path.member(#name), out); })
                    }
                });
            quote!(#(#checks)* #(#one_of)* #(#host_labels)*)
        }
        Kind::Union { members } => {
            let uty = ctx.type_path(&shape.name);
            let arms = members.iter().filter(|m| needed.contains(&m.target)).map(|m| {
                let variant = format_ident!("{}", names::variant_name(&m.name));
                let name = &m.name;
                let c = call(&m.target, quote!(x), quote!(path.member(#name)));
                quote!(#uty::#variant(x) => { #c })
            });
            quote!(match v { #(#arms)* _ => {} })
        }
        Kind::Boolean | Kind::Timestamp { .. } | Kind::Document => quote!(),
    };
    let arg = match &shape.kind {
        Kind::String { .. } => quote!(&str),
        _ => ctx.arg_type(&shape.name),
    };
    let vis = ctx.fn_vis(&shape.name);
    // Only the exactly-one-of and host-label checks of a structure run in both modes; say so where `full` goes
    // unused.
    let unused = (!mentions(&body, "full")).then(|| quote!(let _ = full;));
    Ok(Some(quote! {
        #statics
        #vis fn #f(v: #arg, path: &validate::Path<'_>, full: bool, out: &mut Vec<validate::Violation>) {
            #unused
            #body
        }
    }))
}
