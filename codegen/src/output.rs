//! Writing generated files, and checking that what is checked in is what the generator makes now.

use crate::provenance::HEADER_MARK;
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

/// Generated files (by their header) in `dir` and the folders below it.
fn scan(root: &Path, dir: &Path, found: &mut BTreeSet<PathBuf>) {
    let Ok(entries) = fs::read_dir(root.join(dir)) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let relative = dir.join(entry.file_name());
        // `file_type` does not follow symbolic links, so a link cannot send the walk round in circles.
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            scan(root, &relative, found);
        } else if path.extension().is_some_and(|e| e == "rs")
            && fs::read_to_string(&path).is_ok_and(|t| t.starts_with(HEADER_MARK))
        {
            found.insert(relative);
        }
    }
}

/// Generated files (by their header) in the folders that `files` live in, and below them: a module folder that
/// nothing generates any more (a suite group that went away) is found too.
fn generated_on_disk(root: &Path, files: &[(PathBuf, String)]) -> BTreeSet<PathBuf> {
    let dirs: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|(p, _)| p.parent().map(Path::to_path_buf))
        .collect();
    let mut found = BTreeSet::new();
    for dir in &dirs {
        // A folder below another one in the set is scanned with it.
        if !dirs.iter().any(|d| d != dir && dir.starts_with(d)) {
            scan(root, dir, &mut found);
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
        // Drop the folder too once it is empty (a module that went away); a folder with anything left stays.
        if let Some(parent) = root.join(path).parent() {
            let _ = fs::remove_dir(parent);
        }
    }
    Ok(drift)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder under the system's temporary folder, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> Self {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let dir = std::env::temp_dir().join(format!("codegen-{name}-{}-{nanos}", std::process::id()));
            fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn generated(text: &str) -> String {
        format!("{HEADER_MARK} from x.\n{text}")
    }

    #[test]
    fn leftovers_are_found_in_folders_below_and_removed_with_their_folder() {
        let tmp = TempDir::new("leftovers");
        let root = &tmp.0;
        let suites = PathBuf::from("crate/src/suites");
        let files = vec![
            (suites.join("mod.rs"), generated("pub mod a_00;")),
            (suites.join("a_00/mod.rs"), generated("")),
        ];
        assert_eq!(
            write(root, &files).unwrap().changed,
            vec![suites.join("mod.rs"), suites.join("a_00/mod.rs")]
        );
        // A group that nothing generates any more, and a hand-written file that must stay.
        fs::create_dir_all(root.join(&suites).join("a_01")).unwrap();
        fs::write(root.join(&suites).join("a_01/tests.rs"), generated("")).unwrap();
        fs::write(root.join(&suites).join("notes.rs"), "// hand-written\n").unwrap();
        let drift = check(root, &files);
        assert_eq!(drift.leftover, vec![suites.join("a_01/tests.rs")]);
        assert!(drift.changed.is_empty());
        write(root, &files).unwrap();
        assert!(!root.join(&suites).join("a_01").exists());
        assert!(root.join(&suites).join("notes.rs").exists());
        assert!(check(root, &files).is_empty());
    }
}
