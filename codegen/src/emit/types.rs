//! `types/`: the shapes several operations share, in the groups [`layout`](super::layout) chose, and
//! `types/mod.rs`, which re-exports every shape (those in an operation's file too), so that each is at `types::X`.

use super::layout::Home;
use super::shapes::shape_chunks;
use super::{file, gated_module, Chunk, Ctx, EmitError};
use crate::ir::Kind;
use crate::names;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

/// `types/mod.rs` and a file per group.
pub fn emit(ctx: &Ctx<'_>) -> Result<Vec<(String, TokenStream)>, EmitError> {
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut local: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (shape, home) in &ctx.homes {
        match home {
            Home::Group(module) => groups.entry(module).or_default().push(shape),
            Home::Operation(op) if ctx.is_named_type(ctx.shape(shape)) => local.entry(op).or_default().push(shape),
            Home::Operation(_) => {}
        }
    }
    let mut files = Vec::new();
    let mut declarations = Vec::new();
    for (module, shapes) in &groups {
        let mut per_shape = Vec::new();
        for shape in shapes {
            let chunks = shape_chunks(ctx, ctx.shape(shape))?;
            let users: BTreeSet<String> = chunks.iter().flat_map(|c| c.users.iter().cloned()).collect();
            per_shape.push((shape, users, chunks));
        }
        // The module is compiled when any of its items is; each shape's items sit behind one gate within it.
        let users: BTreeSet<String> = per_shape.iter().flat_map(|(_, u, _)| u.iter().cloned()).collect();
        let chunks: Vec<Chunk> = per_shape
            .into_iter()
            .flat_map(|(shape, shape_users, chunks)| {
                // A type is public; a list's, map's or constrained value's helper functions are the crate's.
                let vis = if ctx.is_named_type(ctx.shape(shape)) {
                    quote!(pub)
                } else {
                    quote!(pub(crate))
                };
                gated_module(ctx, &names::shape_module_name(shape), vis, &shape_users, &users, chunks)
            })
            .collect();
        let doc = match *module {
            names::ERRORS_MODULE => " Modelled errors that several operations return.".to_owned(),
            names::ENUMS_MODULE => " Enums that several operations use.".to_owned(),
            names::COMMON_MODULE => {
                " Helper functions of lists, maps and constrained values that several groups share.".to_owned()
            }
            _ => format!(
                " Shared shapes: `{}` and the shapes only it leads to.",
                shapes_head(ctx, shapes)
            ),
        };
        files.push((format!("types/{module}.rs"), file(ctx, &doc, &users, chunks)));
        let ident = format_ident!("{module}");
        // A module of helper functions only has nothing to show outside the crate.
        let vis = if shapes.iter().any(|s| ctx.is_named_type(ctx.shape(s))) {
            quote!(pub)
        } else {
            quote!(pub(crate))
        };
        declarations.push(ctx.gate(&users, &BTreeSet::new(), quote!(mod #ident; #vis use #ident::*;)));
    }
    let root = &ctx.root;
    let tree = format_ident!("{}", names::operations_module(ctx.server));
    for (op, shapes) in &local {
        let module = format_ident!("{}", names::module_name(op));
        let mut exported: Vec<Ident> = Vec::new();
        for shape in shapes {
            let ident = ctx.type_ident(shape);
            // Structures have builders, modelled errors too.
            if matches!(ctx.shape(shape).kind, Kind::Structure { .. }) {
                exported.push(format_ident!("{}", names::builder_name(&ident.to_string())));
            }
            exported.push(ident);
        }
        exported.sort();
        declarations.push(ctx.gate(
            &BTreeSet::from([(*op).to_owned()]),
            &BTreeSet::new(),
            quote!(pub use #root::#tree::#module::{#(#exported),*};),
        ));
    }
    if !ctx.server {
        declarations.push(sdk_paths(ctx));
    }
    let mod_rs = quote! {
        //! The service's shapes: structures (with builders), unions, enums and modelled errors. Every shape is
        //! here, whether several operations share it (the modules below) or one operation alone uses it (it is
        //! defined beside that operation and re-exported here).
        #(#declarations)*
    };
    files.insert(0, ("types/mod.rs".to_owned(), mod_rs));
    Ok(files)
}

/// The shape a group is named after: the one whose module name it has.
fn shapes_head<'s>(ctx: &Ctx<'_>, shapes: &[&'s str]) -> &'s str {
    let module = ctx.homes.get(shapes[0]);
    shapes
        .iter()
        .find(|s| Some(&Home::Group(names::group_module_name(s))) == module)
        .copied()
        .unwrap_or(shapes[0])
}

/// A client's `types::builders` (every structure's builder), `types::error` (the modelled errors) and
/// `types::error::builders`, where aws-sdk-rust has them: re-exports of what `types` holds, under one `#[cfg]` per
/// set of operations that need them.
fn sdk_paths(ctx: &Ctx<'_>) -> TokenStream {
    let mut builders: BTreeMap<BTreeSet<String>, Vec<Ident>> = BTreeMap::new();
    let mut errors: BTreeMap<BTreeSet<String>, Vec<Ident>> = BTreeMap::new();
    let mut error_builders: BTreeMap<BTreeSet<String>, Vec<Ident>> = BTreeMap::new();
    for shape in ctx.named_types() {
        let Kind::Structure { exception, .. } = shape.kind else {
            continue;
        };
        let ident = ctx.type_ident(&shape.name);
        let builder = format_ident!("{}", names::builder_name(&ident.to_string()));
        let users = ctx.users(&shape.name);
        if exception {
            errors.entry(users.clone()).or_default().push(ident);
            error_builders.entry(users).or_default().push(builder);
        } else {
            builders.entry(users).or_default().push(builder);
        }
    }
    let reexports = |from: TokenStream, groups: BTreeMap<BTreeSet<String>, Vec<Ident>>| -> Vec<TokenStream> {
        groups
            .into_iter()
            .map(|(users, idents)| ctx.gate(&users, &BTreeSet::new(), quote!(pub use #from::{#(#idents),*};)))
            .collect()
    };
    let builders = reexports(quote!(super), builders);
    let errors = reexports(quote!(super), errors);
    let error_builders = reexports(quote!(super::super), error_builders);
    let builders_module = format_ident!("{}", names::BUILDERS_MODULE);
    let error_module = format_ident!("{}", names::TYPES_ERROR_MODULE);
    quote! {
        /// The builders of the structures above.
        pub mod #builders_module {
            #(#builders)*
        }
        /// The modelled errors, with their builders.
        pub mod #error_module {
            #(#errors)*
            /// The builders of the modelled errors.
            pub mod #builders_module {
                #(#error_builders)*
            }
        }
    }
}
