//! IR → Rust tokens.
//!
//! [`Ctx::new`] makes every decision about a generation run once: which operations, which shapes they reach and
//! from which side (input: serializers and validators; output and errors: deserializers), which members must be
//! boxed, where each shape lives ([`layout`]) and, through [`Ctx::cfg`], which `#[cfg]` every item gets. The
//! submodules only turn those decisions into tokens:
//!
//! | module | emits |
//! | --- | --- |
//! | `shapes` | a shape's type: structure and builder, union, enum, modelled error, with redacting `Debug` |
//! | `serde` | a shape's JSON serializer and deserializer (forgiving for a client, strict for a server) |
//! | `serde_attrs` | the generated crate's `serde` feature: derive attributes in the service's JSON form |
//! | `validate` | a shape's validator |
//! | `operations` | one file per operation: input, output, error enum, marker, client method, local shapes |
//! | `paginators`, `waiters` | the paging and waiting client methods of an operation's file |
//! | `types` | `types/`: shared shapes in groups, and the re-exports that put every shape at `types::X` |
//! | `client`, `service` | the client type, and the service's constants and endpoint rules |
//! | `server` | server mode: the handler trait, the dispatch on `X-Amz-Target`, and the tree's `mod.rs` |
//! | [`samples`] | generated tests over every operation and every shape that holds a secret |
//! | `cases`, `dump`, [`endpoint_tests`] | the conformance and endpoint test files |

mod blocking;
mod cases;
mod client;
mod crate_error;
mod dump;
pub mod endpoint_tests;
pub mod layout;
mod operations;
mod paginators;
pub mod samples;
mod serde;
mod serde_attrs;
mod server;
mod service;
mod shapes;
mod types;
mod validate;
mod waiters;

use crate::docs;
use crate::ir::{Kind, Member, Operation, Paginator, Service, Shape, Waiter};
use crate::names;
use layout::Home;
use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

pub use cases::{test_name, Case};
pub use service::ServiceSources;

/// What to generate: which operations, how, and the rules the model only states in prose.
#[derive(Debug, Clone)]
pub struct Selection {
    /// Operation names; `None` means all.
    pub operations: Option<Vec<String>>,
    /// Per shape, groups of members of which exactly one must be set (documented in the model's prose).
    pub exactly_one_of: BTreeMap<String, Vec<Vec<String>>>,
    /// Per shape, members that hold secrets although their shape is not marked sensitive (the model says so only
    /// in prose: "the password").
    pub sensitive_members: BTreeMap<String, Vec<String>>,
    /// Whether each operation sits behind a cargo feature of its own.
    pub features: bool,
    /// The path of the generated module tree from its crate's root: `crate`, or `crate::suites::input_00`.
    pub root: String,
    /// Whether to generate the service side (an emulator's) instead of a client: see the `server` module.
    pub server: bool,
    /// Server mode: the path of the hand-written module that generated server code calls for the service side of
    /// the protocol (`crate::awsjson`): `decode_input`, `Response`, `Violation`, `missing`, `check_enum`.
    pub server_support: Option<String>,
}

impl Default for Selection {
    fn default() -> Self {
        Selection {
            operations: None,
            exactly_one_of: BTreeMap::new(),
            sensitive_members: BTreeMap::new(),
            features: false,
            root: "crate".into(),
            server: false,
            server_support: None,
        }
    }
}

/// Everything the emitters need to know about one generation run.
#[derive(Clone)]
pub struct Ctx<'a> {
    /// The model.
    pub service: &'a Service,
    /// Operations to generate, in name order.
    pub operations: Vec<&'a Operation>,
    /// Paginators of those operations, by operation.
    pub paginators: BTreeMap<String, &'a Paginator>,
    /// Waiters on those operations, by name.
    pub waiters: BTreeMap<String, &'a Waiter>,
    /// Input shape → operation name.
    pub inputs: BTreeMap<String, String>,
    /// Output shape → operation name.
    pub outputs: BTreeMap<String, String>,
    /// Shape → the operations whose input reaches it (these shapes get serializers and validators).
    pub input_users: BTreeMap<String, BTreeSet<String>>,
    /// Shape → the operations whose output or errors reach it (these shapes get deserializers).
    pub output_users: BTreeMap<String, BTreeSet<String>>,
    /// Exactly-one-of rules, from the selection.
    pub exactly_one_of: BTreeMap<String, Vec<Vec<String>>>,
    /// Members that hold secrets by the model's prose, from the selection.
    pub sensitive_members: BTreeMap<String, Vec<String>>,
    /// Whether items are gated on per-operation features.
    pub features: bool,
    /// Whether this is the service side: strict input deserializers, output and error serializers, builders for
    /// outputs and errors, a handler trait and its dispatch; no client, marker types, paginators or waiters.
    pub server: bool,
    /// Server mode: the module with the service side of the protocol, as `(its name, its path)`, e.g.
    /// `(awsjson, crate::awsjson)`; generated code imports the path and calls through the name.
    pub server_support: Option<(Ident, TokenStream)>,
    /// The path of the module tree's root, e.g. `crate`.
    pub root: TokenStream,
    /// The same path as text, for doc links.
    pub root_path: String,
    /// `(owner, member)` pairs whose value must be boxed: the member leads back to its owner.
    boxed: BTreeSet<(String, String)>,
    /// Where each generated shape lives.
    pub homes: BTreeMap<String, Home>,
    /// Input-side shapes that get a validator.
    pub validated: BTreeSet<String>,
}

/// Why generation failed.
#[derive(Debug)]
pub struct EmitError(pub String);

impl std::fmt::Display for EmitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EmitError {}

fn add_users(map: &mut BTreeMap<String, BTreeSet<String>>, shapes: BTreeSet<String>, op: &str) {
    for shape in shapes {
        map.entry(shape).or_default().insert(op.to_owned());
    }
}

impl<'a> Ctx<'a> {
    /// Server mode: the name generated code calls the service side of the protocol through (`awsjson`).
    pub fn support(&self) -> Ident {
        let (name, _) = self
            .server_support
            .as_ref()
            .expect("Ctx::new gives server mode its support module");
        name.clone()
    }

    /// Prepares a run over `service` for `selection`.
    pub fn new(service: &'a Service, selection: &Selection) -> Result<Ctx<'a>, EmitError> {
        let operations: Vec<&Operation> = match &selection.operations {
            None => service.operations.values().collect(),
            Some(names) => {
                let mut ops = names
                    .iter()
                    .map(|name| {
                        service
                            .operations
                            .get(name)
                            .ok_or_else(|| EmitError(format!("operation {name} is not in the model")))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                ops.sort_by(|a, b| a.name.cmp(&b.name));
                ops.dedup_by(|a, b| a.name == b.name);
                ops
            }
        };
        let mut inputs = BTreeMap::new();
        let mut outputs = BTreeMap::new();
        let mut input_users = BTreeMap::new();
        let mut output_users = BTreeMap::new();
        for op in &operations {
            if let Some(i) = &op.input {
                if let Some(other) = inputs.insert(i.clone(), op.name.clone()) {
                    return Err(EmitError(format!("{i} is the input of both {other} and {}", op.name)));
                }
                add_users(&mut input_users, service.closure([i.as_str()]), &op.name);
            }
            if let Some(o) = &op.output {
                if let Some(other) = outputs.insert(o.clone(), op.name.clone()) {
                    return Err(EmitError(format!("{o} is the output of both {other} and {}", op.name)));
                }
            }
            let output_roots = op.output.iter().chain(&op.errors).map(String::as_str);
            add_users(&mut output_users, service.closure(output_roots), &op.name);
        }
        // A member leads back to its owner when the owner is reachable from the member's target: box it.
        let all: BTreeSet<&String> = input_users.keys().chain(output_users.keys()).collect();
        let mut boxed = BTreeSet::new();
        for name in &all {
            if let Kind::Structure { members, .. } | Kind::Union { members } = &service.shape(name).kind {
                for m in members {
                    let aggregate = matches!(
                        service.shape(&m.target).kind,
                        Kind::Structure { .. } | Kind::Union { .. }
                    );
                    if aggregate && service.closure([m.target.as_str()]).contains(*name) {
                        boxed.insert(((*name).clone(), m.name.clone()));
                    }
                }
            }
        }
        let selected: BTreeSet<&str> = operations.iter().map(|o| o.name.as_str()).collect();
        let paginators = service
            .paginators
            .iter()
            .filter(|(op, _)| selected.contains(op.as_str()))
            .map(|(op, p)| (op.clone(), p))
            .collect();
        let waiters = service
            .waiters
            .iter()
            .filter(|(_, w)| selected.contains(w.operation.as_str()))
            .map(|(name, w)| (name.clone(), w))
            .collect();
        for (shape, members) in &selection.sensitive_members {
            let known = match service.shapes.get(shape).map(|s| &s.kind) {
                Some(Kind::Structure { members, .. }) => members.iter().map(|m| m.name.as_str()).collect(),
                _ => BTreeSet::new(),
            };
            if let Some(m) = members.iter().find(|m| !known.contains(m.as_str())) {
                return Err(EmitError(format!(
                    "sensitive_members names {shape}.{m}, which is not a member of a structure in the model"
                )));
            }
        }
        let root: TokenStream = selection
            .root
            .parse()
            .map_err(|e| EmitError(format!("root path {:?}: {e}", selection.root)))?;
        let server_support = match (&selection.server_support, selection.server) {
            (Some(path), true) => {
                let name = path.rsplit("::").next().unwrap_or(path);
                let tokens: TokenStream = path
                    .parse()
                    .map_err(|e| EmitError(format!("server support path {path:?}: {e}")))?;
                Some((format_ident!("{name}"), tokens))
            }
            (None, true) => {
                return Err(EmitError(
                    "server mode needs the module with the service side of the protocol (`server_support`)".into(),
                ))
            }
            (_, false) => None,
        };
        let mut ctx = Ctx {
            service,
            operations,
            paginators,
            waiters,
            inputs,
            outputs,
            input_users,
            output_users,
            exactly_one_of: selection.exactly_one_of.clone(),
            sensitive_members: selection.sensitive_members.clone(),
            features: selection.features,
            server: selection.server,
            server_support,
            root,
            root_path: selection.root.clone(),
            boxed,
            homes: BTreeMap::new(),
            validated: BTreeSet::new(),
        };
        ctx.validated = validate::needing(&ctx);
        ctx.homes = layout::homes(&ctx)?;
        Ok(ctx)
    }

    /// The same run, with paths starting at `root` instead (for code outside the generated tree: its tests).
    pub fn rooted_at(&self, root: &str) -> Result<Ctx<'a>, EmitError> {
        let mut ctx = self.clone();
        ctx.root = root
            .parse()
            .map_err(|e| EmitError(format!("root path {root:?}: {e}")))?;
        ctx.root_path = root.to_owned();
        Ok(ctx)
    }

    /// The shape called `name`.
    pub fn shape(&self, name: &str) -> &'a Shape {
        self.service.shape(name)
    }

    /// Every shape the selected operations reach, in name order.
    pub fn shapes(&self) -> BTreeSet<&str> {
        self.input_users
            .keys()
            .chain(self.output_users.keys())
            .map(String::as_str)
            .collect()
    }

    /// The operations that need shape `name` at all (either side).
    pub fn users(&self, name: &str) -> BTreeSet<String> {
        let mut users = self.input_users.get(name).cloned().unwrap_or_default();
        users.extend(self.output_users.get(name).into_iter().flatten().cloned());
        users
    }

    /// The `#[cfg]` attribute of an item that the operations `users` need, in a module that is already compiled
    /// only for the operations `within` (empty: a module compiled always). The one place that decides gating.
    pub fn cfg(&self, users: &BTreeSet<String>, within: &BTreeSet<String>) -> TokenStream {
        if !self.features || users == within {
            return quote!();
        }
        let features: Vec<String> = users.iter().map(|op| names::feature_name(op)).collect();
        match features.as_slice() {
            [one] => quote!(#[cfg(feature = #one)]),
            _ => quote!(#[cfg(any(#(feature = #features),*))]),
        }
    }

    /// `items` with the `#[cfg]` of [`Ctx::cfg`] on each of them.
    pub fn gate(&self, users: &BTreeSet<String>, within: &BTreeSet<String>, items: TokenStream) -> TokenStream {
        let cfg = self.cfg(users, within);
        if cfg.is_empty() {
            return items;
        }
        match syn::parse2::<syn::File>(items.clone()) {
            Ok(file) => {
                let items = file.items.into_iter();
                quote!(#(#cfg #items)*)
            }
            // Left as it is, the file fails its syntax check in `render`, which names the error.
            Err(_) => items,
        }
    }

    /// The operation an input or output shape belongs to.
    pub fn io_operation(&self, shape: &str) -> Option<&str> {
        self.inputs
            .get(shape)
            .or_else(|| self.outputs.get(shape))
            .map(String::as_str)
    }

    /// The Rust name of the type generated for a named structure, union, enum or error shape.
    pub fn type_ident(&self, shape: &str) -> Ident {
        if let Some(op) = self.inputs.get(shape) {
            format_ident!("{}", names::input_name(op))
        } else if let Some(op) = self.outputs.get(shape) {
            format_ident!("{}", names::output_name(op))
        } else {
            format_ident!("{}", names::type_name(shape))
        }
    }

    /// The path to that type from anywhere in the generated tree: `crate::types::Cluster`,
    /// `crate::operation::describe_cluster::DescribeClusterInput` (a server's: `crate::operations::..`).
    pub fn type_path(&self, shape: &str) -> TokenStream {
        let root = &self.root;
        let ident = self.type_ident(shape);
        match self.io_operation(shape) {
            Some(op) => {
                let module = self.operation_module(op);
                quote!(#module::#ident)
            }
            None => quote!(#root::types::#ident),
        }
    }

    /// The module of operation `op`: a client's `crate::operation::describe_cluster`, which holds its input,
    /// output, error and builders as aws-sdk-rust has them; a server's `crate::operations`, where they are
    /// re-exported side by side.
    pub fn operation_module(&self, op: &str) -> TokenStream {
        let root = &self.root;
        let tree = format_ident!("{}", names::operations_module(self.server));
        if self.server {
            quote!(#root::#tree)
        } else {
            let module = format_ident!("{}", names::module_name(op));
            quote!(#root::#tree::#module)
        }
    }

    /// The path to generated helper function `prefix_shape` (`de_cluster`, `validate_tag`): bare within the
    /// operation's file for a shape that belongs to one operation, through `types` for a shared one.
    pub fn fn_path(&self, prefix: &str, shape: &str) -> TokenStream {
        let f = format_ident!("{}", names::fn_name(prefix, shape));
        match self.homes.get(shape) {
            Some(Home::Group(_)) => {
                let root = &self.root;
                quote!(#root::types::#f)
            }
            _ => quote!(#f),
        }
    }

    /// The visibility of generated helper functions for `shape`: private in an operation's file, crate-wide in
    /// `types/`.
    pub fn fn_vis(&self, shape: &str) -> TokenStream {
        match self.homes.get(shape) {
            Some(Home::Group(_)) => quote!(pub(crate)),
            _ => quote!(),
        }
    }

    /// The Rust type of a value of shape `target`.
    pub fn rust_type(&self, target: &str) -> TokenStream {
        match &self.shape(target).kind {
            Kind::String { enum_values, .. } if enum_values.is_empty() => quote!(String),
            Kind::String { .. } | Kind::Structure { .. } | Kind::Union { .. } => self.type_path(target),
            Kind::Integer { .. } => quote!(i32),
            Kind::Long { .. } => quote!(i64),
            Kind::Float { .. } => quote!(f32),
            Kind::Double { .. } => quote!(f64),
            Kind::Boolean => quote!(bool),
            Kind::Timestamp { .. } => quote!(lean_aws_runtime::DateTime),
            Kind::Blob { .. } => quote!(Vec<u8>),
            Kind::Document => quote!(lean_aws_runtime::Document),
            Kind::List { member, .. } => {
                let inner = self.rust_type(member);
                quote!(Vec<#inner>)
            }
            Kind::Map { value, .. } => {
                let inner = self.rust_type(value);
                let map = self.map_type();
                quote!(#map<String, #inner>)
            }
        }
    }

    /// The collection every model map becomes: aws-sdk-rust's `HashMap` for a client (written and validated in
    /// key order all the same, see `json::in_key_order`), a `BTreeMap` for a server, whose state files and
    /// answers then list entries in one order.
    pub fn map_type(&self) -> TokenStream {
        if self.server {
            quote!(std::collections::BTreeMap)
        } else {
            quote!(std::collections::HashMap)
        }
    }

    /// How generated helper functions take a value of shape `target`: by reference, lists as slices.
    pub fn arg_type(&self, target: &str) -> TokenStream {
        match &self.shape(target).kind {
            Kind::List { member, .. } => {
                let inner = self.rust_type(member);
                quote!(&[#inner])
            }
            _ => {
                let ty = self.rust_type(target);
                quote!(&#ty)
            }
        }
    }

    /// Whether member `member` of `owner` must be boxed (it leads back to `owner`).
    pub fn boxed(&self, owner: &str, member: &Member) -> bool {
        self.boxed.contains(&(owner.to_owned(), member.name.clone()))
    }

    /// The type of a member's value, boxed where needed (without the `Option`).
    pub fn member_value_type(&self, owner: &str, member: &Member) -> TokenStream {
        let ty = self.rust_type(&member.target);
        if self.boxed(owner, member) {
            quote!(Box<#ty>)
        } else {
            ty
        }
    }

    /// Whether a member is stored without `Option`: a server's required members of structures that are not
    /// errors, which its strict decoding guarantees. A client keeps every member in an `Option`, as aws-sdk-rust
    /// does: its validator reports every missing required member before anything is sent, and its decoding
    /// forgives a service that leaves one out.
    pub fn bare(&self, owner: &Shape, member: &Member) -> bool {
        self.server && member.required && matches!(owner.kind, Kind::Structure { exception: false, .. })
    }

    /// Whether a structure's builder can fail: a server's, when a bare member is missing; a client's operation
    /// input, whose `build()` returns a `Result` as aws-sdk-rust's does (it never fails: missing members are the
    /// validator's to report, with every other violation).
    pub fn fallible_build(&self, shape: &Shape) -> bool {
        match &shape.kind {
            Kind::Structure { members, .. } if self.server => members.iter().any(|m| self.bare(shape, m)),
            // An operation without an input shape gets an empty one of that name.
            _ => {
                self.inputs.contains_key(&shape.name)
                    || self
                        .operations
                        .iter()
                        .any(|op| op.input.is_none() && names::input_name(&op.name) == shape.name)
            }
        }
    }

    /// Whether values of shape `target` must never appear in `Debug` output: the shape is sensitive, or it is a
    /// list or map of sensitive values. (A structure redacts its own sensitive members.)
    pub fn redacted(&self, target: &str) -> bool {
        let shape = self.shape(target);
        shape.sensitive
            || match &shape.kind {
                Kind::List { member, .. } => self.redacted(member),
                Kind::Map { key, value, .. } => self.redacted(key) || self.redacted(value),
                _ => false,
            }
    }

    /// Whether member `member` of `owner` must never appear in `Debug` output: everything in a sensitive shape,
    /// a sensitive value, or a member `model/codegen.json` names (a password the model describes only in prose).
    pub fn member_redacted(&self, owner: &Shape, member: &Member) -> bool {
        owner.sensitive
            || self.redacted(&member.target)
            || self
                .sensitive_members
                .get(&owner.name)
                .is_some_and(|names| names.contains(&member.name))
    }

    /// Whether a shape's `Debug` must be written by hand: it is sensitive or redacts one of its members.
    pub fn redacts(&self, shape: &Shape) -> bool {
        shape.sensitive
            || match &shape.kind {
                Kind::Structure { members, .. } | Kind::Union { members } => {
                    members.iter().any(|m| self.member_redacted(shape, m))
                }
                _ => false,
            }
    }

    /// Whether a shape gets a type of its own (structures, unions, enums and errors; not inputs or outputs, which
    /// their operation's file defines).
    pub fn is_named_type(&self, shape: &Shape) -> bool {
        self.io_operation(&shape.name).is_none()
            && match &shape.kind {
                Kind::Structure { .. } | Kind::Union { .. } => true,
                Kind::String { enum_values, .. } => !enum_values.is_empty(),
                _ => false,
            }
    }

    /// The generated structures, unions, enums and errors (not operation inputs/outputs), in name order.
    pub fn named_types(&self) -> Vec<&'a Shape> {
        self.shapes()
            .into_iter()
            .map(|s| self.shape(s))
            .filter(|s| self.is_named_type(s))
            .collect()
    }
}

/// `#[doc = ...]` attributes for model documentation.
pub fn doc_attrs(html: &str) -> TokenStream {
    let lines = docs::to_rustdoc(html);
    quote!(#(#[doc = #lines])*)
}

/// The model's documentation of shape `shape`, or where the model has none, a line that names it: every public
/// item is documented.
pub fn shape_doc(shape: &Shape) -> TokenStream {
    doc_or(&shape.doc, &format!(" The `{}` shape of the model.", shape.name))
}

/// The model's documentation of member `member`, or a line that names it.
pub fn member_doc(member: &Member) -> TokenStream {
    doc_or(&member.doc, &format!(" The `{}` member.", member.name))
}

fn doc_or(html: &str, fallback: &str) -> TokenStream {
    let lines = docs::to_rustdoc(html);
    if lines.iter().all(|l| l.trim().is_empty()) {
        quote!(#[doc = #fallback])
    } else {
        quote!(#(#[doc = #lines])*)
    }
}

/// Whether a shape is an enum string.
pub fn is_enum(shape: &Shape) -> bool {
    matches!(&shape.kind, Kind::String { enum_values, .. } if !enum_values.is_empty())
}

/// Whether `tokens` use identifier `name` anywhere (a parameter the body may leave unused, say).
fn mentions(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|t| match t {
        TokenTree::Group(g) => mentions(&g.stream(), name),
        TokenTree::Ident(id) => id == name,
        _ => false,
    })
}

/// Whether `tokens` use `name` as the first segment of a path (`json::de_string`): how a file decides which of
/// the runtime's modules it imports, so that no file imports what it does not use. An inline module's body
/// (`mod x { .. }`) does not count: it imports for itself.
fn uses_module(tokens: &TokenStream, name: &str) -> bool {
    let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let inline_module =
        |i: usize| matches!(i.checked_sub(2).map(|p| &tokens[p]), Some(TokenTree::Ident(m)) if m == "mod");
    tokens.iter().enumerate().any(|(i, t)| match t {
        TokenTree::Group(_) if inline_module(i) => false,
        TokenTree::Group(g) => uses_module(&g.stream(), name),
        TokenTree::Ident(id) => {
            id == name
                && !matches!(i.checked_sub(1).map(|p| &tokens[p]), Some(TokenTree::Punct(p)) if p.as_char() == ':' || p.as_char() == '.')
                && matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':')
        }
        _ => false,
    })
}

/// `ty` written for a macro's arguments, where prettyplease would print `crate::types::X` as `crate ::types::X`:
/// as `types::X`, which the file then imports ([`items`]). Paths from outside the crate stay as they are.
fn via_types_import(ctx: &Ctx<'_>, ty: TokenStream) -> TokenStream {
    let root: Vec<String> = ctx.root.clone().into_iter().map(|t| t.to_string()).collect();
    if root.first().map(String::as_str) != Some("crate") {
        return ty;
    }
    let tokens: Vec<TokenTree> = ty.into_iter().collect();
    let text: Vec<String> = tokens.iter().map(|t| t.to_string()).collect();
    let prefix: Vec<&str> = root.iter().map(String::as_str).chain([":", ":", "types"]).collect();
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if text.len() - i >= prefix.len() && prefix.iter().zip(&text[i..]).all(|(p, t)| p == t) {
            // Keep `types`, drop what leads to it.
            i += prefix.len() - 1;
            continue;
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out.into_iter().collect()
}

/// Items that the operations `users` need (an empty set: items every build needs).
pub struct Chunk {
    /// The operations.
    pub users: BTreeSet<String>,
    /// The items.
    pub tokens: TokenStream,
}

impl Chunk {
    /// `tokens`, needed by `users`.
    pub fn new(users: BTreeSet<String>, tokens: TokenStream) -> Chunk {
        Chunk { users, tokens }
    }
}

/// A generated file in a module compiled for the operations `within`: its doc, then [`items`].
fn file(ctx: &Ctx<'_>, doc: &str, within: &BTreeSet<String>, chunks: Vec<Chunk>) -> TokenStream {
    let items = items(ctx, within, &chunks);
    quote! {
        #![doc = #doc]
        #items
    }
}

/// The items of a module compiled for the operations `within`: the runtime modules its chunks use (`json`,
/// `validate`, and the server support module), each imported under the union of the gates of the chunks that use it, then the chunks,
/// each gated ([`Ctx::gate`]).
fn items(ctx: &Ctx<'_>, within: &BTreeSet<String>, chunks: &[Chunk]) -> TokenStream {
    let import = |module: &str, path: TokenStream| {
        let users: Option<BTreeSet<String>> = chunks
            .iter()
            .filter(|c| uses_module(&c.tokens, module))
            .map(|c| c.users.clone())
            .reduce(|mut a, b| {
                a.extend(b);
                a
            });
        users.map(|users| ctx.gate(&users, within, quote!(use #path;)))
    };
    let json = import("json", quote!(lean_aws_runtime::protocol::json));
    let validate = import("validate", quote!(lean_aws_runtime::validate));
    let root = &ctx.root;
    let types = import("types", quote!(#root::types));
    let server = ctx
        .server_support
        .as_ref()
        .and_then(|(name, path)| import(&name.to_string(), path.clone()));
    let items = chunks.iter().map(|c| ctx.gate(&c.users, within, c.tokens.clone()));
    quote! {
        #json
        #validate
        #types
        #server
        #(#items)*
    }
}

/// Chunks that the operations `users` need, in a module compiled for `within`, under as few `#[cfg]`s as
/// possible: as they are when they need no gate of their own; one gated item when they are one item; else an
/// inline module `name` gated once, with its items (and the chunks' gates within it), re-exported with `vis`.
fn gated_module(
    ctx: &Ctx<'_>,
    name: &str,
    vis: TokenStream,
    users: &BTreeSet<String>,
    within: &BTreeSet<String>,
    chunks: Vec<Chunk>,
) -> Vec<Chunk> {
    let count: usize = chunks
        .iter()
        .map(|c| syn::parse2::<syn::File>(c.tokens.clone()).map_or(2, |f| f.items.len()))
        .sum();
    if ctx.cfg(users, within).is_empty() || count <= 1 {
        return chunks;
    }
    let module = names::ident(name);
    let items = items(ctx, users, &chunks);
    vec![Chunk::new(
        users.clone(),
        quote! {
            mod #module {
                #items
            }
            #vis use #module::*;
        },
    )]
}

/// The generated files of one crate (or module tree), as `(path below the tree's root, tokens)`, its root module
/// ([`names::ROOT_MODULE_FILE`], declaring the others) first.
pub fn emit_all(ctx: &Ctx<'_>, sources: &ServiceSources) -> Result<Vec<(String, TokenStream)>, EmitError> {
    let (root, mut files) = if ctx.server {
        server::emit(ctx)
    } else {
        let root = quote! {
            pub mod client;
            pub mod operation;
            pub mod service;
            pub mod types;
            pub mod waiters;
            mod error_meta;
            pub use client::Client;
            pub use error_meta::Error;
        };
        let (waiters, waiters_trait) = waiters::emit(ctx)?;
        let files = vec![
            ("client.rs".to_owned(), client::emit(ctx, waiters_trait)),
            ("service.rs".to_owned(), service::emit(ctx, sources)),
            ("waiters.rs".to_owned(), waiters),
            ("error_meta.rs".to_owned(), crate_error::emit(ctx)),
        ];
        // The blocking client is a feature of a published crate's (which has features of its own).
        let (root, files) = if ctx.features {
            let feature = blocking::FEATURE;
            let root = quote! {
                #root
                #[cfg(feature = #feature)]
                pub mod blocking;
            };
            let mut files = files;
            files.push(("blocking.rs".to_owned(), blocking::emit(ctx)));
            (root, files)
        } else {
            (root, files)
        };
        (root, files)
    };
    files.extend(operations::emit(ctx)?);
    files.extend(types::emit(ctx)?);
    files.insert(0, (names::ROOT_MODULE_FILE.to_owned(), root));
    Ok(files)
}

/// The `[features]` table of a crate with per-operation features: one feature per operation, and `full`
/// (the default) enabling them all. An operation that accepts compressed request bodies also enables the runtime's
/// compression. `(name, enabled features)` in order.
pub fn features(ctx: &Ctx<'_>) -> Vec<(String, Vec<String>)> {
    let ops: Vec<String> = ctx.operations.iter().map(|o| names::feature_name(&o.name)).collect();
    let mut table = vec![
        ("default".to_owned(), vec![names::FULL_FEATURE.to_owned()]),
        (names::FULL_FEATURE.to_owned(), ops),
        (
            blocking::FEATURE.to_owned(),
            vec![format!("lean-aws-runtime/{}", blocking::FEATURE)],
        ),
        (
            names::TEST_UTIL_FEATURE.to_owned(),
            vec![format!("lean-aws-runtime/{}", names::TEST_UTIL_FEATURE)],
        ),
        (
            names::AWS_CONFIG_FEATURE.to_owned(),
            vec![format!("lean-aws-runtime/{}", names::AWS_CONFIG_FEATURE)],
        ),
    ];
    if serde_attrs::enabled(ctx) {
        let runtime = format!("lean-aws-runtime/{}", serde_attrs::FEATURE);
        let enables = vec![serde_attrs::DEPENDENCY.to_owned(), runtime];
        table.push((serde_attrs::FEATURE.to_owned(), enables));
    }
    table.extend(ctx.operations.iter().map(|op| {
        let needs = (!op.request_compression.is_empty()).then(|| names::RUNTIME_COMPRESSION_FEATURE.to_owned());
        (names::feature_name(&op.name), needs.into_iter().collect())
    }));
    table
}

/// Test support for the protocol conformance crate (`dump.rs`): output-side values as JSON, for comparison with a
/// suite's expected results.
pub fn emit_dump(ctx: &Ctx<'_>) -> TokenStream {
    dump::emit(ctx)
}

/// The tests of one protocol-suite group (`tests.rs`); `doc` becomes the file's doc, `endpoint` the client's
/// endpoint URL.
pub fn emit_cases(ctx: &Ctx<'_>, doc: &str, cases: &[Case<'_>], endpoint: &str) -> Result<TokenStream, EmitError> {
    cases::emit(ctx, doc, cases, endpoint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_use_is_told_from_field_access() {
        let uses: TokenStream = quote!(
            fn f(v: &Value) {
                json::de_string(v)
            }
        );
        assert!(uses_module(&uses, "json"));
        let field: TokenStream = quote!(
            fn f(v: &X) {
                v.json.clone()
            }
        );
        assert!(!uses_module(&field, "json"));
        let nested: TokenStream = quote!(lean_aws_runtime::protocol::json::Value);
        assert!(!uses_module(&nested, "json"));
        let inline: TokenStream = quote!(
            mod x {
                use json;
                fn f() {
                    json::de_string(v)
                }
            }
        );
        assert!(!uses_module(&inline, "json"));
        assert!(mentions(
            &quote!(if x {
                f(full, out)
            }),
            "full"
        ));
        assert!(!mentions(&quote!(g("fully"); fuller), "full"));
    }
}
