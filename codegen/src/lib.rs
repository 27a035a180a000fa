//! The generator: botocore model → IR → Rust.
//!
//! The pipeline, in the order it runs:
//! 1. [`plan`] reads `model/codegen.json`: which crates, from which model, with which operations.
//! 2. [`ir::load`] reads botocore JSON into the IR ([`ir::Service`]), with its paginators and waiters.
//! 3. [`emit::Ctx::new`] decides once what the run needs: the operations, the shapes each reaches from either
//!    side, recursion (boxing), where each shape lives ([`emit::layout`]) and every `#[cfg]` ([`emit::Ctx::cfg`]).
//! 4. [`emit`] builds each file with `quote!`; all names come from [`names`], patterns from [`patterns`], waiter
//!    paths from [`jmespath`] and docs from [`docs`].
//! 5. [`render`] checks the tokens with `syn::parse2`, formats them with `prettyplease` and prepends the header.
//! 6. [`output`] writes the files, or with `--check` compares them with what is on disk ([`project`] lists them).
//!
//! [`conformance`] runs the same pipeline over the small models of botocore's protocol suites, one module per
//! group, and adds a test per case. Both read their inputs and write headers through [`provenance`].

pub mod conformance;
pub mod docs;
pub mod emit;
pub mod ir;
pub mod jmespath;
pub mod names;
pub mod output;
pub mod patterns;
pub mod plan;
pub mod project;
pub mod provenance;
pub mod update;

use proc_macro2::TokenStream;

/// Renders one generated file: syntax check, prettyplease, header.
pub fn render(tokens: TokenStream, header: &str) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(format!("{header}\n{}", prettyplease::unparse(&file)))
}

/// Renders many files, as `(name, tokens)`, on every core: each file's tokens go to a thread as text (tokens are
/// not `Send`) and are parsed and formatted there. The names come back with the rendered text, in order.
pub fn render_all(files: Vec<(String, TokenStream)>, header: &str) -> Result<Vec<(String, String)>, String> {
    let texts: Vec<(String, String)> = files
        .into_iter()
        .map(|(name, tokens)| (name, tokens.to_string()))
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, usize::from).max(1);
    let chunk = texts.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let jobs: Vec<_> = texts
            .chunks(chunk)
            .map(|files| {
                scope.spawn(move || {
                    files
                        .iter()
                        .map(|(name, text)| {
                            let file: syn::File = syn::parse_str(text)
                                .map_err(|e| format!("{name}: generated code does not parse: {e}"))?;
                            Ok((name.clone(), format!("{header}\n{}", prettyplease::unparse(&file))))
                        })
                        .collect::<Result<Vec<_>, String>>()
                })
            })
            .collect();
        let mut rendered = Vec::new();
        for job in jobs {
            rendered.extend(
                job.join()
                    .unwrap_or_else(|_| Err("a rendering thread panicked".to_owned()))?,
            );
        }
        Ok(rendered)
    })
}
