//! A proxy-free reqwest transport, for the tests that talk to the `test-support` loopback server.

#![allow(dead_code)] // each test binary uses a different subset

use lean_aws_runtime::transport::{ReqwestTransport, Transport};
use std::sync::Arc;

/// A real reqwest transport that ignores any proxy settings of the machine.
pub fn reqwest_transport() -> Arc<dyn Transport> {
    Arc::new(ReqwestTransport::with_builder(reqwest::Client::builder().no_proxy()).expect("reqwest transport"))
}
