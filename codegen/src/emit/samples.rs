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
//!
//! And, wherever `model/codegen.json` puts them (beside a loopback HTTP server that records requests), tests of
//! every paginator and every waiter through the real HTTP stack ([`loopback`]):
//!
//! * `paginators.rs`: three pages with an empty one between (each token must reach the next request, every item
//!   must come out), and a token repeated (the stream must end with the error after two requests).
//! * `waiters.rs`: success after polls that match nothing, each failure acceptor, the attempts and the total
//!   wait running out (with the clock and sleep injected, so nothing waits), and an error no acceptor matches.

use super::cases::{builder_value, setter_calls, value};
use super::{is_enum, Ctx, EmitError};
use crate::ir::{AcceptorState, Kind, Matcher, Operation, Shape, Waiter};
use crate::jmespath::{self, Expr, Step};
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
                    None => m.required || (every && depth <= MAX_DEPTH),
                };
                if wanted {
                    let secret = secret || ctx.member_redacted(shape, m);
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
    ctx.service.closure([target]).iter().any(|s| ctx.redacts(ctx.shape(s)))
}

/// The input of `op` built from its sample.
fn input_value(ctx: &Ctx<'_>, op: &Operation, every: bool) -> Result<TokenStream, EmitError> {
    match &op.input {
        Some(shape) => builder_value(ctx, shape, &sample(ctx, shape, every, false, 0)),
        None => {
            let input = format_ident!("{}", names::input_name(&op.name));
            let module = ctx.operation_module(&op.name);
            Ok(quote!(#module::#input::builder()))
        }
    }
}

/// `client.<op>()` (an expression for the client) with the sample input's members set: the fluent builder.
fn fluent_value(
    ctx: &Ctx<'_>,
    op: &Operation,
    client: TokenStream,
    method: TokenStream,
) -> Result<TokenStream, EmitError> {
    let setters = match &op.input {
        Some(shape) => setter_calls(ctx, shape, &sample(ctx, shape, false, false, 0))?,
        None => Vec::new(),
    };
    Ok(quote!(#client.#method() #(#setters)*))
}

fn operations(ctx: &Ctx<'_>) -> Result<TokenStream, EmitError> {
    let mut tests = Vec::new();
    for op in &ctx.operations {
        let name = &op.name;
        let test = names::ident(&names::method_name(name));
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
                let output = #input.send_with(&client).await.expect(concat!(#name, " succeeds against `{}`"));
                assert_eq!(lean_aws_runtime::error::RequestId::request_id(&output), Some(crate::REQUEST_ID));
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
    let body = if ctx.inputs.contains_key(&shape.name) {
        let input = builder_value(ctx, &shape.name, &every)?;
        quote! {
            let builder = #input;
            crate::check_debug(&format!("{builder:?}"), SECRET);
            let input = builder.clone().build().expect("an input always builds");
            crate::check_debug(&format!("{input:?}"), SECRET);
            let (client, transport) = crate::client(200, "{}");
            builder.send_with(&client).await.expect("the call succeeds");
            let body = String::from_utf8(transport.requests()[0].body.clone()).expect("the body is text");
            assert!(body.contains(SECRET), "the secret was sent: {body}");
        }
    } else if let Some(op) = ctx.outputs.get(&shape.name) {
        let op = ctx.service.operations[op].clone();
        let input = input_value(ctx, &op, false)?;
        let response = wire(ctx, &shape.name, &every).to_string();
        quote! {
            let (client, _transport) = crate::client(200, #response);
            let output = #input.send_with(&client).await.expect("the call succeeds");
            crate::check_debug(&format!("{output:?}"), SECRET);
        }
    } else if let Kind::Structure { exception: true, .. } = &shape.kind {
        let Some(op) = ctx.operations.iter().find(|o| o.errors.contains(&shape.name)) else {
            return Ok(None);
        };
        let input = input_value(ctx, op, false)?;
        let mut response = wire(ctx, &shape.name, &every);
        if let Value::Object(o) = &mut response {
            o.insert("__type".into(), json!(shape.name));
        }
        let response = response.to_string();
        quote! {
            let (client, _transport) = crate::client(400, #response);
            let error = #input.send_with(&client).await.expect_err("the call fails");
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

/// The loopback tests of paginators and waiters, as `(file name, tokens)`; `crate_ident` is the client crate's
/// name in Rust. The files call helpers of the hand-written `main.rs` beside them: `serve` (the loopback server
/// answering with canned responses in turn), `client`, `waiting_client`, `page`, `error` and `sent_tokens`.
pub fn loopback(ctx: &Ctx<'_>, crate_ident: &str) -> Result<Vec<(String, TokenStream)>, EmitError> {
    let mut ctx = ctx.rooted_at(crate_ident)?;
    // These tests live in another crate, which has every operation: nothing is gated.
    ctx.features = false;
    let mut paginators = Vec::new();
    for (op, p) in &ctx.paginators {
        paginators.push(paginator_tests(&ctx, &ctx.service.operations[op], p)?);
    }
    let root = &ctx.root;
    let trait_ident = format_ident!("{}", names::WAITERS_TRAIT);
    let waiters_trait = quote!(#root::client::#trait_ident);
    let mut waiters = Vec::new();
    for waiter in ctx.waiters.values() {
        waiters.push(waiter_tests(&ctx, waiter).map_err(|e| EmitError(format!("waiter {}: {}", waiter.name, e.0)))?);
    }
    Ok(vec![
        (
            "paginators.rs".to_owned(),
            quote! {
                //! Every paginator against a loopback server: tokens followed across an empty page, and a repeated
                //! token ending the stream.
                #(#paginators)*
            },
        ),
        (
            "waiters.rs".to_owned(),
            quote! {
                //! Every waiter against a loopback server, with an injected clock and sleep: success after polls,
                //! each failure state, attempts and total wait running out, and an error no acceptor matches.
                use #waiters_trait;
                #(#waiters)*
            },
        ),
    ])
}

fn paginator_tests(ctx: &Ctx<'_>, op: &Operation, p: &crate::ir::Paginator) -> Result<TokenStream, EmitError> {
    let fail = |e: &str| EmitError(format!("paginator {}: {e}", op.name));
    let output = ctx.shape(op.output.as_deref().ok_or_else(|| fail("no output"))?);
    let Kind::Structure { members, .. } = &output.kind else {
        return Err(fail("the output is not a structure"));
    };
    let wire_name = |name: &str| {
        members
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.wire_name.clone())
            .ok_or_else(|| fail(&format!("no output member {name}")))
    };
    let (token, result) = (wire_name(&p.output_token)?, wire_name(&p.result_key)?);
    let list = members
        .iter()
        .find(|m| m.name == p.result_key)
        .map(|m| m.target.as_str());
    let Some(Kind::List { member: item, .. }) = list.map(|l| &ctx.shape(l).kind) else {
        return Err(fail("the result key is not a list"));
    };
    let item = wire(ctx, item, &sample(ctx, item, false, false, 0));
    let page = |items: Vec<&Value>, next: Option<&str>| {
        let mut body = Map::new();
        body.insert(result.clone(), json!(items));
        if let Some(next) = next {
            body.insert(token.clone(), json!(next));
        }
        Value::Object(body).to_string()
    };
    let (first, empty, last) = (
        page(vec![&item], Some("token-1")),
        page(vec![], Some("token-2")),
        page(vec![&item], None),
    );
    let method = names::ident(&names::method_name(&op.name));
    let fluent = fluent_value(ctx, op, quote!(crate::client(&server)), quote!(#method))?;
    let module = names::module_name(&op.name);
    let follows = format_ident!("{module}_follows_the_token_across_an_empty_page");
    let repeated = format_ident!("{module}_stops_on_a_repeated_token");
    let input_token = &p.input_token;
    let cfg = ctx.cfg(&BTreeSet::from([op.name.clone()]), &BTreeSet::new());
    Ok(quote! {
        #cfg
        #[tokio::test]
        async fn #follows() {
            let server = crate::serve(Vec::from([crate::page(#first), crate::page(#empty), crate::page(#last)])).await;
            let mut items = #fluent.into_paginator().items().send();
            let mut count = 0;
            while let Some(item) = items.next().await {
                item.expect("every page succeeds");
                count += 1;
            }
            assert_eq!(count, 2, "one item on each full page");
            let requests = server.finish().await;
            let tokens = crate::sent_tokens(&requests, #input_token);
            assert_eq!(tokens, [None, Some("token-1".to_owned()), Some("token-2".to_owned())]);
        }

        #cfg
        #[tokio::test]
        async fn #repeated() {
            let server = crate::serve(Vec::from([crate::page(#first), crate::page(#first)])).await;
            let mut pages = #fluent.into_paginator().send();
            pages.next().await.expect("a first page").expect("the first page succeeds");
            pages.next().await.expect("a second page").expect("the second page succeeds");
            let error = pages.next().await.expect("then an error").expect_err("a repeated token is an error");
            assert!(matches!(&error, lean_emr::SdkError::Pagination(e) if e.token == "token-1"), "{error}");
            assert!(error.to_string().contains("token-1"), "{error}");
            let after = pages.next().await;
            assert!(after.is_none(), "nothing after the error");
            let requests = server.finish().await;
            assert_eq!(requests.len(), 2, "no third request");
        }
    })
}

/// A response body in which `argument` (a waiter's path) selects `expected`.
fn body_matching(ctx: &Ctx<'_>, output: &str, argument: &str, expected: &Value) -> Result<Value, EmitError> {
    let steps = match jmespath::parse(argument).map_err(|e| EmitError(e.to_string()))? {
        Expr::Path(steps) => steps,
        Expr::Length(_) => return Err(EmitError(format!("no sample answer for `{argument}`"))),
    };
    fn build(ctx: &Ctx<'_>, shape: &str, steps: &[Step], expected: &Value) -> Result<Value, EmitError> {
        let shape = ctx.shape(shape);
        match (steps.first(), &shape.kind) {
            (None, Kind::List { .. }) => Ok(json!([expected])),
            (None, _) => Ok(expected.clone()),
            (Some(Step::Field(name)), Kind::Structure { members, .. }) => {
                let m = members
                    .iter()
                    .find(|m| &m.name == name)
                    .ok_or_else(|| EmitError(format!("{} has no member {name}", shape.name)))?;
                Ok(json!({ m.wire_name.clone(): build(ctx, &m.target, &steps[1..], expected)? }))
            }
            (Some(Step::Project), Kind::List { member, .. }) => Ok(json!([build(ctx, member, &steps[1..], expected)?])),
            _ => Err(EmitError(format!(
                "no sample answer for the path through {}",
                shape.name
            ))),
        }
    }
    build(ctx, output, &steps, expected)
}

/// The acceptor's argument and expected value, for a path matcher.
fn path_of(matcher: &Matcher) -> Option<(&str, &Value)> {
    match matcher {
        Matcher::Path { argument, expected }
        | Matcher::PathAll { argument, expected }
        | Matcher::PathAny { argument, expected } => Some((argument, expected)),
        _ => None,
    }
}

fn waiter_tests(ctx: &Ctx<'_>, waiter: &Waiter) -> Result<TokenStream, EmitError> {
    let op = &ctx.service.operations[&waiter.operation];
    let output = op
        .output
        .as_deref()
        .ok_or_else(|| EmitError("the operation has no output".into()))?;
    let method = names::ident(&names::waiter_method_name(&waiter.name));
    let waiter_builder = fluent_value(ctx, op, quote!(client), quote!(#method))?;
    let module = names::module_name(&waiter.name);
    let cfg = ctx.cfg(&BTreeSet::from([op.name.clone()]), &BTreeSet::new());
    let delay = waiter.delay;
    let success = waiter
        .acceptors
        .iter()
        .find_map(|a| {
            (a.state == AcceptorState::Success)
                .then(|| path_of(&a.matcher))
                .flatten()
        })
        .ok_or_else(|| EmitError("no success acceptor on the output to answer with".into()))?;
    let success = body_matching(ctx, output, success.0, success.1)?.to_string();
    let succeeds = format_ident!("{module}_succeeds_after_polls_that_match_nothing");
    let mut tests = vec![quote! {
        #cfg
        #[tokio::test]
        async fn #succeeds() {
            let server = crate::serve(Vec::from([crate::page("{}"), crate::page("{}"), crate::page(#success)])).await;
            let (client, clock) = crate::waiting_client(&server);
            #waiter_builder.wait(std::time::Duration::MAX).await.expect("the third answer succeeds");
            let model_delay = std::time::Duration::from_secs(#delay);
            assert_eq!(clock.sleeps(), [model_delay, model_delay], "the model's delay between polls");
            let requests = server.finish().await;
            assert_eq!(requests.len(), 3);
        }
    }];
    for (i, a) in waiter.acceptors.iter().enumerate() {
        let Some((argument, expected)) = path_of(&a.matcher).filter(|_| a.state == AcceptorState::Failure) else {
            continue;
        };
        let body = body_matching(ctx, output, argument, expected)?.to_string();
        let matched = super::waiters::describe(&a.matcher);
        let test = format_ident!("{module}_fails_on_acceptor_{i}");
        let doc = format!(" Failure: `{matched}`.");
        tests.push(quote! {
            #[doc = #doc]
            #cfg
            #[tokio::test]
            async fn #test() {
                let server = crate::serve(Vec::from([crate::page(#body)])).await;
                let (client, _clock) = crate::waiting_client(&server);
                let error = #waiter_builder.wait(std::time::Duration::MAX).await.expect_err("a failure state");
                assert!(matches!(&error, lean_emr::WaiterError::FailureState { matched, .. } if *matched == #matched), "{error}");
                assert!(error.to_string().contains(#matched), "{error}");
                let requests = server.finish().await;
            assert_eq!(requests.len(), 1);
            }
        });
    }
    let attempts = format_ident!("{module}_gives_up_when_the_attempts_run_out");
    let wait = format_ident!("{module}_gives_up_when_the_total_wait_runs_out");
    let error = format_ident!("{module}_stops_on_an_error_no_acceptor_matches");
    tests.push(quote! {
        #cfg
        #[tokio::test]
        async fn #attempts() {
            let server = crate::serve(Vec::from([crate::page("{}"), crate::page("{}"), crate::page("{}")])).await;
            let (client, _clock) = crate::waiting_client(&server);
            let error = #waiter_builder.max_attempts(3).wait(std::time::Duration::MAX).await.expect_err("no state is reached");
            let expected_elapsed = std::time::Duration::from_secs(2 * #delay);
            assert!(
                matches!(error, lean_emr::WaiterError::MaxWaitExceeded { polls: 3, elapsed, .. } if elapsed == expected_elapsed),
                "{error}"
            );
            let requests = server.finish().await;
            assert_eq!(requests.len(), 3);
        }

        #cfg
        #[tokio::test]
        async fn #wait() {
            let server = crate::serve(Vec::from([crate::page("{}"), crate::page("{}"), crate::page("{}")])).await;
            let (client, clock) = crate::waiting_client(&server);
            let delay = std::time::Duration::from_millis(2500);
            let error = #waiter_builder.delay(delay).wait(std::time::Duration::from_secs(6)).await.expect_err("no state is reached");
            // Polls at 0 s, 2.5 s and 5 s; a fourth at 7.5 s would be past 6 s.
            assert!(
                matches!(error, lean_emr::WaiterError::MaxWaitExceeded { polls: 3, elapsed, .. } if elapsed == 2 * delay),
                "{error}"
            );
            assert_eq!(clock.sleeps(), [delay, delay]);
            let requests = server.finish().await;
            assert_eq!(requests.len(), 3);
        }

        #cfg
        #[tokio::test]
        async fn #error() {
            let server = crate::serve(Vec::from([crate::error(400, "InvalidRequestException")])).await;
            let (client, _clock) = crate::waiting_client(&server);
            let error = #waiter_builder.wait(std::time::Duration::MAX).await.expect_err("the error ends the wait");
            assert!(
                matches!(&error, lean_emr::WaiterError::Operation { error, .. }
                    if error.as_service_error().and_then(lean_emr::runtime::ProvideErrorMetadata::code) == Some("InvalidRequestException")),
                "{error}"
            );
            let requests = server.finish().await;
            assert_eq!(requests.len(), 1);
        }
    });
    Ok(quote!(#(#tests)*))
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
