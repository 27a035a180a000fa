//! A waiter's client method, `wait_until_<waiter>`, with its acceptors compiled to Rust: each path becomes field
//! access over the operation's output (an iterator of the values it selects), each `expected` a comparison, and
//! `pathAll` / `pathAny` `all` / `any` over the selected values. The runtime's generic `wait` polls and sleeps.

use super::{Ctx, EmitError};
use crate::ir::{Acceptor, AcceptorState, ErrorMatch, Kind, Matcher, Operation, Waiter};
use crate::jmespath::{self, Expr, Step};
use crate::names;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

/// The waiter methods of `op`'s file: one per waiter that polls `op`.
pub fn emit(ctx: &Ctx<'_>, op: &Operation) -> Result<Vec<TokenStream>, EmitError> {
    ctx.waiters
        .values()
        .filter(|w| w.operation == op.name)
        .map(|w| method(ctx, op, w).map_err(|e| EmitError(format!("waiter {}: {}", w.name, e.0))))
        .collect()
}

fn method(ctx: &Ctx<'_>, op: &Operation, waiter: &Waiter) -> Result<TokenStream, EmitError> {
    // A waiter returns the output it succeeded on; a success that only an error can match has none.
    for a in &waiter.acceptors {
        let on_error = match &a.matcher {
            Matcher::Error(ErrorMatch::Code(_) | ErrorMatch::Any(true)) => true,
            Matcher::Status(status) => *status != 200,
            _ => false,
        };
        if a.state == AcceptorState::Success && on_error {
            return Err(EmitError(format!(
                "success acceptor `{}` matches an error, which has no output to return: not supported",
                describe(&a.matcher)
            )));
        }
    }
    let marker = format_ident!("{}", names::operation_name(&op.name));
    let input = format_ident!("{}", names::input_name(&op.name));
    let output = format_ident!("{}", names::output_name(&op.name));
    let error = format_ident!("{}", names::error_name(&op.name));
    let method = names::ident(&names::waiter_method_name(&waiter.name));
    let call = names::method_name(&op.name);
    // Each path is evaluated once per poll, however many acceptors compare its values.
    let mut paths: Vec<((&str, bool), Selected)> = Vec::new();
    let mut checks = Vec::new();
    for a in &waiter.acceptors {
        let key = match &a.matcher {
            Matcher::Path { argument, .. } => Some((argument.as_str(), false)),
            Matcher::PathAll { argument, .. } | Matcher::PathAny { argument, .. } => Some((argument.as_str(), true)),
            _ => None,
        };
        let path = match key {
            Some(key) => Some(match paths.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    paths.push((key, select(ctx, op, key.0, key.1)?));
                    paths.len() - 1
                }
            }),
            None => None,
        };
        let selected = path.map(|i| (format_ident!("path_{i}"), paths[i].1.leaf));
        checks.push(acceptor(a, selected)?);
    }
    let selections = paths.iter().enumerate().map(|(i, (_, selected))| {
        let ident = format_ident!("path_{i}");
        quote!(let #ident: Vec<_> = #selected.collect();)
    });
    let (name, delay, max_attempts) = (&waiter.name, waiter.delay, waiter.max_attempts);
    let states = |state: AcceptorState| -> String {
        waiter
            .acceptors
            .iter()
            .filter(|a| a.state == state)
            .map(|a| format!("`{}`", describe(&a.matcher)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut doc = vec![
        format!(" Waits for `{name}`: calls [`{call}`](Self::{call}) every {delay} s, at most {max_attempts} times"),
        " (the model's defaults; `settings` can change both and cap the total wait), until the output or".to_owned(),
        " error matches an acceptor.".to_owned(),
        String::new(),
        format!(" Success: {}.", states(AcceptorState::Success)),
    ];
    let failure = states(AcceptorState::Failure);
    if !failure.is_empty() {
        doc.push(format!(
            " Failure, which ends the wait with an error naming it: {failure}."
        ));
    }
    doc.push(" A call error that no acceptor matches ends the wait with that error.".to_owned());
    Ok(quote! {
        #(#[doc = #doc])*
        pub async fn #method(
            &self,
            input: #input,
            settings: lean_aws_runtime::waiter::WaiterSettings,
        ) -> Result<#output, lean_aws_runtime::waiter::WaiterError<#output, #error>> {
            const WAITER: lean_aws_runtime::waiter::Waiter = lean_aws_runtime::waiter::Waiter {
                name: #name,
                delay: std::time::Duration::from_secs(#delay),
                max_attempts: #max_attempts,
            };
            self.runtime()
                .wait::<#marker>(&WAITER, &input, &settings, |result| {
                    #(#selections)*
                    #(#checks)*
                    None
                })
                .await
        }
    })
}

/// How an acceptor's match reads in messages: `Cluster.Status.State == "RUNNING"`.
pub(super) fn describe(matcher: &Matcher) -> String {
    match matcher {
        Matcher::Path { argument, expected } => format!("{argument} == {expected}"),
        Matcher::PathAll { argument, expected } => format!("every {argument} == {expected}"),
        Matcher::PathAny { argument, expected } => format!("some {argument} == {expected}"),
        Matcher::Status(status) => format!("HTTP status {status}"),
        Matcher::Error(ErrorMatch::Code(code)) => format!("error {code}"),
        Matcher::Error(ErrorMatch::Any(true)) => "any error".to_owned(),
        Matcher::Error(ErrorMatch::Any(false)) => "no error".to_owned(),
    }
}

/// `if <matches> { return Some(acceptance); }` for one acceptor over `result`; a path matcher compares the values
/// already selected into `selected` (a `Vec` of them, of that kind).
fn acceptor(a: &Acceptor, selected: Option<(proc_macro2::Ident, Leaf)>) -> Result<TokenStream, EmitError> {
    let state = match a.state {
        AcceptorState::Success => quote!(Success),
        AcceptorState::Failure => quote!(Failure),
        AcceptorState::Retry => quote!(Retry),
    };
    let matched = describe(&a.matcher);
    let path = |expected: &Value| -> Result<(proc_macro2::Ident, TokenStream), EmitError> {
        let (ident, leaf) = selected
            .clone()
            .ok_or_else(|| EmitError(format!("acceptor `{matched}` has no selected path")))?;
        Ok((ident, compare(leaf, expected)?))
    };
    // Plain `match`es, not `matches!`: code inside a macro call is left unformatted.
    let condition = match &a.matcher {
        Matcher::Path { expected, .. } => {
            let (selected, cmp) = path(expected)?;
            quote!(#selected.first().copied().is_some_and(|v| #cmp))
        }
        Matcher::PathAll { expected, .. } => {
            let (selected, cmp) = path(expected)?;
            quote!(!#selected.is_empty() && #selected.iter().copied().all(|v| #cmp))
        }
        Matcher::PathAny { expected, .. } => {
            let (selected, cmp) = path(expected)?;
            quote!(#selected.iter().copied().any(|v| #cmp))
        }
        Matcher::Status(status) => {
            // awsJson answers every success with 200.
            quote!(match result {
                Ok(_) => #status == 200,
                Err(lean_aws_runtime::SdkError::Service(e)) => lean_aws_runtime::ProvideErrorMetadata::meta(e).status == #status,
                Err(_) => false,
            })
        }
        Matcher::Error(ErrorMatch::Code(code)) => quote!(match result {
            Err(lean_aws_runtime::SdkError::Service(e)) => lean_aws_runtime::ProvideErrorMetadata::code(e) == Some(#code),
            _ => false,
        }),
        Matcher::Error(ErrorMatch::Any(true)) => quote!(match result {
            Err(lean_aws_runtime::SdkError::Service(_)) => true,
            _ => false,
        }),
        Matcher::Error(ErrorMatch::Any(false)) => quote!(result.is_ok()),
    };
    Ok(quote! {
        let matches = #condition;
        if matches {
            return Some(lean_aws_runtime::waiter::Acceptance {
                state: lean_aws_runtime::waiter::AcceptorState::#state,
                matched: #matched,
            });
        }
    })
}

/// What a path selects, compiled: an iterator expression over references to the values, with the kind of value
/// it yields.
struct Selected {
    tokens: TokenStream,
    leaf: Leaf,
}

impl quote::ToTokens for Selected {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.tokens.to_tokens(tokens);
    }
}

/// What a compiled path yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leaf {
    /// `&String` or `&Enum`: both have `as_str`.
    Text,
    /// `&bool`.
    Bool,
    /// `&i32` or `&i64`.
    Integer,
    /// `&f32` or `&f64`.
    Float,
    /// `usize` (from `length(...)`).
    Count,
}

/// Compiles `argument` over the poll's output (`result`, when it is `Ok`). With `all_elements`, a path
/// that ends on a list selects its elements (as `pathAll` and `pathAny` mean).
fn select(ctx: &Ctx<'_>, op: &Operation, argument: &str, all_elements: bool) -> Result<Selected, EmitError> {
    let fail = |why: String| EmitError(format!("cannot compile `{argument}`: {why}"));
    let expr = jmespath::parse(argument).map_err(|e| EmitError(e.to_string()))?;
    let (steps, length) = match expr {
        Expr::Path(steps) => (steps, false),
        Expr::Length(steps) => (steps, true),
    };
    let output = op
        .output
        .as_deref()
        .ok_or_else(|| fail("the operation has no output".into()))?;
    let mut tokens = quote!(result.as_ref().ok().into_iter());
    let mut current = ctx.shape(output);
    let mut projected = false;
    for step in &steps {
        match (step, &current.kind) {
            (Step::Field(name), Kind::Structure { members, .. }) => {
                let m = members
                    .iter()
                    .find(|m| &m.name == name)
                    .ok_or_else(|| fail(format!("{} has no member {name}", current.name)))?;
                let field = names::ident(&names::field_name(name));
                let boxed = ctx.boxed(&current.name, m);
                tokens = match (ctx.is_required(current, m), boxed) {
                    (true, false) => quote!(#tokens.map(|v| &v.#field)),
                    (true, true) => quote!(#tokens.map(|v| &*v.#field)),
                    (false, false) => quote!(#tokens.filter_map(|v| v.#field.as_ref())),
                    (false, true) => quote!(#tokens.filter_map(|v| v.#field.as_deref())),
                };
                current = ctx.shape(&m.target);
            }
            (Step::Field(name), _) => {
                return Err(fail(format!(
                    "{name} is taken from {}, which is not a structure",
                    current.name
                )));
            }
            (Step::Project, Kind::List { member, .. }) => {
                tokens = quote!(#tokens.flat_map(|v| v.iter()));
                current = ctx.shape(member);
                projected = true;
            }
            (Step::Project, _) => return Err(fail(format!("{} is not a list", current.name))),
        }
    }
    if length {
        if projected {
            return Err(fail("length() of a projection is not supported".into()));
        }
        tokens = match &current.kind {
            Kind::List { .. } | Kind::Map { .. } => quote!(#tokens.map(|v| v.len())),
            Kind::String { enum_values, .. } if enum_values.is_empty() => quote!(#tokens.map(|v| v.chars().count())),
            _ => {
                return Err(fail(format!(
                    "length() of {}, which is not a list, map or string",
                    current.name
                )))
            }
        };
        return Ok(Selected {
            tokens,
            leaf: Leaf::Count,
        });
    }
    if let Kind::List { member, .. } = &current.kind {
        if !all_elements {
            return Err(fail("a `path` matcher that selects a list is not supported".into()));
        }
        tokens = quote!(#tokens.flat_map(|v| v.iter()));
        current = ctx.shape(member);
        projected = true;
    }
    if projected && !all_elements {
        return Err(fail(
            "a `path` matcher over a projection is not supported; use pathAll or pathAny".into(),
        ));
    }
    let leaf = match &current.kind {
        Kind::String { .. } => Leaf::Text,
        Kind::Boolean => Leaf::Bool,
        Kind::Integer { .. } | Kind::Long { .. } => Leaf::Integer,
        Kind::Float { .. } | Kind::Double { .. } => Leaf::Float,
        _ => return Err(fail(format!("it selects {}, which cannot be compared", current.name))),
    };
    Ok(Selected { tokens, leaf })
}

/// The comparison of a selected value `v` with `expected`.
fn compare(leaf: Leaf, expected: &Value) -> Result<TokenStream, EmitError> {
    let mismatch = || EmitError(format!("expected value {expected} does not fit a {leaf:?} value"));
    Ok(match (leaf, expected) {
        (Leaf::Text, Value::String(s)) => quote!(v.as_str() == #s),
        (Leaf::Bool, Value::Bool(b)) => quote!(*v == #b),
        (Leaf::Integer, Value::Number(n)) => {
            let n = Literal::i64_suffixed(n.as_i64().ok_or_else(mismatch)?);
            quote!(i64::from(*v) == #n)
        }
        (Leaf::Float, Value::Number(n)) => {
            let n = Literal::f64_suffixed(n.as_f64().ok_or_else(mismatch)?);
            quote!(f64::from(*v) == #n)
        }
        (Leaf::Count, Value::Number(n)) => {
            let n = Literal::u64_suffixed(n.as_u64().ok_or_else(mismatch)?);
            quote!(v as u64 == #n)
        }
        _ => return Err(mismatch()),
    })
}
