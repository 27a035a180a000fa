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
use std::collections::BTreeSet;

/// What a waiter adds: its module (the fluent builder, its final poll and error types), which the operation's
/// file holds in its `waiters` module, and its method of the client's `Waiters` trait.
pub struct WaiterItems {
    /// `pub mod cluster_running { .. }`.
    pub module: TokenStream,
    /// The trait method's signature, with its doc.
    pub signature: TokenStream,
    /// The trait method as the client implements it.
    pub method: TokenStream,
}

/// `waiters.rs` (a module per waiter, gated by its operation's feature), and the client's `Waiters` trait with its
/// impl.
pub fn emit(ctx: &Ctx<'_>) -> Result<(TokenStream, TokenStream), EmitError> {
    let mut modules = Vec::new();
    let mut signatures = Vec::new();
    let mut methods = Vec::new();
    for w in ctx.waiters.values() {
        let op = ctx.operations.iter().find(|op| op.name == w.operation).ok_or_else(|| {
            EmitError(format!(
                "waiter {} polls {}, which is not generated",
                w.name, w.operation
            ))
        })?;
        let items = waiter(ctx, op, w).map_err(|e| EmitError(format!("waiter {}: {}", w.name, e.0)))?;
        let users = BTreeSet::from([op.name.clone()]);
        let cfg = ctx.cfg(&users, &BTreeSet::new());
        let (module, signature, method) = (items.module, items.signature, items.method);
        modules.push(quote!(#cfg #module));
        signatures.push(quote!(#cfg #signature));
        methods.push(quote!(#cfg #method));
    }
    let trait_name = format_ident!("{}", names::WAITERS_TRAIT);
    let doc = format!(
        " The model's waiters, a module each: its fluent builder, which `client.wait_until_<waiter>()` (from\n \
         [`Waiters`]({}::client::Waiters)) returns, and what its `wait` gives back.",
        ctx.root_path
    );
    let file = quote! {
        #![doc = #doc]
        #(#modules)*
    };
    let client = quote! {
        /// The model's waiters, as methods of the client: `use` this trait, then
        /// `client.wait_until_cluster_running().cluster_id(id).wait(max_wait).await`.
        pub trait #trait_name {
            #(#signatures)*
        }

        impl #trait_name for Client {
            #(#methods)*
        }
    };
    Ok((file, client))
}

fn waiter(ctx: &Ctx<'_>, op: &Operation, waiter: &Waiter) -> Result<WaiterItems, EmitError> {
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
    let root = &ctx.root;
    let op_module = ctx.operation_module(&op.name);
    let marker = format_ident!("{}", names::operation_name(&op.name));
    let output = format_ident!("{}", names::output_name(&op.name));
    let error = format_ident!("{}", names::error_name(&op.name));
    let input = format_ident!("{}", names::input_name(&op.name));
    let input_builder = format_ident!("{}", names::builder_name(&input.to_string()));
    let builders = format_ident!("{}", names::BUILDERS_MODULE);
    let method = names::ident(&names::waiter_method_name(&waiter.name));
    let module = names::ident(&names::waiter_module_name(&waiter.name));
    let fluent = format_ident!("{}", names::waiter_builder_name(&waiter.name));
    let handle = format_ident!("{}Waiter", names::type_name(&waiter.name));
    let final_poll = format_ident!("{}FinalPoll", names::type_name(&waiter.name));
    let wait_error = format_ident!("WaitUntil{}Error", names::type_name(&waiter.name));
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
        format!(" Waits for `{name}`: calls `{call}` every {delay} s, at most {max_attempts} times (the model's"),
        " defaults; [`delay`](Self::delay) and [`max_attempts`](Self::max_attempts) change them), until the output"
            .to_owned(),
        " or error matches an acceptor, or `max_wait` runs out.".to_owned(),
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
    let module_doc = format!(" The `{name}` waiter: its fluent builder and what its wait returns.");
    let final_doc = format!(" What a successful `{name}` wait returns: the last poll.");
    let error_doc = format!(" Why a `{name}` wait ended without success.");
    let method_doc = format!(" Waits until `{name}`: set the `{call}` input, then `wait(max_wait)`.");
    let fluent_doc = format!(" The `{call}` input's builder, with the waiter's settings and `wait`.");
    let handle_doc = format!(" What a `{name}` wait is sent with: the client, and the waiter's settings.");
    let module_tokens = quote! {
        #[doc = #module_doc]
        pub mod #module {
            #[doc = #final_doc]
            pub type #final_poll = lean_aws_runtime::waiter::FinalPoll<
                #op_module::#output,
                lean_aws_runtime::SdkError<#op_module::#error>,
            >;

            #[doc = #error_doc]
            pub type #wait_error = lean_aws_runtime::waiter::WaiterError<#op_module::#output, #op_module::#error>;

            #[doc = #handle_doc]
            ///
            /// `C` is the client: the async one, or with the `blocking` feature the blocking one.
            #[derive(Clone, Debug)]
            pub struct #handle<C = #root::client::Client> {
                pub(crate) client: C,
                pub(crate) settings: lean_aws_runtime::waiter::WaiterSettings,
            }

            #[doc = #fluent_doc]
            pub type #fluent = #op_module::#builders::#input_builder<#handle>;

            impl<C> #op_module::#builders::#input_builder<#handle<C>> {
                pub(crate) fn new(client: C) -> Self {
                    let handle = #handle { client, settings: Default::default() };
                    #op_module::#input::builder().with_handle(handle)
                }
                /// The input as set so far.
                pub fn as_input(&self) -> &Self {
                    self
                }
                /// The time between polls, instead of the model's.
                pub fn delay(mut self, delay: std::time::Duration) -> Self {
                    self.handle.settings = self.handle.settings.delay(delay);
                    self
                }
                /// The most polls, instead of the model's (at least 1).
                pub fn max_attempts(mut self, max_attempts: u32) -> Self {
                    self.handle.settings = self.handle.settings.max_attempts(max_attempts);
                    self
                }
            }

            #(#[doc = #doc])*
            impl #fluent {
                /// Polls until the waiter's state is reached (the final poll), a failure state or an unmatched
                /// error ends it, or the polls or `max_wait` run out: no poll starts after `max_wait`.
                pub async fn wait(self, max_wait: std::time::Duration) -> Result<#final_poll, #wait_error> {
                    const WAITER: lean_aws_runtime::waiter::Waiter = lean_aws_runtime::waiter::Waiter {
                        name: #name,
                        delay: std::time::Duration::from_secs(#delay),
                        max_attempts: #max_attempts,
                    };
                    let #handle { client, settings } = self.handle.clone();
                    let settings = settings.max_wait(max_wait);
                    client
                        .runtime()
                        .wait::<#op_module::#marker>(&WAITER, &self.build_input(), &settings, |result| {
                            #(#selections)*
                            #(#checks)*
                            None
                        })
                        .await
                        .map(|output| lean_aws_runtime::waiter::FinalPoll::new(Ok(output)))
                }
            }
        }
    };
    let builder_path = quote!(#root::waiters::#module::#fluent);
    Ok(WaiterItems {
        module: module_tokens,
        signature: quote! {
            #[doc = #method_doc]
            fn #method(&self) -> #builder_path;
        },
        method: quote! {
            fn #method(&self) -> #builder_path {
                #builder_path::new(self.clone())
            }
        },
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
                Err(lean_aws_runtime::SdkError::ServiceError(e)) => lean_aws_runtime::error::http_status(lean_aws_runtime::ProvideErrorMetadata::meta(e.err())) == Some(#status),
                Err(_) => false,
            })
        }
        Matcher::Error(ErrorMatch::Code(code)) => quote!(match result {
            Err(lean_aws_runtime::SdkError::ServiceError(e)) => lean_aws_runtime::ProvideErrorMetadata::code(e.err()) == Some(#code),
            _ => false,
        }),
        Matcher::Error(ErrorMatch::Any(true)) => quote!(match result {
            Err(lean_aws_runtime::SdkError::ServiceError(_)) => true,
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
                tokens = match (ctx.bare(current, m), boxed) {
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
