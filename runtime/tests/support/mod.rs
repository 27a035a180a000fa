//! Shared test helpers: a proxy-free reqwest transport (for the `loopback` server) and self-removing temp files.

#![allow(dead_code)] // each test binary uses a different subset

use lean_aws_runtime::transport::{ReqwestTransport, Transport};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A real reqwest transport that ignores any proxy settings of the machine.
pub fn reqwest_transport() -> Arc<dyn Transport> {
    Arc::new(ReqwestTransport::with_builder(reqwest::Client::builder().no_proxy()).expect("reqwest transport"))
}

/// A file in the temp directory, removed on drop.
pub struct TempFile(PathBuf);

impl TempFile {
    pub fn new(contents: &str) -> TempFile {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("lean-aws-test-{}-{n}", std::process::id()));
        std::fs::write(&path, contents).expect("write temp file");
        TempFile(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn path_str(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A path that does not exist.
pub fn missing_path() -> String {
    std::env::temp_dir()
        .join(format!("lean-aws-test-missing-{}", std::process::id()))
        .display()
        .to_string()
}
