//! `cargo xtask update-model PATH`: refresh `model/` from a botocore wheel, sdist or unpacked folder that the
//! user downloaded (nothing is fetched here), then report what changed.

use crate::plan::Plan;
use crate::provenance::sha256_hex;
use flate2::read::GzDecoder;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::Path;

/// The files of a botocore distribution, by their path below `botocore/data/`.
fn read_distribution(source: &Path, wanted: &[String]) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut found = BTreeMap::new();
    let mut take = |name: &str, bytes: Vec<u8>| -> Result<(), String> {
        let Some((_, below)) = name.split_once("botocore/data/") else {
            return Ok(());
        };
        let (key, gz) = match below.strip_suffix(".gz") {
            Some(k) => (k, true),
            None => (below, false),
        };
        if !wanted.iter().any(|w| w == key) || found.contains_key(key) {
            return Ok(());
        }
        let bytes = if gz {
            let mut out = Vec::new();
            GzDecoder::new(&bytes[..])
                .read_to_end(&mut out)
                .map_err(|e| format!("{name}: {e}"))?;
            out
        } else {
            bytes
        };
        found.insert(key.to_owned(), bytes);
        Ok(())
    };
    let display = source.display();
    if source.is_dir() {
        walk(source, &mut |path| {
            let name = path.to_string_lossy().replace('\\', "/");
            if name.contains("botocore/data/") {
                let bytes = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
                take(&name, bytes)?;
            }
            Ok(())
        })?;
    } else {
        let file = fs::File::open(source).map_err(|e| format!("{display}: {e}"))?;
        let name = source.to_string_lossy();
        if name.ends_with(".whl") || name.ends_with(".zip") {
            let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("{display}: {e}"))?;
            for i in 0..zip.len() {
                let mut entry = zip.by_index(i).map_err(|e| format!("{display}: {e}"))?;
                let entry_name = entry.name().to_owned();
                if entry_name.contains("botocore/data/") {
                    let mut bytes = Vec::new();
                    entry
                        .read_to_end(&mut bytes)
                        .map_err(|e| format!("{display}: {entry_name}: {e}"))?;
                    take(&entry_name, bytes)?;
                }
            }
        } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
            let mut archive = tar::Archive::new(GzDecoder::new(file));
            for entry in archive.entries().map_err(|e| format!("{display}: {e}"))? {
                let mut entry = entry.map_err(|e| format!("{display}: {e}"))?;
                let entry_name = entry
                    .path()
                    .map_err(|e| format!("{display}: {e}"))?
                    .to_string_lossy()
                    .into_owned();
                if entry_name.contains("botocore/data/") {
                    let mut bytes = Vec::new();
                    entry
                        .read_to_end(&mut bytes)
                        .map_err(|e| format!("{display}: {entry_name}: {e}"))?;
                    take(&entry_name, bytes)?;
                }
            }
        } else {
            return Err(format!("{display}: expected a .whl, a .tar.gz or a folder"));
        }
    }
    Ok(found)
}

fn walk(dir: &Path, f: &mut dyn FnMut(&Path) -> Result<(), String>) -> Result<(), String> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, f)?;
        } else {
            f(&path)?;
        }
    }
    Ok(())
}

/// What changed between two models: operations and shapes added, removed or changed.
pub fn diff_models(old: &Value, new: &Value) -> String {
    let mut out = String::new();
    for section in ["operations", "shapes"] {
        let empty = serde_json::Map::new();
        let old = old.get(section).and_then(Value::as_object).unwrap_or(&empty);
        let new = new.get(section).and_then(Value::as_object).unwrap_or(&empty);
        let added: Vec<&String> = new.keys().filter(|k| !old.contains_key(*k)).collect();
        let removed: Vec<&String> = old.keys().filter(|k| !new.contains_key(*k)).collect();
        let changed: Vec<&String> = new
            .keys()
            .filter(|k| old.get(*k).is_some_and(|o| Some(o) != new.get(*k)))
            .collect();
        for (what, names) in [("added", added), ("removed", removed), ("changed", changed)] {
            let _ = writeln!(
                out,
                "{section} {what} ({}): {}",
                names.len(),
                names.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            );
        }
    }
    out
}

/// Replaces the model files from `source`; returns a report of what changed.
pub fn update_model(root: &Path, source: &Path) -> Result<String, String> {
    let mut wanted = vec!["partitions.json".to_owned()];
    let plan = Plan::load(root)?;
    for spec in &plan.crates {
        for file in [
            "service-2.json",
            "endpoint-rule-set-1.json",
            "paginators-1.json",
            "waiters-2.json",
        ] {
            wanted.push(format!("{}/{file}", spec.model));
        }
    }
    let found = read_distribution(source, &wanted)?;
    let missing: Vec<&String> = wanted.iter().filter(|w| !found.contains_key(*w)).collect();
    if !missing.is_empty() {
        return Err(format!(
            "{} does not contain: {}",
            source.display(),
            missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    let mut report = String::new();
    let sources_md = root.join("model/SOURCES.md");
    let mut notes = fs::read_to_string(&sources_md).unwrap_or_default();
    for (key, bytes) in &found {
        serde_json::from_slice::<Value>(bytes).map_err(|e| format!("{key}: not JSON: {e}"))?;
        let dest = root.join("model").join(key);
        let old = fs::read(&dest).unwrap_or_default();
        if key.ends_with("service-2.json") {
            let old_json: Value = serde_json::from_slice(&old).unwrap_or(Value::Null);
            let new_json: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
            let _ = writeln!(report, "{key}:");
            report.push_str(&diff_models(&old_json, &new_json));
        }
        if &old != bytes {
            let (old_hash, new_hash) = (sha256_hex(&old), sha256_hex(bytes));
            notes = notes.replace(&old_hash, &new_hash);
            let _ = writeln!(report, "updated model/{key} (sha256 {new_hash})");
            if let Some(parent) = dest.parent() {
                fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            fs::write(&dest, bytes).map_err(|e| format!("{}: {e}", dest.display()))?;
        }
    }
    fs::write(&sources_md, notes).map_err(|e| format!("{}: {e}", sources_md.display()))?;
    report.push_str("model/SOURCES.md hashes updated; record the botocore version and archive checksum there, then run `cargo xtask codegen`.\n");
    Ok(report)
}
