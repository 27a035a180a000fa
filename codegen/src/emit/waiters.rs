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
    let checks = waiter
        .acceptors
        .iter()
        .map(|a| acceptor(ctx, op, a))
        .collect::<Result<Vec<_>, _>>()?;
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

/// `if <matches> { return Some(acceptance); }` for one acceptor over `result`.
fn acceptor(ctx: &Ctx<'_>, op: &Operation, a: &Acceptor) -> Result<TokenStream, EmitError> {
    let state = match a.state {
        AcceptorState::Success => quote!(Success),
        AcceptorState::Failure => quote!(Failure),
        AcceptorState::Retry => quote!(Retry),
    };
    let matched = describe(&a.matcher);
    // Plain `match`es, not `matches!`: code inside a macro call is left unformatted.
    let condition = match &a.matcher {
        Matcher::Path { argument, expected } => {
            let select = select(ctx, op, argument, false)?;
            let cmp = compare(&select, expected)?;
            quote!(match result {
                Ok(output) => {
                    let mut selected = #select;
                    selected.next().is_some_and(|v| #cmp)
                }
                Err(_) => false,
            })
        }
        Matcher::PathAll { argument, expected } => {
            let select = select(ctx, op, argument, true)?;
            let cmp = compare(&select, expected)?;
            quote!(match result {
                Ok(output) => {
                    let selected: Vec<_> = #select.collect();
                    !selected.is_empty() && selected.into_iter().all(|v| #cmp)
                }
                Err(_) => false,
            })
        }
        Matcher::PathAny { argument, expected } => {
            let select = select(ctx, op, argument, true)?;
            let cmp = compare(&select, expected)?;
            quote!(match result {
                Ok(output) => {
                    let mut selected = #select;
                    selected.any(|v| #cmp)
                }
                Err(_) => false,
            })
        }
        Matcher::Status(status) => {
            // awsJson answers every success with 200.
            quote!(match result {
                Ok(_) => #status == 200,
                Err(lean_aws_runtime::SdkError::Service(e)) => e.meta().status == #status,
                Err(_) => false,
            })
        }
        Matcher::Error(ErrorMatch::Code(code)) => quote!(match result {
            Err(lean_aws_runtime::SdkError::Service(e)) => e.code() == Some(#code),
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

/// Compiles `argument` over `output` (the operation's output, in scope as `output`). With `all_elements`, a path
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
    let mut tokens = quote!(std::iter::once(output));
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
fn compare(selected: &Selected, expected: &Value) -> Result<TokenStream, EmitError> {
    let mismatch = || {
        EmitError(format!(
            "expected value {expected} does not fit a {:?} value",
            selected.leaf
        ))
    };
    Ok(match (selected.leaf, expected) {
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
