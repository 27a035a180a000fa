//! Runs every case of each protocol suite that is not skipped, and prints how many passed, failed and were
//! skipped. A test target without the libtest harness, so that its output is always shown; cargo runs it after
//! the library's tests (the same cases, one `#[test]` each).
//!
//! The counts are outcomes: each case is run here (the generated `suites::GROUPS`), a case that panics counts as
//! failed and fails this target, whatever the earlier tests did (under `--no-fail-fast` they may have failed too).
//! The case lists come from the suites named in `model/codegen.json` and the skip list, read with the generator's
//! own plan and skip-list parsers; every case must have its generated function and every skip entry must name a
//! case, skipped there, so a stale generation or skip list cannot make the counts lie.

use codegen::conformance::parse_skip_list;
use codegen::plan::Plan;
use protocol_conformance::harness::{run_cases, Case};
use protocol_conformance::suites::GROUPS;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn json(path: &Path) -> Result<Value, String> {
    serde_json::from_str(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

const STALE: &str = "run `cargo xtask codegen`";

/// The generated cases of every suite, checked against the suite files and the skip list.
fn cases() -> Result<Vec<(String, Vec<Case>)>, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let plan = Plan::load(&root)?;
    let spec = plan.conformance.ok_or("model/codegen.json has no conformance entry")?;
    let skip_list = root.join(&spec.skip_list);
    let mut skips = parse_skip_list(&read(&skip_list)?).map_err(|e| format!("{}: {e}", skip_list.display()))?;
    let mut suites = Vec::new();
    for (suite, file) in &spec.suites {
        let groups = json(&root.join(file))?;
        let groups = groups.as_array().ok_or(format!("{file} is not a list of groups"))?;
        let mut cases = Vec::new();
        for (i, group) in groups.iter().enumerate() {
            let generated = GROUPS
                .iter()
                .find(|(s, n, _)| s == suite && *n == i)
                .map(|(_, _, cases)| *cases)
                .ok_or(format!("{file}: group {i} has no generated cases; {STALE}"))?;
            let ids: Vec<&str> = group
                .get("cases")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|case| case.get("id").and_then(Value::as_str))
                .collect::<Option<_>>()
                .ok_or(format!("{file}: a case without id"))?;
            let generated_ids: Vec<&str> = generated.iter().map(|c| c.id).collect();
            if ids != generated_ids {
                return Err(format!(
                    "{file}: group {i}'s generated cases are not the suite's; {STALE}"
                ));
            }
            for case in generated {
                if skips.remove(&format!("{suite}/{}", case.id)).as_deref() != case.skip {
                    return Err(format!(
                        "{}: {suite}/{} is skipped differently; {STALE}",
                        spec.skip_list, case.id
                    ));
                }
            }
            cases.extend_from_slice(generated);
        }
        suites.push((suite.clone(), cases));
    }
    if let Some(case) = skips.keys().next() {
        return Err(format!(
            "{} names {case}, which is not a case of any suite",
            spec.skip_list
        ));
    }
    Ok(suites)
}

fn main() -> ExitCode {
    let suites = match cases() {
        Ok(suites) => suites,
        Err(e) => {
            eprintln!("protocol conformance summary: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut lines = Vec::new();
    let mut failed = 0;
    for (suite, cases) in &suites {
        let tally = run_cases(cases);
        lines.push(format!(
            "{suite} suite: {} passed, {} failed, {} skipped",
            tally.passed.len(),
            tally.failed.len(),
            tally.skipped.len()
        ));
        lines.extend(
            tally
                .failed
                .iter()
                .map(|(id, why)| format!("  FAILED {suite}/{id}: {why}")),
        );
        lines.extend(
            tally
                .skipped
                .iter()
                .map(|(id, why)| format!("  skipped {suite}/{id}: {why}")),
        );
        failed += tally.failed.len();
    }
    println!("\nbotocore protocol conformance (every case run again here, each counted by its outcome):");
    for line in lines {
        println!("{line}");
    }
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
