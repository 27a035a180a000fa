//! `cargo xtask update-model`: refresh model/ from a botocore folder, wheel or sdist, and report the changes.

use codegen::update::{diff_models, update_model};
use flate2::write::GzEncoder;
use serde_json::json;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("update-model-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// A repository with a tiny model: operations A and B, shapes S and T.
fn repo(test: &str) -> PathBuf {
    let root = scratch(&format!("repo-{test}"));
    let model = root.join("model/svc/2020-01-01");
    fs::create_dir_all(&model).unwrap();
    fs::write(
        root.join("model/codegen.json"),
        r#"{"crates":[{"dir":"generated","model":"svc/2020-01-01"}]}"#,
    )
    .unwrap();
    let old = json!({"metadata": {}, "operations": {"A": {"name": "A"}, "B": {"name": "B"}},
        "shapes": {"S": {"type": "string"}, "T": {"type": "integer"}}});
    fs::write(model.join("service-2.json"), old.to_string()).unwrap();
    for f in ["endpoint-rule-set-1.json", "paginators-1.json", "waiters-2.json"] {
        fs::write(model.join(f), "{}").unwrap();
    }
    fs::write(root.join("model/partitions.json"), "{}").unwrap();
    let old_hash = codegen::provenance::sha256_hex(old.to_string().as_bytes());
    fs::write(
        root.join("model/SOURCES.md"),
        format!("| service-2.json | {old_hash} |\n"),
    )
    .unwrap();
    root
}

/// The files of a newer botocore: A changed, B removed, C added; S removed, U added. Service and rule set are
/// gzipped, as in the wheel.
fn new_files() -> Vec<(String, Vec<u8>)> {
    let new = json!({"metadata": {}, "operations": {"A": {"name": "A", "deprecated": true}, "C": {"name": "C"}},
        "shapes": {"T": {"type": "integer"}, "U": {"type": "long"}}});
    let base = "botocore/data/svc/2020-01-01";
    vec![
        (format!("{base}/service-2.json.gz"), gzip(new.to_string().as_bytes())),
        (
            format!("{base}/endpoint-rule-set-1.json.gz"),
            gzip(br#"{"version":"1.3"}"#),
        ),
        (format!("{base}/paginators-1.json"), b"{}".to_vec()),
        (format!("{base}/waiters-2.json"), b"{}".to_vec()),
        (
            "botocore/data/partitions.json".to_owned(),
            b"{\"partitions\":[]}".to_vec(),
        ),
        (
            "botocore/data/other/2020-01-01/service-2.json".to_owned(),
            b"{}".to_vec(),
        ),
    ]
}

fn check(root: &Path, report: &str) {
    assert!(report.contains("operations added (1): C"), "{report}");
    assert!(report.contains("operations removed (1): B"), "{report}");
    assert!(report.contains("operations changed (1): A"), "{report}");
    assert!(report.contains("shapes added (1): U"), "{report}");
    assert!(report.contains("shapes removed (1): S"), "{report}");
    let service = fs::read_to_string(root.join("model/svc/2020-01-01/service-2.json")).unwrap();
    assert!(service.contains("\"C\""), "the new model was written, decompressed");
    let rules = fs::read_to_string(root.join("model/svc/2020-01-01/endpoint-rule-set-1.json")).unwrap();
    assert_eq!(rules, r#"{"version":"1.3"}"#);
    let notes = fs::read_to_string(root.join("model/SOURCES.md")).unwrap();
    assert!(
        notes.contains(&codegen::provenance::sha256_hex(service.as_bytes())),
        "SOURCES.md hash updated: {notes}"
    );
    assert!(!root.join("model/other").exists(), "only the planned service is copied");
}

#[test]
fn from_an_unpacked_folder() {
    let root = repo("from_an_unpacked_folder");
    let dist = scratch("folder");
    for (path, bytes) in new_files() {
        let full = dist.join("botocore-9.9.9").join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, bytes).unwrap();
    }
    let report = update_model(&root, &dist).unwrap();
    check(&root, &report);
}

#[test]
fn from_a_wheel() {
    let root = repo("from_a_wheel");
    let wheel = scratch("wheel").join("botocore-9.9.9-py3-none-any.whl");
    let mut zip = zip::ZipWriter::new(fs::File::create(&wheel).unwrap());
    for (path, bytes) in new_files() {
        zip.start_file(path, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap();
    check(&root, &update_model(&root, &wheel).unwrap());
}

#[test]
fn from_an_sdist() {
    let root = repo("from_an_sdist");
    let sdist = scratch("sdist").join("botocore-9.9.9.tar.gz");
    let mut tar = tar::Builder::new(GzEncoder::new(
        fs::File::create(&sdist).unwrap(),
        flate2::Compression::fast(),
    ));
    for (path, bytes) in new_files() {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, format!("botocore-9.9.9/{path}"), &bytes[..])
            .unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();
    check(&root, &update_model(&root, &sdist).unwrap());
}

#[test]
fn missing_files_are_named() {
    let root = repo("missing_files_are_named");
    let empty = scratch("empty");
    let err = update_model(&root, &empty).unwrap_err();
    assert!(err.contains("svc/2020-01-01/service-2.json"), "{err}");
    let unchanged = fs::read_to_string(root.join("model/svc/2020-01-01/service-2.json")).unwrap();
    assert!(unchanged.contains("\"B\""), "nothing is written when files are missing");
}

#[test]
fn identical_models_report_no_changes() {
    let m = json!({"operations": {"A": {}}, "shapes": {"S": {}}});
    let report = diff_models(&m, &m);
    assert!(
        report.contains("operations added (0)") && report.contains("shapes changed (0)"),
        "{report}"
    );
}
