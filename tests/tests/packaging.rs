//! The published crates hold what a user needs and nothing else, within crates.io's limits.
//!
//! `cargo package --list` is asked for each publishable crate of the workspace (no build, no network); `.ci/run`
//! also builds and verifies the two packages together with `cargo package`, and checks their size.

use std::path::Path;
use std::process::Command;

/// crates.io refuses a crate with more features than this.
const CRATES_IO_FEATURE_LIMIT: usize = 300;

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn package_list(krate: &str) -> Vec<String> {
    let output = Command::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "--offline", "-p", krate])
        .current_dir(workspace())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo package --list -p {krate} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Cargo's own files, which every package has.
fn cargo_file(file: &str) -> bool {
    matches!(
        file,
        "Cargo.toml" | "Cargo.toml.orig" | "Cargo.lock" | ".cargo_vcs_info.json"
    )
}

fn check_files(krate: &str, dirs: &[&str], files: &[&str]) {
    let listed = package_list(krate);
    let stray: Vec<&String> = listed
        .iter()
        .filter(|f| {
            !cargo_file(f)
                && !files.contains(&f.as_str())
                && !dirs
                    .iter()
                    .any(|d| f.starts_with(&format!("{d}/")) && f.ends_with(".rs"))
        })
        .collect();
    assert!(
        stray.is_empty(),
        "{krate} would publish files users do not need: {stray:?}"
    );
    for file in files {
        assert!(listed.iter().any(|f| f == file), "{krate} lacks {file}: {listed:?}");
    }
    assert!(listed.iter().any(|f| f == "src/lib.rs"), "{krate} lacks src/lib.rs");
}

#[test]
fn lean_emr_publishes_its_source_examples_licence_and_notice() {
    check_files("lean-emr", &["src", "examples"], &["README.md", "LICENSE", "NOTICE"]);
}

#[test]
fn lean_aws_runtime_publishes_its_source_and_licence() {
    check_files("lean-aws-runtime", &["src"], &["README.md", "LICENSE"]);
}

#[test]
fn publishable_crates_have_metadata_and_versioned_path_dependencies() {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--no-deps", "--format-version", "1", "--offline"])
        .current_dir(workspace())
        .output()
        .expect("cargo runs");
    assert!(output.status.success());
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    let publishable: Vec<&serde_json::Value> = packages
        .iter()
        .filter(|p| p["publish"].as_array().is_none_or(|r| !r.is_empty()))
        .collect();
    let names: Vec<&str> = publishable.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2, "publishable crates: {names:?}");
    for package in publishable {
        let name = package["name"].as_str().unwrap();
        for field in ["description", "license", "readme", "documentation", "rust_version"] {
            assert!(
                package[field].as_str().is_some_and(|v| !v.is_empty()),
                "{name} has no {field}"
            );
        }
        for field in ["keywords", "categories"] {
            assert!(
                package[field].as_array().is_some_and(|v| !v.is_empty()),
                "{name} has no {field}"
            );
        }
        for dep in package["dependencies"].as_array().unwrap() {
            if dep["path"].is_string() && dep["kind"].is_null() {
                assert_ne!(
                    dep["req"].as_str(),
                    Some("*"),
                    "{name}'s dependency {} has a path but no version requirement",
                    dep["name"]
                );
            }
        }
        let features = package["features"].as_object().unwrap().len();
        assert!(
            features <= CRATES_IO_FEATURE_LIMIT / 2,
            "{name} has {features} features; crates.io allows {CRATES_IO_FEATURE_LIMIT}, keep room to spare"
        );
        assert!(
            package["metadata"]["docs"]["rs"]["all-features"] == true,
            "{name} does not ask docs.rs to document every feature"
        );
    }
}
