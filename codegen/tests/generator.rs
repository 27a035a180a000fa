//! The generator against the whole EMR model: freshness, patterns, names. (All 65 operations compile as the
//! checked-in `lean-emr` crate, whose generated tests call each of them.)

use codegen::emit::{Ctx, Selection};
use codegen::ir::{self, Kind};
use codegen::{names, patterns, project, provenance};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn emr() -> ir::Service {
    let model = provenance::read_json(&root().join("model/emr/2009-03-31/service-2.json")).unwrap();
    ir::load(&model).unwrap()
}

#[test]
fn checked_in_code_is_fresh() {
    let root = root();
    let files = project::generate_all(&root).unwrap();
    let drift = codegen::output::check(&root, &files);
    assert!(drift.is_empty(), "{drift}");
}

/// The paths `.gitattributes` marks `linguist-generated=true`: exact paths and `folder/**`.
fn marked_generated(root: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(root.join(".gitattributes")).unwrap();
    let mut patterns = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (pattern, attributes) = line.split_once(' ').unwrap();
        assert_eq!(attributes.trim(), "linguist-generated=true", "{line}");
        let plain = pattern.strip_suffix("/**").unwrap_or(pattern);
        assert!(
            !plain.contains(['*', '?', '[', '!']),
            "{line}: only exact paths and `folder/**`"
        );
        patterns.push(pattern.to_owned());
    }
    patterns
}

fn is_marked(patterns: &[String], path: &str) -> bool {
    patterns.iter().any(|p| match p.strip_suffix("/**") {
        Some(folder) => path.starts_with(&format!("{folder}/")),
        None => p == path,
    })
}

#[test]
fn gitattributes_marks_every_generated_file_and_no_hand_written_one() {
    let root = root();
    let patterns = marked_generated(&root);
    let mut generated = Vec::new();
    for (path, text) in project::generate_all(&root).unwrap() {
        // A file the generator writes only a part of (a manifest's `[features]`) stays hand-written.
        if text.starts_with(provenance::HEADER_MARK) {
            let path = path.to_string_lossy().replace('\\', "/");
            assert!(
                is_marked(&patterns, &path),
                "{path} is generated: mark it in .gitattributes"
            );
            generated.push(path);
        }
    }
    for folder in ["codegen", "emulator", "generated", "runtime", "tests", "xtask"] {
        let mut on_disk = Vec::new();
        all_files(&root, Path::new(folder), &mut on_disk);
        let headed = on_disk.into_iter().filter(|path| {
            std::fs::read_to_string(root.join(path)).is_ok_and(|t| t.starts_with(provenance::HEADER_MARK))
        });
        for path in headed {
            assert!(
                generated.contains(&path),
                "{path} has the generated header but the generator does not write it"
            );
        }
    }
    for pattern in &patterns {
        let covered = generated.iter().any(|g| is_marked(std::slice::from_ref(pattern), g));
        assert!(covered, ".gitattributes marks {pattern}, which holds no generated file");
        if let Some(folder) = pattern.strip_suffix("/**") {
            let mut all = Vec::new();
            all_files(&root, Path::new(folder), &mut all);
            for path in all {
                assert!(
                    generated.contains(&path),
                    "{path} is hand-written but .gitattributes marks it generated"
                );
            }
        }
    }
}

/// Every file in a folder, recursively (relative paths with `/`).
fn all_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(root.join(dir)).unwrap() {
        let path = dir.join(entry.unwrap().file_name());
        if root.join(&path).is_dir() {
            all_files(root, &path, out);
        } else {
            out.push(path.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn leftover_generated_files_are_detected() {
    let dir = std::env::temp_dir().join(format!("codegen-leftover-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("src/old.rs"), format!("{}\n", provenance::HEADER_MARK)).unwrap();
    std::fs::write(dir.join("src/lib.rs"), "// hand-written\n").unwrap();
    let files = vec![(PathBuf::from("src/new.rs"), "x".to_owned())];
    let drift = codegen::output::check(&dir, &files);
    assert_eq!(drift.changed, vec![PathBuf::from("src/new.rs")]);
    assert_eq!(drift.leftover, vec![PathBuf::from("src/old.rs")]);
    std::fs::remove_dir_all(dir).unwrap();
}

/// Accepted and rejected values for every distinct pattern of the model, checked both ways a validator may check
/// (the translated regex, and the character ranges of a one-class pattern). A new pattern in a model update fails
/// here until it has samples.
const PATTERN_SAMPLES: &[(&str, &[&str], &[&str])] = &[
    (
        r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*",
        &[
            "",
            "es-0123456789ABCDEFGHIJKLMNO",
            "tab\tnew\nline\r",
            "emoji 😀 and €",
            "\u{D7FF}\u{E000}\u{FFFD}",
        ],
        &["\u{1}", "bad\u{1}middle", "\u{FFFE}", "end\u{1F}"],
    ),
    (
        r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDBFF-\uDC00\uDFFF\r\n\t]*",
        &["", "s3://bucket/key", "😀", "\u{10FFFF}"],
        &["\u{0}", "s3://bucket/\u{7}", "\u{FFFF}"],
    ),
    (
        r"^arn:(aws[a-zA-Z0-9-]*):iam::(\d{12})?:(role((\u002F)|(\u002F[\u0021-\u007F]+\u002F))[\w+=,.@-]+)$",
        &[
            "arn:aws:iam::123456789012:role/EMRStudio_Session-Policy",
            "arn:aws-cn:iam::123456789012:role/path/to/MyRole",
            "arn:aws:iam:::role/R",
        ],
        &[
            "arn:aws:iam::123456789012:role/Rolé",
            "arn:aws:iam::１２３４５６７８９０１２:role/R",
            "arn:aws:iam::123456789012:user/R",
            "xarn:aws:iam::123456789012:role/R",
            "arn:aws:iam::123456789012:role/R ",
        ],
    ),
];

#[test]
fn every_pattern_in_the_model_has_samples_and_means_what_it_says() {
    let service = emr();
    let mut distinct = BTreeSet::new();
    for shape in service.shapes.values() {
        if let Kind::String { pattern: Some(p), .. } = &shape.kind {
            distinct.insert(p.clone());
        }
    }
    for p in &distinct {
        let (_, accepted, rejected) = PATTERN_SAMPLES
            .iter()
            .find(|(q, _, _)| q == p)
            .unwrap_or_else(|| panic!("pattern {p} has no samples in PATTERN_SAMPLES"));
        let rust = patterns::translate(p).unwrap_or_else(|e| panic!("{p}: {e}"));
        let re = regex_lite::Regex::new(&rust).unwrap();
        let ranges = patterns::simple_class(p);
        for (value, want) in accepted
            .iter()
            .map(|v| (v, true))
            .chain(rejected.iter().map(|v| (v, false)))
        {
            assert_eq!(re.is_match(value), want, "{p} on {value:?} (regex)");
            if let Some(ranges) = &ranges {
                let by_ranges = value
                    .chars()
                    .all(|c| ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&(c as u32))));
                assert_eq!(by_ranges, want, "{p} on {value:?} (character ranges)");
            }
        }
    }
    assert_eq!(distinct.len(), 3, "the EMR model has three distinct patterns");
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
    let mut methods = BTreeSet::from(["new".to_owned(), "from_env".to_owned(), "runtime".to_owned()]);
    let mut features = BTreeSet::from([names::FULL_FEATURE.to_owned(), "default".to_owned()]);
    let mut modules = BTreeSet::new();
    for op in &ctx.operations {
        clash(&mut methods, names::method_name(&op.name), "client methods");
        clash(&mut methods, names::paginator_method_name(&op.name), "client methods");
        clash(&mut features, names::feature_name(&op.name), "features");
        clash(&mut modules, names::module_name(&op.name), "operation modules");
    }
    let waiters =
        ir::load_waiters(&provenance::read_json(&root().join("model/emr/2009-03-31/waiters-2.json")).unwrap());
    for waiter in waiters.unwrap().keys() {
        clash(&mut methods, names::waiter_method_name(waiter), "client methods");
    }
    let mut groups = BTreeSet::from([
        names::ERRORS_MODULE.to_owned(),
        names::ENUMS_MODULE.to_owned(),
        names::COMMON_MODULE.to_owned(),
    ]);
    for home in ctx.homes.values().collect::<BTreeSet<_>>() {
        if let codegen::emit::layout::Home::Group(module) = home {
            if ![names::ERRORS_MODULE, names::ENUMS_MODULE, names::COMMON_MODULE].contains(&module.as_str()) {
                clash(&mut groups, module.clone(), "types modules");
            }
        }
    }
}
