//! Where each generated shape lives.
//!
//! * A shape that one operation alone needs lives in that operation's file, so that a user who enables one
//!   operation compiles one file of it (inputs and outputs always live there).
//! * A shape that several operations share lives in `types/`, grouped with the shapes it alone leads to: a
//!   shared shape whose every parent (the shapes and inputs/outputs that refer to it, through lists and maps)
//!   lives in the same group joins that group, so `types/scaling_rule.rs` holds `ScalingRule` with its trigger,
//!   action, alarm and their enums. Modelled errors go to `types/errors.rs`, and enums that no group takes to
//!   `types/enums.rs`.
//!
//! * Lists, maps and constrained strings and numbers have no type of their own, only helper functions (serializer,
//!   deserializer, validator); a shared one goes to the group of its parents, or to `types/common.rs` when they
//!   are in several.
//!
//! Every shape is reachable as `types::X` wherever it lives: `types/mod.rs` re-exports them.

use super::{Ctx, EmitError};
use crate::ir::Kind;
use crate::names;
use std::collections::{BTreeMap, BTreeSet};

/// A shape's home.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Home {
    /// The file of this operation.
    Operation(String),
    /// This module of `types/`.
    Group(String),
}

/// The named shapes (and inputs/outputs) that refer to each shape, looking through lists and maps.
fn parents(ctx: &Ctx<'_>, shapes: &BTreeSet<&str>) -> BTreeMap<String, BTreeSet<String>> {
    let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for &name in shapes {
        let shape = ctx.shape(name);
        if !(ctx.is_named_type(shape) || ctx.io_operation(name).is_some()) {
            continue;
        }
        let mut todo: Vec<&str> = shape.targets();
        let mut seen = BTreeSet::new();
        while let Some(t) = todo.pop() {
            if !seen.insert(t) {
                continue;
            }
            match &ctx.shape(t).kind {
                Kind::List { .. } | Kind::Map { .. } => todo.extend(ctx.shape(t).targets()),
                _ => {
                    parents.entry(t.to_owned()).or_default().insert(name.to_owned());
                }
            }
        }
    }
    parents
}

/// The home of every named shape, input and output of the run.
pub fn homes(ctx: &Ctx<'_>) -> Result<BTreeMap<String, Home>, EmitError> {
    let shapes = ctx.shapes();
    let mut homes = BTreeMap::new();
    let mut shared = Vec::new();
    for &name in &shapes {
        let users = ctx.users(name);
        if let Some(op) = ctx.io_operation(name) {
            if ctx.features && users.len() > 1 {
                return Err(EmitError(format!(
                    "{name}, the input or output of {op}, is also a member reached from other operations \
                     ({users:?}); per-operation features cannot gate it"
                )));
            }
            homes.insert(name.to_owned(), Home::Operation(op.to_owned()));
        } else if ctx.is_named_type(ctx.shape(name)) {
            match users.iter().collect::<Vec<_>>().as_slice() {
                [op] => {
                    homes.insert(name.to_owned(), Home::Operation((*op).clone()));
                }
                _ => shared.push(name),
            }
        }
    }
    // Shared shapes: a group per shape to start with; a shape joins the group that all its parents are in, until
    // nothing moves. `head` maps a shape to the shape whose group it is in.
    let parents = parents(ctx, &shapes);
    let mut head: BTreeMap<&str, &str> = shared.iter().map(|s| (*s, *s)).collect();
    fn find<'s>(head: &BTreeMap<&'s str, &'s str>, mut s: &'s str) -> Option<String> {
        let mut seen = BTreeSet::new();
        while let Some(&h) = head.get(s) {
            if h == s || !seen.insert(s) {
                return Some(h.to_owned());
            }
            s = h;
        }
        None
    }
    for _ in 0..=shared.len() {
        let mut moved = false;
        for &s in &shared {
            let groups: BTreeSet<Option<String>> =
                parents.get(s).into_iter().flatten().map(|p| find(&head, p)).collect();
            let join = match groups.iter().collect::<Vec<_>>().as_slice() {
                [Some(g)] if g != s && find(&head, g).as_deref() != Some(s) => shared.iter().find(|x| **x == g),
                _ => None,
            };
            let new = join.copied().unwrap_or(s);
            if head[s] != new {
                head.insert(s, new);
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    for &s in &shared {
        let h = find(&head, s).unwrap_or_else(|| s.to_owned());
        let module = match &ctx.shape(s).kind {
            Kind::Structure { exception: true, .. } => names::ERRORS_MODULE.to_owned(),
            _ if matches!(ctx.shape(&h).kind, Kind::String { .. }) => names::ENUMS_MODULE.to_owned(),
            _ => names::group_module_name(&h),
        };
        homes.insert(s.to_owned(), Home::Group(module));
    }
    // Shapes without a type of their own: with their only operation, else with their parents' group.
    let mut direct: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for &name in &shapes {
        for t in ctx.shape(name).targets() {
            direct.entry(t).or_default().insert(name);
        }
    }
    let mut pending = Vec::new();
    for &name in &shapes {
        // Strings and numbers without a validator have nothing to live anywhere.
        let has_helpers = ctx.validated.contains(name)
            || matches!(
                ctx.shape(name).kind,
                Kind::Structure { .. } | Kind::Union { .. } | Kind::List { .. } | Kind::Map { .. }
            );
        if homes.contains_key(name) || !has_helpers {
            continue;
        }
        match ctx.users(name).iter().collect::<Vec<_>>().as_slice() {
            [op] => {
                homes.insert(name.to_owned(), Home::Operation((*op).clone()));
            }
            _ => pending.push(name),
        }
    }
    let common = Home::Group(names::COMMON_MODULE.to_owned());
    let pending_set: BTreeSet<&str> = pending.iter().copied().collect();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|&name| {
            let parents: Option<BTreeSet<&Home>> = direct
                .get(name)
                .into_iter()
                .flatten()
                .filter(|p| homes.contains_key(**p) || pending_set.contains(**p))
                .map(|p| homes.get(*p))
                .collect();
            let Some(parents) = parents else {
                return true;
            };
            let home = match parents.into_iter().collect::<Vec<_>>().as_slice() {
                [Home::Group(g)] => Home::Group(g.clone()),
                _ => common.clone(),
            };
            homes.insert(name.to_owned(), home);
            false
        });
        if pending.len() == before {
            // Only cycles of list and map shapes are left: they share the common module.
            for name in pending.drain(..) {
                homes.insert(name.to_owned(), common.clone());
            }
        }
    }
    Ok(homes)
}
