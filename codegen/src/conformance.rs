//! botocore's protocol suites as a generated crate: each group of cases carries a small service model, which goes
//! through the same pipeline as a real service ([`ir::load`], [`Ctx::new`], [`emit::emit_all`]) into a module
//! of its own, `src/suites/<suite>_<NN>/`; a generated `tests.rs` beside it has one function and one test per
//! case, and `suites/mod.rs` lists every group's cases (`GROUPS`) for the `summary` target to run and count.
//!
//! The skip list names the cases that cannot apply, one `<suite>/<case id>: <reason>` per line (`#` starts a
//! comment). A skipped case's test is generated with `#[ignore = "skip.txt: <reason>"]` and its `CASES` entry carries
//! the reason, so the summary counts it as skipped without running it; an entry that names no case is an error.

use crate::emit::{self, Case, Ctx, Selection, ServiceSources};
use crate::ir;
use crate::names;
use crate::plan::ConformanceSpec;
use crate::provenance::{header, read_json, sha256_hex};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Parses a skip list: `<suite>/<case id>` → reason.
pub fn parse_skip_list(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut skips = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (case, reason) = line
            .split_once(": ")
            .map(|(c, r)| (c.trim(), r.trim()))
            .filter(|(c, r)| c.contains('/') && !r.is_empty())
            .ok_or(format!("line {}: expected `<suite>/<case id>: <reason>`", n + 1))?;
        if skips.insert(case.to_owned(), reason.to_owned()).is_some() {
            return Err(format!("line {}: {case} is listed twice", n + 1));
        }
    }
    Ok(skips)
}

/// The model of one group: its metadata and shapes, and the operation its cases call.
fn group_model(group: &Value) -> Result<Value, String> {
    let cases = group.get("cases").and_then(Value::as_array).ok_or("no `cases`")?;
    let mut operations = Map::new();
    for case in cases {
        let given = case.get("given").ok_or("a case without `given`")?;
        let name = given
            .get("name")
            .and_then(Value::as_str)
            .ok_or("a `given` without `name`")?;
        if let Some(other) = operations.insert(name.to_owned(), given.clone()) {
            if &other != given {
                return Err(format!("cases describe operation {name} in different ways"));
            }
        }
    }
    Ok(json!({
        "metadata": group.get("metadata").cloned().unwrap_or_default(),
        "shapes": group.get("shapes").cloned().unwrap_or_else(|| json!({})),
        "operations": operations,
    }))
}

fn module_doc(lines: &[String]) -> TokenStream {
    let lines = lines
        .iter()
        .map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote!(#(#![doc = #lines])*)
}

/// Generates the conformance crate's modules: `(path relative to the repository root, contents)`.
pub fn generate(root: &Path, spec: &ConformanceSpec) -> Result<Vec<(PathBuf, String)>, String> {
    let skip_text = fs::read_to_string(root.join(&spec.skip_list)).map_err(|e| format!("{}: {e}", spec.skip_list))?;
    let skips = parse_skip_list(&skip_text).map_err(|e| format!("{}: {e}", spec.skip_list))?;
    let mut unused_skips: BTreeSet<&String> = skips.keys().collect();
    let sources = ServiceSources {
        endpoint_rule_set: read_json(&root.join(&spec.endpoint_rule_set))?.to_string(),
        partitions: read_json(&root.join(&spec.partitions))?.to_string(),
    };
    let src = PathBuf::from(&spec.dir).join("src").join("suites");
    let mut files = Vec::new();
    let mut modules = Vec::new();
    let mut registry = Vec::new();
    let mut sources_read = Vec::new();
    for (suite, file) in &spec.suites {
        let bytes = fs::read(root.join(file)).map_err(|e| format!("{file}: {e}"))?;
        let groups: Vec<Value> = serde_json::from_slice(&bytes).map_err(|e| format!("{file}: {e}"))?;
        let hash = sha256_hex(&bytes);
        let header = header(file, &hash);
        sources_read.push((file, hash));
        let width = groups.len().saturating_sub(1).to_string().len().max(2);
        for (i, group) in groups.iter().enumerate() {
            let module = format!("{suite}_{i:0width$}");
            let at = |e: String| format!("{file}: group {i}: {e}");
            let model = group_model(group).map_err(at)?;
            let service = ir::load(&model).map_err(|e| at(e.to_string()))?;
            let selection = Selection {
                root: format!("crate::suites::{module}"),
                ..Selection::default()
            };
            let ctx = Ctx::new(&service, &selection).map_err(|e| at(e.to_string()))?;
            let description = group.get("description").and_then(Value::as_str).unwrap_or("");
            let endpoint = group
                .get("clientEndpoint")
                .and_then(Value::as_str)
                .unwrap_or("https://example.com");

            let mut cases = Vec::new();
            for case in group.get("cases").and_then(Value::as_array).into_iter().flatten() {
                let id = case
                    .get("id")
                    .and_then(Value::as_str)
                    .ok_or_else(|| at("a case without `id`".into()))?;
                let key = format!("{suite}/{id}");
                unused_skips.remove(&key);
                cases.push(Case {
                    id,
                    case,
                    skip: skips.get(&key).map(String::as_str),
                });
            }
            let tests_doc = format!(
                " The cases of group {i} of `{file}` ({description}), one function and one test each; skipped cases (`{}`) are ignored.",
                spec.skip_list
            );
            let mut emitted = emit::emit_all(&ctx, &sources).map_err(|e| at(e.to_string()))?;
            let is_output = cases.iter().any(|c| c.case.get("response").is_some());
            if is_output {
                emitted.push(("dump.rs".to_owned(), emit::emit_dump(&ctx)));
            }
            emitted.push((
                "tests.rs".to_owned(),
                emit::emit_cases(&ctx, &tests_doc, &cases, endpoint).map_err(|e| at(e.to_string()))?,
            ));

            let doc = module_doc(&[
                format!("Group {i} of `{file}`: {description}."),
                String::new(),
                "The group's model, generated like a service crate; `tests` holds one function and one test per case."
                    .to_owned(),
            ]);
            let (_, root) = emitted.remove(0);
            // `tests` (and `dump`, which it uses) are public: the summary target runs the cases' functions.
            let dump = is_output.then(|| {
                quote!(
                    pub mod dump;
                )
            });
            let mod_rs = quote! {
                #doc
                #root
                #dump
                pub mod tests;
            };
            emitted.push((names::ROOT_MODULE_FILE.to_owned(), mod_rs));
            for (name, tokens) in emitted {
                let text = crate::render(tokens, &header).map_err(|e| at(format!("{name}: {e}")))?;
                files.push((src.join(&module).join(name), text));
            }
            let module_ident = format_ident!("{module}");
            let suite_name = suite.as_str();
            let number = proc_macro2::Literal::usize_unsuffixed(i);
            registry.push(quote!((#suite_name, #number, #module_ident::tests::CASES)));
            modules.push(module_ident);
        }
    }
    if let Some(case) = unused_skips.into_iter().next() {
        return Err(format!("{}: {case} is not a case of any suite", spec.skip_list));
    }
    let suites: Vec<String> = spec.suites.values().map(|f| format!("`{f}`")).collect();
    let doc = module_doc(&[
        format!(
            "botocore's protocol suites {}, one module per group.",
            suites.join(" and ")
        ),
        String::new(),
        "Generated by `cargo xtask codegen` from the suites and `model/codegen.json`'s `conformance` entry.".to_owned(),
    ]);
    let suites_mod = quote! {
        #doc
        #(pub mod #modules;)*
        /// Every group's cases: `(suite, group number, cases)`, for the `summary` target.
        pub const GROUPS: &[(&str, usize, &[crate::harness::Case])] = &[#(#registry),*];
    };
    // The header names every suite: "from a (sha256 …) and b (sha256 …)".
    let (last, first) = sources_read
        .split_last()
        .ok_or("model/codegen.json: conformance has no suites")?;
    let mut named: Vec<String> = first.iter().map(|(f, h)| format!("{f} (sha256 {h})")).collect();
    named.push(last.0.to_string());
    let header = header(&named.join(" and "), &last.1);
    files.push((src.join("mod.rs"), crate::render(suites_mod, &header)?));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_lists_name_suite_case_and_reason() {
        let skips = parse_skip_list("# comment\n\ninput/Foo: needs a thing\n output/Bar_1: why: because \n").unwrap();
        assert_eq!(skips["input/Foo"], "needs a thing");
        assert_eq!(skips["output/Bar_1"], "why: because");
        assert!(parse_skip_list("Foo: no suite").is_err());
        assert!(parse_skip_list("input/Foo:").is_err());
        assert!(parse_skip_list("input/Foo: a\ninput/Foo: b").is_err());
    }
}
