//! The generator against the whole EMR model: freshness, patterns, names, and all 65 operations compiling.

use codegen::emit::{emit_all, Ctx, Selection, ServiceSources};
use codegen::ir::{self, Kind};
use codegen::{names, patterns, project};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn emr() -> ir::Service {
    let model = project::read_json(&root().join("model/emr/2009-03-31/service-2.json")).unwrap();
    ir::load(&model).unwrap()
}

#[test]
fn checked_in_code_is_fresh() {
    let root = root();
    let files = project::generate_all(&root).unwrap();
    let drift = codegen::output::check(&root, &files);
    assert!(drift.is_empty(), "{drift}");
}

#[test]
fn leftover_generated_files_are_detected() {
    let dir = std::env::temp_dir().join(format!("codegen-leftover-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("src/old.rs"), format!("{}\n", project::HEADER_MARK)).unwrap();
    std::fs::write(dir.join("src/lib.rs"), "// hand-written\n").unwrap();
    let files = vec![(PathBuf::from("src/new.rs"), "x".to_owned())];
    let drift = codegen::output::check(&dir, &files);
    assert_eq!(drift.changed, vec![PathBuf::from("src/new.rs")]);
    assert_eq!(drift.leftover, vec![PathBuf::from("src/old.rs")]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn every_pattern_in_the_model_compiles() {
    let service = emr();
    let mut count = 0;
    for shape in service.shapes.values() {
        if let Kind::String { pattern: Some(p), .. } = &shape.kind {
            let rust = patterns::translate(p).unwrap_or_else(|e| panic!("{}: {e}", shape.name));
            regex::Regex::new(&rust).unwrap();
            count += 1;
        }
    }
    assert_eq!(count, 5, "the EMR model has five patterned shapes");
}

#[test]
fn generated_names_are_unique_across_the_whole_model() {
    let service = emr();
    let ctx = Ctx::new(&service, &Selection::default()).unwrap();
    assert_eq!(ctx.operations.len(), 65);
    let mut types = BTreeSet::new();
    let clash = |set: &mut BTreeSet<String>, name: String, what: &str| {
        assert!(set.insert(name.clone()), "{what}: {name} is generated twice");
    };
    for op in &ctx.operations {
        for name in [
            names::input_name(&op.name),
            names::output_name(&op.name),
            names::error_name(&op.name),
        ] {
            clash(&mut types, name, "operations module");
        }
        clash(&mut types, names::operation_name(&op.name), "operations module");
        clash(
            &mut types,
            format!("{}Builder", names::input_name(&op.name)),
            "operations module",
        );
    }
    let mut fns = BTreeSet::new();
    for shape in ctx.named_types() {
        clash(&mut types, ctx.type_ident(&shape.name).to_string(), "types module");
        if matches!(shape.kind, Kind::Structure { .. }) {
            clash(
                &mut types,
                names::builder_name(&ctx.type_ident(&shape.name).to_string()),
                "types module",
            );
        }
    }
    for shape in ctx.service.shapes.values() {
        for prefix in ["ser", "de", "validate"] {
            clash(&mut fns, names::fn_name(prefix, &shape.name), "helper functions");
        }
        clash(&mut fns, names::regex_static(&shape.name), "regex statics");
        match &shape.kind {
            Kind::Structure { members, exception } => {
                let mut fields = BTreeSet::new();
                for m in members {
                    clash(
                        &mut fields,
                        names::field_name(&m.name),
                        &format!("fields of {}", shape.name),
                    );
                }
                let reserved = if *exception { "meta" } else { "request_id" };
                assert!(
                    !fields.contains(reserved),
                    "{} has a member that clashes with `{reserved}`",
                    shape.name
                );
            }
            Kind::Union { members } => {
                let mut variants = BTreeSet::from(["Unknown".to_owned()]);
                for m in members {
                    clash(
                        &mut variants,
                        names::variant_name(&m.name),
                        &format!("variants of {}", shape.name),
                    );
                }
            }
            Kind::String { enum_values, .. } => {
                let mut variants = BTreeSet::from([names::UNKNOWN_VARIANT.to_owned()]);
                for v in enum_values {
                    clash(
                        &mut variants,
                        names::variant_name(v),
                        &format!("variants of {}", shape.name),
                    );
                }
            }
            _ => {}
        }
    }
    let mut methods = BTreeSet::new();
    for op in &ctx.operations {
        clash(&mut methods, names::method_name(&op.name), "client methods");
    }
}

/// Generates all 65 EMR operations into a temporary crate and compiles it against the real runtime.
#[test]
fn all_operations_generate_and_compile() {
    let root = root();
    let service = emr();
    let ctx = Ctx::new(&service, &Selection::default()).unwrap();
    let sources = ServiceSources {
        endpoint_rule_set: project::read_json(&root.join("model/emr/2009-03-31/endpoint-rule-set-1.json"))
            .unwrap()
            .to_string(),
        partitions: project::read_json(&root.join("model/partitions.json"))
            .unwrap()
            .to_string(),
    };
    let dir = root.join("target/all-operations-crate");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let mut modules = String::from("#![deny(warnings)]\n");
    for (name, tokens) in emit_all(&ctx, &sources).unwrap() {
        let text = codegen::render(tokens, "// all-operations test crate").unwrap();
        std::fs::write(dir.join("src").join(name), text).unwrap();
        let module = name.trim_end_matches(".rs");
        modules.push_str(&format!("pub mod {module};\n"));
    }
    std::fs::write(dir.join("src/lib.rs"), modules).unwrap();
    let runtime = root.join("runtime");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"all-operations\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\nlean-aws-runtime = {{ path = {:?} }}\n\n[workspace]\n",
            runtime.display().to_string()
        ),
    )
    .unwrap();
    // Same dependency versions as the workspace, and nothing fetched.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--offline", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/all-operations"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let ops = std::fs::read_to_string(dir.join("src/client.rs")).unwrap();
    assert_eq!(ops.matches("pub async fn ").count(), 65);
}
