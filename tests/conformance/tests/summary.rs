//! Prints how many cases of each protocol suite pass and how many are skipped. A test target without the libtest
//! harness, so that its output is always shown; cargo runs it after the library's tests (one per case), and
//! stops before it if any of those failed.
//!
//! The counts come from the case lists (the suites named in `model/codegen.json`) and the skip list, read with the
//! generator's own plan and skip-list parsers and test names. The program also checks that every case has its generated
//! test and that every skip entry names a case, so a stale generation or skip list cannot make the counts lie.

use codegen::conformance::parse_skip_list;
use codegen::emit::test_name;
use codegen::plan::Plan;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn json(path: &Path) -> Result<Value, String> {
    serde_json::from_str(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

fn run() -> Result<Vec<String>, String> {
    let krate = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = krate.join("../..");
    let plan = Plan::load(&root)?;
    let spec = plan.conformance.ok_or("model/codegen.json has no conformance entry")?;
    let skip_list = root.join(&spec.skip_list);
    let mut skips = parse_skip_list(&read(&skip_list)?).map_err(|e| format!("{}: {e}", skip_list.display()))?;
    let mut lines = Vec::new();
    for (suite, file) in &spec.suites {
        let groups = json(&root.join(file))?;
        let groups = groups.as_array().ok_or(format!("{file} is not a list of groups"))?;
        let width = groups.len().saturating_sub(1).to_string().len().max(2);
        let (mut passed, mut skipped) = (0, Vec::new());
        for (i, group) in groups.iter().enumerate() {
            let tests_rs = krate.join(format!("src/suites/{suite}_{i:0width$}/tests.rs"));
            let tests = read(&tests_rs)?;
            for case in group.get("cases").and_then(Value::as_array).into_iter().flatten() {
                let id = case
                    .get("id")
                    .and_then(Value::as_str)
                    .ok_or(format!("{file}: a case without id"))?;
                if !tests.contains(&format!("async fn {}()", test_name(id))) {
                    return Err(format!(
                        "{}: no test for case {id}; run `cargo xtask codegen`",
                        tests_rs.display()
                    ));
                }
                match skips.remove(&format!("{suite}/{id}")) {
                    Some(reason) => skipped.push(format!("  skipped {suite}/{id}: {reason}")),
                    None => passed += 1,
                }
            }
        }
        lines.push(format!("{suite} suite: {passed} passed, {} skipped", skipped.len()));
        lines.extend(skipped);
    }
    if let Some(case) = skips.keys().next() {
        return Err(format!(
            "{} names {case}, which is not a case of any suite",
            spec.skip_list
        ));
    }
    Ok(lines)
}

fn main() -> ExitCode {
    match run() {
        Ok(lines) => {
            println!("\nbotocore protocol conformance (the tests above, one per case):");
            for line in lines {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("protocol conformance summary: {e}");
            ExitCode::FAILURE
        }
    }
}
