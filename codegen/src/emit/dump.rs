//! `dump.rs` (test support, only for the protocol conformance crate): every output-side value as a
//! `serde_json::Value`, in the form botocore's protocol suites state expected results in. Blobs become (UTF-8)
//! text, timestamps epoch seconds, NaN and the infinities the strings `"NaN"`, `"Infinity"` and `"-Infinity"`;
//! members are keyed by their model names and unset members are left out.
//!
//! The tests compare that `Value` with the suite's `result` (or `error`): one comparison per case covers every
//! member, at any depth, with a readable diff when it fails.

use super::{is_enum, Ctx};
use crate::ir::{Kind, Shape};
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let fns = ctx
        .output_users
        .keys()
        .map(|s| ctx.shape(s))
        .filter_map(|s| dump_fn(ctx, s));
    quote! {
        //! Test support: output values as JSON, in the form the protocol suites give expected results in.
        #![allow(dead_code)]
        use lean_aws_runtime::protocol::json::Value;

        fn float(n: f64) -> Value {
            if n.is_nan() {
                Value::from("NaN")
            } else if n == f64::INFINITY {
                Value::from("Infinity")
            } else if n == f64::NEG_INFINITY {
                Value::from("-Infinity")
            } else {
                Value::from(n)
            }
        }

        fn float32(n: f32) -> Value {
            // The shortest decimal that reads back as `n`: 0.1f32 is 0.1, not 0.10000000149011612.
            match n.to_string().parse::<f64>() {
                Ok(shortest) if n.is_finite() => Value::from(shortest),
                _ => float(f64::from(n)),
            }
        }

        fn timestamp(t: &lean_aws_runtime::DateTime) -> Value {
            if t.subsec_nanos() == 0 {
                Value::from(t.secs())
            } else {
                Value::from(t.as_secs_f64())
            }
        }

        fn blob(bytes: &[u8]) -> Value {
            Value::String(String::from_utf8_lossy(bytes).into_owned())
        }

        #(#fns)*
    }
}

/// An expression of type `Value` for `x: &T` of shape `target`.
fn dump_value(ctx: &Ctx<'_>, target: &str) -> TokenStream {
    let shape = ctx.shape(target);
    match &shape.kind {
        Kind::String { .. } if is_enum(shape) => quote!(Value::from(x.as_str())),
        Kind::String { .. } => quote!(Value::String(x.clone())),
        Kind::Integer { .. } | Kind::Long { .. } => quote!(Value::from(*x)),
        Kind::Float { .. } => quote!(float32(*x)),
        Kind::Double { .. } => quote!(float(*x)),
        Kind::Boolean => quote!(Value::Bool(*x)),
        Kind::Timestamp { .. } => quote!(timestamp(x)),
        Kind::Blob { .. } => quote!(blob(x)),
        Kind::Document => quote!(x.clone()),
        Kind::Structure { .. } | Kind::Union { .. } | Kind::List { .. } | Kind::Map { .. } => {
            let f = format_ident!("{}", names::fn_name("dump", target));
            quote!(#f(x))
        }
    }
}

fn dump_fn(ctx: &Ctx<'_>, shape: &Shape) -> Option<TokenStream> {
    let f = format_ident!("{}", names::fn_name("dump", &shape.name));
    let ty = ctx.rust_type(&shape.name);
    let body = match &shape.kind {
        Kind::Structure { members, .. } => {
            let entries = members.iter().map(|m| {
                let field = names::ident(&names::field_name(&m.name));
                let name = &m.name;
                let value = dump_value(ctx, &m.target);
                if ctx.bare(shape, m) {
                    quote! { let x = &v.#field; out.insert(#name.into(), #value); }
                } else {
                    quote! { if let Some(x) = &v.#field { out.insert(#name.into(), #value); } }
                }
            });
            if members.is_empty() {
                quote! {
                    let _ = v;
                    Value::Object(serde_json::Map::new())
                }
            } else {
                quote! {
                    let mut out = serde_json::Map::new();
                    #(#entries)*
                    Value::Object(out)
                }
            }
        }
        Kind::Union { members } => {
            let arms = members.iter().map(|m| {
                let variant = format_ident!("{}", names::variant_name(&m.name));
                let name = &m.name;
                let value = dump_value(ctx, &m.target);
                quote!(#ty::#variant(x) => (#name, #value),)
            });
            quote! {
                let (name, value) = match v {
                    #(#arms)*
                    // botocore's form of a member it does not know.
                    #ty::Unknown(m) => (
                        "SDK_UNKNOWN_MEMBER",
                        Value::Object(serde_json::Map::from_iter([("name".to_owned(), Value::from(m.name()))])),
                    ),
                };
                Value::Object(serde_json::Map::from_iter([(name.to_owned(), value)]))
            }
        }
        Kind::List { member, .. } => {
            let value = dump_value(ctx, member);
            quote! {
                let mut out = Vec::with_capacity(v.len());
                for x in v {
                    out.push(#value);
                }
                Value::Array(out)
            }
        }
        Kind::Map { value, .. } => {
            let value = dump_value(ctx, value);
            quote! {
                let mut out = serde_json::Map::new();
                for (k, x) in v {
                    out.insert(k.clone(), #value);
                }
                Value::Object(out)
            }
        }
        _ => return None,
    };
    let arg = ctx.arg_type(&shape.name);
    Some(quote! {
        pub(crate) fn #f(v: #arg) -> Value {
            #body
        }
    })
}
