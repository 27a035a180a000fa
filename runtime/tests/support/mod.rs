//! A proxy-free real transport, for the tests that talk to the `test-support` loopback server.

#![allow(dead_code)] // each test binary uses a different subset

use lean_aws_runtime::transport::{HttpsTransport, Transport};
use std::sync::Arc;

/// A real [`HttpsTransport`] that ignores any proxy settings of the machine.
pub fn https_transport() -> Arc<dyn Transport> {
    Arc::new(HttpsTransport::builder().no_proxy().build().expect("https transport"))
}
