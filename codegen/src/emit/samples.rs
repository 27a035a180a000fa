//! Generated tests of a service crate over the whole model (`tests/samples/`, beside a hand-written `main.rs`
//! with the helpers they call):
//!
//! * `operations.rs`: one test per operation, gated on its feature. It builds the input from a sample (the
//!   required members, and the first member of each exactly-one-of group), calls the client method against an
//!   in-memory transport that answers `{}`, and checks the request (`X-Amz-Target`, every required member in the
//!   body) and the output: the method exists, sends what the model says, and decodes the sparsest answer.
//! * `sensitive.rs`: one test per shape that holds a sensitive value (structures, unions, inputs, outputs and
//!   errors): every member is set, sensitive strings to a marker, and `Debug` must show the redaction and never
//!   the marker. Inputs are also sent (the marker must reach the wire), outputs and errors decoded from a
//!   response.

use super::cases::value;
use super::{is_enum, Ctx, EmitError};
use crate::ir::{Kind, Operation, Shape};
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// The marker a sensitive sample value holds.
const SECRET: &str = "SECRET-4c1d0a7e";

/// How deep samples go before they stop adding optional members (recursive shapes).
const MAX_DEPTH: usize = 8;

/// The two test files, as `(path below tests/, tokens)`; `crate_ident` is the crate's name in Rust.
pub fn emit(ctx: &Ctx<'_>, crate_ident: &str) -> Result<Vec<(String, TokenStream)>, EmitError> {
    let ctx = ctx.rooted_at(crate_ident)?;
    Ok(vec![
        ("samples/operations.rs".to_owned(), operations(&ctx)?),
        ("samples/sensitive.rs".to_owned(), sensitive(&ctx)?),
    ])
}

/// A sample of shape `target` in botocore's parameter form (member names, raw blobs, epoch seconds). `every`:
/// all members, else only what a valid input needs; `secret`: strings hold the marker (inside a sensitive shape).
fn sample(ctx: &Ctx<'_>, target: &str, every: bool, secret: bool, depth: usize) -> Value {
    let shape = ctx.shape(target);
    let secret = secret || shape.sensitive;
    let text = if secret { SECRET } else { "sample" };
    match &shape.kind {
        Kind::String { enum_values, .. } if is_enum(shape) => json!(enum_values[0]),
        Kind::String { .. } | Kind::Blob { .. } => json!(text),
        Kind::Integer { range } | Kind::Long { range } => json!(range.min.map_or(1, |m| m.max(1.0) as i64)),
        Kind::Float { range } | Kind::Double { range } => json!(range.min.map_or(1.5, |m| m.max(1.5))),
        Kind::Boolean => json!(true),
        Kind::Timestamp { .. } => json!(1_700_000_000),
        Kind::Document => json!({ "sample": [1, true] }),
        Kind::List { member, .. } => {
            if depth > MAX_DEPTH {
                json!([])
            } else {
                json!([sample(ctx, member, every, secret, depth + 1)])
            }
        }
        Kind::Map { value, .. } => {
            let mut map = Map::new();
            if depth <= MAX_DEPTH {
                map.insert("key".into(), sample(ctx, value, every, secret, depth + 1));
            }
            Value::Object(map)
        }
        Kind::Structure { members, .. } => {
            let groups = ctx.exactly_one_of.get(target).map(Vec::as_slice).unwrap_or_default();
            let mut out = Map::new();
            for m in members {
                let group = groups.iter().find(|g| g.contains(&m.name));
                let wanted = match group {
                    // Exactly one of the group: its first member.
                    Some(g) => g[0] == m.name,
                    None => ctx.is_required(shape, m) || (every && depth <= MAX_DEPTH),
                };
                if wanted {
                    out.insert(m.name.clone(), sample(ctx, &m.target, every, secret, depth + 1));
                }
            }
            Value::Object(out)
        }
        Kind::Union { members } => {
            // The member that holds a secret, if one does (that is what a redaction test needs), else the first.
            let m = members
                .iter()
                .find(|m| holds_secret(ctx, &m.target))
                .unwrap_or(&members[0]);
            json!({ m.name.clone(): sample(ctx, &m.target, every, secret, depth + 1) })
        }
    }
}

/// A sample in parameter form as the service would send it: wire names, base64 blobs.
fn wire(ctx: &Ctx<'_>, target: &str, v: &Value) -> Value {
    let shape = ctx.shape(target);
    match (&shape.kind, v) {
        (Kind::Blob { .. }, Value::String(s)) => {
            json!(base64(s.as_bytes()))
        }
        (Kind::List { member, .. }, Value::Array(items)) => items.iter().map(|x| wire(ctx, member, x)).collect(),
        (Kind::Map { value, .. }, Value::Object(entries)) => entries
            .iter()
            .map(|(k, x)| (k.clone(), wire(ctx, value, x)))
            .collect::<Map<_, _>>()
            .into(),
        (Kind::Structure { members, .. } | Kind::Union { members }, Value::Object(entries)) => entries
            .iter()
            .filter_map(|(k, x)| {
                let m = members.iter().find(|m| &m.name == k)?;
                Some((m.wire_name.clone(), wire(ctx, &m.target, x)))
            })
            .collect::<Map<_, _>>()
            .into(),
        _ => v.clone(),
    }
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Whether values of shape `target` hold a sensitive value somewhere.
fn holds_secret(ctx: &Ctx<'_>, target: &str) -> bool {
    ctx.service.closure([target]).iter().any(|s| ctx.shape(s).sensitive)
}

/// The input of `op` built from its sample.
fn input_value(ctx: &Ctx<'_>, op: &Operation, every: bool) -> Result<TokenStream, EmitError> {
    match &op.input {
        Some(shape) => value(ctx, shape, &sample(ctx, shape, every, false, 0)),
        None => {
            let input = format_ident!("{}", names::input_name(&op.name));
            let root = &ctx.root;
            Ok(quote!(#root::operations::#input::builder().build()))
        }
    }
}

fn operations(ctx: &Ctx<'_>) -> Result<TokenStream, EmitError> {
    let mut tests = Vec::new();
    for op in &ctx.operations {
        let name = &op.name;
        let test = names::ident(&names::method_name(name));
        let method = test.clone();
        let input = input_value(ctx, op, false)?;
        let required: Vec<String> = op
            .input
            .as_ref()
            .and_then(|i| {
                sample(ctx, i, false, false, 0).as_object().map(|o| {
                    let Kind::Structure { members, .. } = &ctx.shape(i).kind else {
                        return Vec::new();
                    };
                    members
                        .iter()
                        .filter(|m| o.contains_key(&m.name))
                        .map(|m| m.wire_name.clone())
                        .collect()
                })
            })
            .unwrap_or_default();
        let cfg = ctx.cfg(&BTreeSet::from([name.clone()]), &BTreeSet::new());
        let doc = format!(" `{name}` sends its input and decodes the sparsest answer, `{{}}`.");
        let deprecated = op.deprecated.then(|| quote!(#[allow(deprecated)]));
        tests.push(quote! {
            #[doc = #doc]
            #cfg
            #deprecated
            #[tokio::test]
            async fn #test() {
                let (client, transport) = crate::client(200, "{}");
                let output = client.#method(#input).await.expect(concat!(#name, " succeeds against `{}`"));
                assert_eq!(output.request_id(), Some(crate::REQUEST_ID));
                crate::check_request(&transport, #name, &[#(#required),*]);
            }
        });
    }
    let all: Vec<&str> = ctx.service.operations.keys().map(String::as_str).collect();
    let count = all.len();
    Ok(quote! {
        //! One test per operation of the model: the client method exists, sends the required members and decodes
        //! the sparsest answer.

        /// Every operation of the model, for the test that counts them.
        pub const ALL: [&str; #count] = [#(#all),*];

        #(#tests)*
    })
}

/// The test of one shape that holds a secret.
fn sensitive_test(ctx: &Ctx<'_>, shape: &Shape) -> Result<Option<TokenStream>, EmitError> {
    let test = format_ident!("debug_redacts_{}", names::module_name(&shape.name));
    let cfg = ctx.cfg(&ctx.users(&shape.name), &BTreeSet::new());
    let every = sample(ctx, &shape.name, true, false, 0);
    let doc = format!(" `{}`: `Debug` redacts every sensitive value.", shape.name);
    let body = if let Some(op) = ctx.inputs.get(&shape.name) {
        let op = ctx.service.operations[op].clone();
        let method = names::ident(&names::method_name(&op.name));
        let input = value(ctx, &shape.name, &every)?;
        quote! {
            let input = #input;
            crate::check_debug(&format!("{input:?}"), SECRET);
            let (client, transport) = crate::client(200, "{}");
            client.#method(input).await.expect("the call succeeds");
            let body = String::from_utf8(transport.requests()[0].body.clone()).expect("the body is text");
            assert!(body.contains(SECRET), "the secret was sent: {body}");
        }
    } else if let Some(op) = ctx.outputs.get(&shape.name) {
        let op = ctx.service.operations[op].clone();
        let method = names::ident(&names::method_name(&op.name));
        let input = input_value(ctx, &op, false)?;
        let response = wire(ctx, &shape.name, &every).to_string();
        quote! {
            let (client, _transport) = crate::client(200, #response);
            let output = client.#method(#input).await.expect("the call succeeds");
            crate::check_debug(&format!("{output:?}"), SECRET);
        }
    } else if let Kind::Structure { exception: true, .. } = &shape.kind {
        let Some(op) = ctx.operations.iter().find(|o| o.errors.contains(&shape.name)) else {
            return Ok(None);
        };
        let method = names::ident(&names::method_name(&op.name));
        let input = input_value(ctx, op, false)?;
        let mut response = wire(ctx, &shape.name, &every);
        if let Value::Object(o) = &mut response {
            o.insert("__type".into(), json!(shape.name));
        }
        let response = response.to_string();
        quote! {
            let (client, _transport) = crate::client(400, #response);
            let error = client.#method(#input).await.expect_err("the call fails");
            crate::check_debug(&format!("{error:?}"), SECRET);
        }
    } else {
        let value = value(ctx, &shape.name, &every)?;
        quote! {
            let value = #value;
            crate::check_debug(&format!("{value:?}"), SECRET);
        }
    };
    Ok(Some(quote! {
        #[doc = #doc]
        #cfg
        #[tokio::test]
        async fn #test() {
            #body
        }
    }))
}

fn sensitive(ctx: &Ctx<'_>) -> Result<TokenStream, EmitError> {
    let mut tests = Vec::new();
    let mut users = BTreeSet::new();
    for name in ctx.shapes() {
        let shape = ctx.shape(name);
        let aggregate = matches!(shape.kind, Kind::Structure { .. } | Kind::Union { .. });
        if aggregate && holds_secret(ctx, name) {
            if let Some(test) = sensitive_test(ctx, shape)? {
                tests.push(test);
                users.extend(ctx.users(name));
            }
        }
    }
    let cfg = ctx.cfg(&users, &BTreeSet::new());
    Ok(quote! {
        //! One test per shape that holds a sensitive value: `Debug` shows the redaction, never the value.

        /// What every sensitive sample value holds.
        #cfg
        const SECRET: &str = #SECRET;

        #(#tests)*
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_like_the_standard() {
        assert_eq!(base64(b"sample"), "c2FtcGxl");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b""), "");
    }
}
