//! Files and folders in the temp directory, named after the process so that parallel test binaries never meet,
//! and removed on drop.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A new path in the temp directory: `lean-aws-test-<what>-<pid>-<n>`.
fn fresh_path(what: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("lean-aws-test-{what}-{}-{n}", std::process::id()))
}

/// A file in the temp directory, removed on drop.
pub struct TempFile(PathBuf);

impl TempFile {
    /// A new file holding `contents`.
    pub fn new(contents: &str) -> TempFile {
        let path = fresh_path("file");
        std::fs::write(&path, contents).expect("write temp file");
        TempFile(path)
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Its path, as text.
    pub fn path_str(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// An empty folder in the temp directory, removed with everything in it on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new, empty folder.
    pub fn new() -> TempDir {
        let path = fresh_path("dir");
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Its path, as text.
    pub fn path_str(&self) -> String {
        self.0.display().to_string()
    }
}

impl Default for TempDir {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A path in the temp directory that does not exist.
pub fn missing_path() -> String {
    fresh_path("missing").display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_paths_are_removed_on_drop() {
        let file = TempFile::new("x");
        let dir = TempDir::new();
        std::fs::write(dir.path().join("inner"), "y").unwrap();
        let (file_path, dir_path) = (file.path().to_owned(), dir.path().to_owned());
        assert!(file_path.is_file() && dir_path.is_dir());
        drop((file, dir));
        assert!(!file_path.exists() && !dir_path.exists());
        assert!(!Path::new(&missing_path()).exists());
    }
}
