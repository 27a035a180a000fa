//! Writing generated files, and checking that what is checked in is what the generator makes now.

use crate::project::HEADER_MARK;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// What differs between the generator's output and the files on disk.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Files whose contents differ, or that are missing.
    pub changed: Vec<PathBuf>,
    /// Generated files on disk that nothing generates any more.
    pub leftover: Vec<PathBuf>,
}

impl Drift {
    /// Whether the checked-in files are fresh.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.leftover.is_empty()
    }
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for p in &self.changed {
            writeln!(f, "out of date: {}", p.display())?;
        }
        for p in &self.leftover {
            writeln!(f, "no longer generated: {}", p.display())?;
        }
        write!(f, "run `cargo xtask codegen` and commit the result")
    }
}

/// Generated files (by their header) in the folders that `files` live in.
fn generated_on_disk(root: &Path, files: &[(PathBuf, String)]) -> BTreeSet<PathBuf> {
    let dirs: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|(p, _)| p.parent().map(Path::to_path_buf))
        .collect();
    let mut found = BTreeSet::new();
    for dir in dirs {
        let Ok(entries) = fs::read_dir(root.join(&dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let is_generated = path.extension().is_some_and(|e| e == "rs")
                && fs::read_to_string(&path).is_ok_and(|t| t.starts_with(HEADER_MARK));
            if is_generated {
                found.insert(dir.join(entry.file_name()));
            }
        }
    }
    found
}

/// Compares `files` with the disk under `root`.
pub fn check(root: &Path, files: &[(PathBuf, String)]) -> Drift {
    let mut drift = Drift::default();
    for (path, text) in files {
        if fs::read_to_string(root.join(path)).ok().as_deref() != Some(text.as_str()) {
            drift.changed.push(path.clone());
        }
    }
    let expected: BTreeSet<&PathBuf> = files.iter().map(|(p, _)| p).collect();
    drift.leftover = generated_on_disk(root, files)
        .into_iter()
        .filter(|p| !expected.contains(p))
        .collect();
    drift
}

/// Writes `files` under `root`, removes generated leftovers, and returns what changed.
pub fn write(root: &Path, files: &[(PathBuf, String)]) -> std::io::Result<Drift> {
    let drift = check(root, files);
    for path in &drift.changed {
        let text = &files
            .iter()
            .find(|(p, _)| p == path)
            .expect("changed files come from `files`")
            .1;
        let full = root.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(full, text)?;
    }
    for path in &drift.leftover {
        fs::remove_file(root.join(path))?;
    }
    Ok(drift)
}
