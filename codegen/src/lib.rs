//! The generator: botocore model → IR → Rust.
//!
//! The pipeline, in the order it runs:
//! 1. [`ir::load`] reads botocore JSON into the IR ([`ir::Service`]).
//! 2. [`emit::Ctx::new`] selects the operations (from `model/codegen.json`) and the shapes they reach.
//! 3. [`emit`] builds each file with `quote!`; all names come from [`names`], patterns from [`patterns`] and docs
//!    from [`docs`].
//! 4. [`render`] checks the tokens with `syn::parse2`, formats them with `prettyplease` and prepends the header.
//! 5. [`output`] writes the files, or with `--check` compares them with what is on disk.
//!
//! [`conformance`] runs the same pipeline over the small models of botocore's protocol suites, one module per
//! group, and adds a test per case.

pub mod conformance;
pub mod docs;
pub mod emit;
pub mod ir;
pub mod names;
pub mod output;
pub mod patterns;
pub mod project;
pub mod update;

use proc_macro2::TokenStream;

/// Renders one generated file: syntax check, prettyplease, header.
pub fn render(tokens: TokenStream, header: &str) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(format!("{header}\n{}", prettyplease::unparse(&file)))
}
