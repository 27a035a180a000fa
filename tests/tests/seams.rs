//! Where the runtime is cut: the service side of awsJson is the emulator's (clients never compile it), and the
//! test crate depends only on what its tests use.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The keys of one `[table]` of a manifest, in the simple one-key-a-line form the workspace's manifests use.
fn table_keys(manifest: &str, table: &str) -> Vec<String> {
    let header = format!("[{table}]");
    manifest
        .lines()
        .skip_while(|l| l.trim() != header)
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with('['))
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, _)| k.trim().trim_end_matches(".workspace").to_owned())
        })
        .filter(|k| !k.is_empty() && !k.starts_with('#'))
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_client_runtime_has_no_server_side() {
    let manifest = fs::read_to_string(root().join("runtime/Cargo.toml")).unwrap();
    let features = table_keys(&manifest, "features");
    assert!(!features.is_empty(), "the runtime's [features] table was not found");
    assert!(!features.iter().any(|f| f == "server"), "{features:?}");
    let mut files = Vec::new();
    rust_files(&root().join("runtime/src"), &mut files);
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for server_only in [
            "decode_input",
            "ValidationException",
            "SerializationException",
            "check_enum",
        ] {
            assert!(!text.contains(server_only), "{}: {server_only}", file.display());
        }
    }
    // The emulator is where it lives, and nothing asks the runtime for a server feature.
    assert!(root().join("emulator/src/awsjson/mod.rs").exists());
    for crate_dir in ["generated", "emulator", "tests", "tests/conformance"] {
        let manifest = fs::read_to_string(root().join(crate_dir).join("Cargo.toml")).unwrap();
        let runtime_lines = manifest.lines().filter(|l| l.starts_with("lean-aws-runtime"));
        for line in runtime_lines {
            assert!(!line.contains("server"), "{crate_dir}/Cargo.toml: {line}");
        }
    }
}

#[test]
fn every_dev_dependency_of_the_test_crate_is_used() {
    let manifest = fs::read_to_string(root().join("tests/Cargo.toml")).unwrap();
    let mut sources = String::new();
    let mut files = Vec::new();
    rust_files(&root().join("tests/tests"), &mut files);
    rust_files(&root().join("tests/src"), &mut files);
    for file in files {
        sources.push_str(&fs::read_to_string(file).unwrap());
    }
    let deps = table_keys(&manifest, "dev-dependencies");
    assert!(deps.len() > 3, "{deps:?}");
    for dep in deps {
        let ident = dep.replace('-', "_");
        assert!(
            sources.contains(&format!("{ident}::")),
            "tests/Cargo.toml depends on {dep}, which no test uses"
        );
    }
}

/// Public structs of the runtime with public fields that stay constructible by struct expression, and why.
const EXHAUSTIVE: &[(&str, &str)] = &[
    ("UnhandledError", "generated error code builds it field by field"),
    ("ServiceMeta", "generated code declares it as a const"),
    ("RequestParts", "generated code builds it per operation"),
    ("Waiter", "generated code declares it as a const"),
    ("Acceptance", "generated waiters build it per acceptor"),
    (
        "RetryConfig",
        "users write `RetryConfig { max_attempts, ..Default::default() }`",
    ),
];

#[test]
fn public_structs_with_public_fields_are_non_exhaustive() {
    let mut files = Vec::new();
    rust_files(&root().join("runtime/src"), &mut files);
    let mut exhaustive = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(name) = line
                .strip_prefix("pub struct ")
                .and_then(|rest| rest.strip_suffix(" {"))
            else {
                continue;
            };
            let name = name.split('<').next().unwrap();
            let fields = lines[i + 1..].iter().take_while(|l| **l != "}");
            if !fields.into_iter().any(|l| l.starts_with("    pub ")) {
                continue;
            }
            let attributes = lines[..i]
                .iter()
                .rev()
                .take_while(|l| l.starts_with("#[") || l.starts_with("///"));
            if !attributes.into_iter().any(|l| *l == "#[non_exhaustive]") {
                exhaustive.push(name.to_owned());
            }
        }
    }
    exhaustive.sort();
    let mut allowed: Vec<String> = EXHAUSTIVE.iter().map(|(name, _)| (*name).to_owned()).collect();
    allowed.sort();
    assert_eq!(
        exhaustive, allowed,
        "mark new public structs with public fields #[non_exhaustive]"
    );
}

/// The runtime's test doubles, by file: each must sit in a `test_util! { .. }` block (compiled only with the
/// `test-util` feature).
const TEST_DOUBLES: &[(&str, &str)] = &[
    ("transport.rs", "InMemoryTransport"),
    ("clock.rs", "FixedClock"),
    ("clock.rs", "ManualClock"),
    ("time.rs", "RecordingSleep"),
    ("retry.rs", "FixedJitter"),
    ("invocation.rs", "SeededInvocationIds"),
];

/// The names of the `pub struct`s declared inside `test_util! { .. }` blocks of a source file.
fn gated_structs(text: &str) -> Vec<String> {
    let mut inside = false;
    let mut names = Vec::new();
    for line in text.lines() {
        match line {
            "test_util! {" => inside = true,
            "}" => inside = false,
            _ if inside => {
                if let Some(rest) = line.trim_start().strip_prefix("pub struct ") {
                    names.push(rest.split(['(', ' ', '<', ';']).next().unwrap().to_owned());
                }
            }
            _ => {}
        }
    }
    names
}

/// The features cargo turns on for `krate` when `of` is built for use (no dev-dependencies), as `cargo tree`
/// resolves them.
fn features_in_normal_build(of: &str, krate: &str) -> String {
    let output = std::process::Command::new(env!("CARGO"))
        .args(["tree", "--offline", "-e", "no-dev", "-f", "{p} [{f}]", "-p", of])
        .current_dir(root())
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let tree = String::from_utf8(output.stdout).unwrap();
    let line = tree
        .lines()
        .find(|l| l.contains(&format!("{krate} v")))
        .unwrap_or_else(|| panic!("{krate} is not in the tree of {of}:\n{tree}"));
    line.rsplit_once('[').unwrap().1.trim_end_matches(']').to_owned()
}

#[test]
fn the_test_doubles_are_not_in_a_normal_build() {
    for (file, name) in TEST_DOUBLES {
        let text = fs::read_to_string(root().join("runtime/src").join(file)).unwrap();
        assert!(text.contains(&format!("pub struct {name}")), "{name} is not in {file}");
        assert!(
            gated_structs(&text).iter().any(|n| n == name),
            "{file}: {name} is not inside `test_util! {{ .. }}`"
        );
    }
    let lib = fs::read_to_string(root().join("runtime/src/lib.rs")).unwrap();
    assert!(lib.contains(r#"#[cfg(any(test, feature = "test-util"))]"#));
    // Neither the runtime nor lean-emr turns the feature on by default or through a normal dependency; the tests
    // that use the doubles ask for it in their dev-dependencies.
    for of in ["lean-aws-runtime", "lean-emr"] {
        let features = features_in_normal_build(of, "lean-aws-runtime");
        assert!(
            !features.contains("test-util"),
            "{of} builds lean-aws-runtime with [{features}]"
        );
    }
    let features = features_in_normal_build("test-support", "lean-aws-runtime");
    assert!(features.contains("test-util"), "[{features}]");
}
