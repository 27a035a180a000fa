//! IR → Rust tokens. Each submodule emits one generated file; this module holds what they share: the selection
//! of shapes, type mapping and doc attributes.

mod cases;
mod dump;
pub mod endpoint_tests;
mod operations;
mod serde;
mod service;
mod types;
mod validate;

use crate::docs;
use crate::ir::{Kind, Member, Service, Shape};
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

pub use cases::{test_name, Case};
pub use service::ServiceSources;

/// What to generate: which operations, and the rules the model only states in prose.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Operation names; empty means all.
    pub operations: Vec<String>,
    /// Per shape, groups of members of which exactly one must be set (documented in the model's prose).
    pub exactly_one_of: BTreeMap<String, Vec<Vec<String>>>,
}

/// Everything the emitters need to know about one generation run.
pub struct Ctx<'a> {
    /// The model.
    pub service: &'a Service,
    /// Operations to generate, in name order.
    pub operations: Vec<&'a crate::ir::Operation>,
    /// Shapes reachable from them.
    pub shapes: BTreeSet<String>,
    /// Input shape → operation name.
    pub inputs: BTreeMap<String, String>,
    /// Output shape → operation name.
    pub outputs: BTreeMap<String, String>,
    /// Shapes reachable from inputs (these get validators and serializers).
    pub input_side: BTreeSet<String>,
    /// Shapes reachable from outputs and errors (these get deserializers).
    pub output_side: BTreeSet<String>,
    /// Exactly-one-of rules, from the selection.
    pub exactly_one_of: BTreeMap<String, Vec<Vec<String>>>,
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

impl<'a> Ctx<'a> {
    /// Prepares a run over `service` for `selection`.
    pub fn new(service: &'a Service, selection: &Selection) -> Result<Ctx<'a>, EmitError> {
        let operations: Vec<_> = if selection.operations.is_empty() {
            service.operations.values().collect()
        } else {
            let mut ops = Vec::new();
            for name in &selection.operations {
                ops.push(
                    service
                        .operations
                        .get(name)
                        .ok_or_else(|| EmitError(format!("operation {name} is not in the model")))?,
                );
            }
            ops.sort_by(|a, b| a.name.cmp(&b.name));
            ops
        };
        let names: Vec<String> = operations.iter().map(|o| o.name.clone()).collect();
        let shapes = service.reachable(&names);
        let mut inputs = BTreeMap::new();
        let mut outputs = BTreeMap::new();
        let mut input_roots = Vec::new();
        let mut output_roots = Vec::new();
        for op in &operations {
            if let Some(i) = &op.input {
                if let Some(other) = inputs.insert(i.clone(), op.name.clone()) {
                    return Err(EmitError(format!("{i} is the input of both {other} and {}", op.name)));
                }
                input_roots.push(i.clone());
            }
            if let Some(o) = &op.output {
                if let Some(other) = outputs.insert(o.clone(), op.name.clone()) {
                    return Err(EmitError(format!("{o} is the output of both {other} and {}", op.name)));
                }
                output_roots.push(o.clone());
            }
            output_roots.extend(op.errors.iter().cloned());
        }
        // An input or output shape may also be a member of another shape (botocore's protocol suites have a
        // `KitchenSink` input with a `RecursiveStruct: KitchenSink` member): the member then has the operation's
        // input or output type; see `type_path`.
        let closure = |roots: Vec<String>| {
            let mut seen = BTreeSet::new();
            let mut todo = roots;
            while let Some(n) = todo.pop() {
                if seen.insert(n.clone()) {
                    todo.extend(service.shape(&n).targets().into_iter().map(str::to_owned));
                }
            }
            seen
        };
        Ok(Ctx {
            service,
            operations,
            shapes,
            inputs,
            outputs,
            input_side: closure(input_roots),
            output_side: closure(output_roots),
            exactly_one_of: selection.exactly_one_of.clone(),
        })
    }

    /// The shape called `name`.
    pub fn shape(&self, name: &str) -> &'a Shape {
        self.service.shape(name)
    }

    /// The Rust name of the type generated for a named structure, union, enum or error shape.
    pub fn type_ident(&self, shape: &str) -> proc_macro2::Ident {
        if let Some(op) = self.inputs.get(shape) {
            format_ident!("{}", names::input_name(op))
        } else if let Some(op) = self.outputs.get(shape) {
            format_ident!("{}", names::output_name(op))
        } else {
            format_ident!("{}", names::type_name(shape))
        }
    }

    /// The path to that type from any generated module.
    pub fn type_path(&self, shape: &str) -> TokenStream {
        let ident = self.type_ident(shape);
        if self.inputs.contains_key(shape) || self.outputs.contains_key(shape) {
            quote!(super::operations::#ident)
        } else {
            quote!(super::types::#ident)
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
                quote!(std::collections::BTreeMap<String, #inner>)
            }
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
        matches!(
            self.shape(&member.target).kind,
            Kind::Structure { .. } | Kind::Union { .. }
        ) && self.service.reaches(&member.target, owner)
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

    /// Whether a member is stored without `Option`: required members of structures that are not errors.
    pub fn is_required(&self, owner: &Shape, member: &Member) -> bool {
        member.required && matches!(owner.kind, Kind::Structure { exception: false, .. })
    }

    /// Whether a member's value must never appear in `Debug` output.
    pub fn is_sensitive(&self, member: &Member) -> bool {
        self.shape(&member.target).sensitive
    }

    /// The generated structures, unions and enums (not operation inputs/outputs), in name order.
    pub fn named_types(&self) -> impl Iterator<Item = &'a Shape> + '_ {
        self.shapes
            .iter()
            .filter(|s| !self.inputs.contains_key(*s) && !self.outputs.contains_key(*s))
            .map(|s| self.shape(s))
            .filter(|s| match &s.kind {
                Kind::Structure { .. } | Kind::Union { .. } => true,
                Kind::String { enum_values, .. } => !enum_values.is_empty(),
                _ => false,
            })
    }
}

/// `#[doc = ...]` attributes for model documentation.
pub fn doc_attrs(html: &str) -> TokenStream {
    let lines = docs::to_rustdoc(html);
    quote!(#(#[doc = #lines])*)
}

/// Whether a shape is an enum string.
pub fn is_enum(shape: &Shape) -> bool {
    matches!(&shape.kind, Kind::String { enum_values, .. } if !enum_values.is_empty())
}

/// The generated files of one crate (or module tree), as `(file name, tokens)`.
pub fn emit_all(ctx: &Ctx<'_>, sources: &ServiceSources) -> Result<Vec<(&'static str, TokenStream)>, EmitError> {
    Ok(vec![
        ("client.rs", operations::emit_client(ctx)),
        ("operations.rs", operations::emit_operations(ctx)?),
        ("serde.rs", serde::emit(ctx)),
        ("service.rs", service::emit(ctx, sources)),
        ("types.rs", types::emit(ctx)),
        ("validate.rs", validate::emit(ctx)?),
    ])
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
