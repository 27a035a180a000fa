//! `tests.rs` (only for the protocol conformance crate): one function per case of a botocore protocol-suite group,
//! listed in the group's `CASES` (which the crate's `summary` target runs and counts) and wrapped in one `#[test]`
//! each (`tests::run::<case>`, ignored when the case is skipped).
//!
//! An input case's `params` become Rust code at generation time: the builder calls, enum conversions, boxes and
//! literals a user would write, so that the test exercises the generated API as well as the serializer (a
//! `from_json` constructor would have bypassed both). The test sends the input through the generated client to
//! an in-memory transport and hands the recorded request and the suite's `serialized` expectation to the
//! crate's hand-written `harness`, which applies the suite's comparison rules.
//!
//! An output case's `response` is queued on the in-memory transport as it is; the test calls the operation and
//! compares the result (through the generated `dump` module) or the modelled error with the suite's
//! expectation, again through the `harness`.

use super::{is_enum, Ctx, EmitError};
use crate::ir::{Kind, Operation};
use crate::names;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::BTreeSet;

/// One case of a group, as the suite gives it.
#[derive(Debug, Clone, Copy)]
pub struct Case<'a> {
    /// The case's `id`.
    pub id: &'a str,
    /// The whole case object.
    pub case: &'a Value,
    /// Why the case is skipped, from the skip list.
    pub skip: Option<&'a str>,
}

/// The test function name for case `id`: the id with every character that cannot be in an identifier replaced.
pub fn test_name(id: &str) -> Ident {
    let mut name: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "case_");
    }
    names::ident(&name)
}

/// The tests of one group. `endpoint` is the group's `clientEndpoint`.
pub fn emit(ctx: &Ctx<'_>, doc: &str, cases: &[Case<'_>], endpoint: &str) -> Result<TokenStream, EmitError> {
    let mut seen = BTreeSet::new();
    let (mut functions, mut entries, mut tests) = (Vec::new(), Vec::new(), Vec::new());
    for case in cases {
        let name = test_name(case.id);
        if !seen.insert(name.to_string()) {
            return Err(EmitError(format!("two cases of the group are named {name}")));
        }
        let err = |e: EmitError| EmitError(format!("case {}: {}", case.id, e.0));
        let op_name = case
            .case
            .get("given")
            .and_then(|g| g.get("name"))
            .and_then(Value::as_str)
            .ok_or_else(|| err(EmitError("no `given.name`".into())))?;
        let op = ctx
            .operations
            .iter()
            .find(|o| o.name == op_name)
            .ok_or_else(|| err(EmitError(format!("operation {op_name} was not generated"))))?;
        let body = if let Some(params) = case.case.get("params") {
            input_test(ctx, op, params, case.case, endpoint).map_err(err)?
        } else if case.case.get("response").is_some() {
            output_test(ctx, op, case.case, endpoint).map_err(err)?
        } else {
            return Err(err(EmitError("neither `params` nor `response`".into())));
        };
        let description = case.case.get("description").and_then(Value::as_str).unwrap_or("");
        let docs = description.lines().map(|l| format!(" {}", l.trim_end()));
        let ignore = case.skip.map(|reason| {
            let reason = format!("skip.txt: {reason}");
            quote!(#[ignore = #reason])
        });
        let id = case.id;
        let skip = match case.skip {
            Some(reason) => quote!(Some(#reason)),
            None => quote!(None),
        };
        functions.push(quote! {
            #(#[doc = #docs])*
            pub async fn #name() {
                #body
            }
        });
        entries.push(quote! {
            harness::Case { id: #id, skip: #skip, run: || Box::pin(#name()) }
        });
        tests.push(quote! {
            #[tokio::test]
            #ignore
            async fn #name() {
                super::#name().await;
            }
        });
    }
    // The cases' docs are the suite's descriptions, written for botocore's runner rather than rustdoc (bare URLs).
    Ok(quote! {
        #![doc = #doc]
        #![allow(non_snake_case, rustdoc::all)]
        use crate::harness;
        #(#functions)*
        /// The group's cases in suite order, for the `summary` target, which runs them itself.
        pub const CASES: &[harness::Case] = &[#(#entries),*];
        /// One libtest test per case.
        #[cfg(test)]
        mod run {
            #(#tests)*
        }
    })
}

/// The case's `key` as pretty-printed JSON in a raw string literal, so that the generated test shows the
/// expectation as the suite states it.
fn text_of(case: &Value, key: &str) -> Result<TokenStream, EmitError> {
    let value = case.get(key).ok_or_else(|| EmitError(format!("no `{key}`")))?;
    let text = serde_json::to_string_pretty(value).map_err(|e| EmitError(e.to_string()))?;
    raw_string(&text)
}

/// `r#"…"#` with as many `#` as the text needs.
fn raw_string(text: &str) -> Result<TokenStream, EmitError> {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .map_err(|e| EmitError(format!("cannot write a raw string literal: {e}")))
}

fn input_test(
    ctx: &Ctx<'_>,
    op: &Operation,
    params: &Value,
    case: &Value,
    endpoint: &str,
) -> Result<TokenStream, EmitError> {
    let input = input_value(ctx, op, params)?;
    let serialized = text_of(case, "serialized")?;
    Ok(quote! {
        let input = #input;
        let transport = harness::transport();
        let client = super::Client::new(harness::config(&transport, #endpoint));
        let result = input.send_with(&client).await;
        harness::check_request(&transport, result.err(), #serialized);
    })
}

/// The operation's input builder with `params` set (an object of member values by model name).
fn input_value(ctx: &Ctx<'_>, op: &Operation, params: &Value) -> Result<TokenStream, EmitError> {
    match &op.input {
        Some(shape) => builder_value(ctx, shape, params),
        None => {
            if params.as_object().is_some_and(|p| !p.is_empty()) {
                return Err(EmitError("params for an operation without input".into()));
            }
            let input = format_ident!("{}", names::input_name(&op.name));
            let module = ctx.operation_module(&op.name);
            Ok(quote!(#module::#input::builder()))
        }
    }
}

/// A structure's builder with the members of `v` set (botocore's parameter form), not yet built.
pub(super) fn builder_value(ctx: &Ctx<'_>, target: &str, v: &Value) -> Result<TokenStream, EmitError> {
    let ty = ctx.type_path(target);
    let setters = setter_calls(ctx, target, v)?;
    Ok(quote!(#ty::builder() #(#setters)*))
}

/// `.set_x(Some(..))` for each member of `v` (botocore's parameter form) of structure `target`.
pub(super) fn setter_calls(ctx: &Ctx<'_>, target: &str, v: &Value) -> Result<Vec<TokenStream>, EmitError> {
    let Kind::Structure { members, .. } = &ctx.shape(target).kind else {
        return Err(EmitError(format!("{target} is not a structure")));
    };
    let mut setters = Vec::new();
    let object = v
        .as_object()
        .ok_or_else(|| EmitError(format!("{v} is not a value of shape {target}")))?;
    for (key, x) in object {
        let member = members
            .iter()
            .find(|m| &m.name == key)
            .ok_or_else(|| EmitError(format!("{target} has no member {key}")))?;
        if x.is_null() {
            // botocore drops null parameters: the member stays unset.
            continue;
        }
        let setter = format_ident!("{}", names::setter_name(&member.name));
        let x = value(ctx, &member.target, x)?;
        setters.push(quote!(.#setter(Some(#x))));
    }
    Ok(setters)
}

fn output_test(ctx: &Ctx<'_>, op: &Operation, case: &Value, endpoint: &str) -> Result<TokenStream, EmitError> {
    let method = names::ident(&names::method_name(&op.name));
    let response = text_of(case, "response")?;
    let call = quote! {
        let transport = harness::respond(#response);
        let client = super::Client::new(harness::config(&transport, #endpoint));
        let result = client.#method().send().await;
    };
    if let Some(code) = case.get("errorCode").and_then(Value::as_str) {
        let message = match case.get("errorMessage").and_then(Value::as_str) {
            Some(m) => quote!(Some(#m)),
            None => quote!(None),
        };
        let members = text_of(case, "error")?;
        let error = format_ident!("{}", names::error_name(&op.name));
        let module = ctx.operation_module(&op.name);
        let check = match op.errors.iter().find(|e| e.as_str() == code) {
            Some(shape) => {
                let variant = format_ident!("{}", names::type_name(shape));
                let dump = format_ident!("{}", names::fn_name("dump", shape));
                quote! {
                    match harness::service_error(result) {
                        #module::#error::#variant(e) => {
                            harness::check_error(&e.meta, &super::dump::#dump(&e), #code, #message, #members)
                        }
                        other => panic!("expected the modelled error {}, got {other:?}", #code),
                    }
                }
            }
            None => quote! {
                match harness::service_error(result) {
                    #module::#error::Unhandled(e) => {
                        harness::check_error(&e.meta, &harness::no_members(), #code, #message, #members)
                    }
                    other => panic!("expected an unmodelled error, got {other:?}"),
                }
            },
        };
        return Ok(quote!(#call #check));
    }
    let result = text_of(case, "result")?;
    let dump = match &op.output {
        Some(shape) => {
            let f = format_ident!("{}", names::fn_name("dump", shape));
            quote!(super::dump::#f(&output))
        }
        None => quote!(harness::no_members()),
    };
    Ok(quote! {
        #call
        let output = harness::output(result);
        harness::check_result(&#dump, #result);
        harness::check_request_id(lean_aws_runtime::error::RequestId::request_id(&output), #response);
    })
}

fn expect_str<'v>(v: &'v Value, what: &str) -> Result<&'v str, EmitError> {
    v.as_str()
        .ok_or_else(|| EmitError(format!("expected a string for {what}, got {v}")))
}

/// An expression of the Rust type of shape `target` with the value `v` (botocore's parameter form).
pub(super) fn value(ctx: &Ctx<'_>, target: &str, v: &Value) -> Result<TokenStream, EmitError> {
    let shape = ctx.shape(target);
    let bad = || EmitError(format!("{v} is not a value of shape {target}"));
    Ok(match &shape.kind {
        Kind::String { .. } if is_enum(shape) => {
            let ty = ctx.type_path(target);
            let s = expect_str(v, target)?;
            quote!(#ty::from(#s))
        }
        Kind::String { .. } => {
            let s = expect_str(v, target)?;
            quote!(String::from(#s))
        }
        Kind::Integer { .. } => {
            let n = v.as_i64().and_then(|n| i32::try_from(n).ok()).ok_or_else(bad)?;
            let lit = Literal::i32_suffixed(n);
            quote!(#lit)
        }
        Kind::Long { .. } => {
            let lit = Literal::i64_suffixed(v.as_i64().ok_or_else(bad)?);
            quote!(#lit)
        }
        Kind::Float { .. } => float(v, quote!(f32), |n| Literal::f32_suffixed(n as f32)).ok_or_else(bad)?,
        Kind::Double { .. } => float(v, quote!(f64), Literal::f64_suffixed).ok_or_else(bad)?,
        Kind::Boolean => {
            let b = v.as_bool().ok_or_else(bad)?;
            quote!(#b)
        }
        Kind::Timestamp { .. } => match (v.as_i64(), v.as_f64()) {
            (Some(secs), _) => quote!(lean_aws_runtime::DateTime::from_secs(#secs)),
            (None, Some(secs)) => quote!(lean_aws_runtime::DateTime::from_secs_f64(#secs)),
            _ => return Err(bad()),
        },
        Kind::Blob { .. } => {
            let bytes = Literal::byte_string(expect_str(v, target)?.as_bytes());
            quote!(#bytes.to_vec())
        }
        Kind::Document => {
            let text = v.to_string();
            quote!(serde_json::from_str::<lean_aws_runtime::Document>(#text).expect("the suite's document is JSON"))
        }
        Kind::List { member, .. } => {
            let items = v.as_array().ok_or_else(bad)?;
            if items.is_empty() {
                let inner = ctx.rust_type(member);
                quote!(Vec::<#inner>::new())
            } else {
                let items = items
                    .iter()
                    .map(|item| value(ctx, member, item))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(Vec::from([#(#items),*]))
            }
        }
        Kind::Map { value: value_shape, .. } => {
            let inner = ctx.rust_type(value_shape);
            let entries = v
                .as_object()
                .ok_or_else(bad)?
                .iter()
                .filter(|(_, x)| !x.is_null())
                .map(|(k, x)| {
                    let x = value(ctx, value_shape, x)?;
                    Ok(quote!((String::from(#k), #x)))
                })
                .collect::<Result<Vec<_>, EmitError>>()?;
            let map = ctx.map_type();
            quote!(#map::<String, #inner>::from([#(#entries),*]))
        }
        Kind::Structure { .. } => {
            let builder = builder_value(ctx, target, v)?;
            if ctx.fallible_build(shape) {
                quote!(#builder.build().expect("a builder of this shape never fails"))
            } else {
                quote!(#builder.build())
            }
        }
        Kind::Union { members } => {
            let ty = ctx.type_path(target);
            let set: Vec<_> = v
                .as_object()
                .ok_or_else(bad)?
                .iter()
                .filter(|(_, x)| !x.is_null())
                .collect();
            let [(key, x)] = set.as_slice() else {
                return Err(EmitError(format!("a union value must set exactly one member: {v}")));
            };
            let member = members
                .iter()
                .find(|m| &m.name == *key)
                .ok_or_else(|| EmitError(format!("{target} has no member {key}")))?;
            let variant = format_ident!("{}", names::variant_name(&member.name));
            let x = value(ctx, &member.target, x)?;
            if ctx.boxed(target, member) {
                quote!(#ty::#variant(Box::new(#x)))
            } else {
                quote!(#ty::#variant(#x))
            }
        }
    })
}

/// A float literal, or `NaN`/`Infinity`/`-Infinity` (given as strings) as the type's constants.
fn float(v: &Value, ty: TokenStream, lit: impl Fn(f64) -> Literal) -> Option<TokenStream> {
    match v {
        Value::Number(n) => {
            let lit = lit(n.as_f64()?);
            Some(quote!(#lit))
        }
        Value::String(s) => match s.as_str() {
            "NaN" => Some(quote!(#ty::NAN)),
            "Infinity" => Some(quote!(#ty::INFINITY)),
            "-Infinity" => Some(quote!(#ty::NEG_INFINITY)),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_ids_become_test_names() {
        assert_eq!(
            test_name("serializes_string_shapes").to_string(),
            "serializes_string_shapes"
        );
        assert_eq!(test_name("AwsJson11Enums").to_string(), "AwsJson11Enums");
        assert_eq!(test_name("a-b.c d").to_string(), "a_b_c_d");
        assert_eq!(test_name("1st").to_string(), "case_1st");
        assert_eq!(test_name("type").to_string(), "r#type");
    }
}
