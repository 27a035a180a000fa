//! A proxy-free real transport, for the tests that talk to the `test-support` loopback server; an operation
//! without input or output, for the tests of the call loop.

#![allow(dead_code)] // each test binary uses a different subset

use lean_aws_runtime::protocol::json::{DecodeError, JsonWriter};
use lean_aws_runtime::transport::{HttpsTransport, Transport};
use lean_aws_runtime::validate::{Path, Validate, ValidationMode, Violation};
use lean_aws_runtime::{ErrorMetadata, Operation, ServiceMeta};
use serde_json::Value;
use std::sync::{Arc, OnceLock};

/// EMR's service description, as lean-emr generates it.
pub static SERVICE: ServiceMeta = ServiceMeta {
    service_id: "EMR",
    env_suffix: "EMR",
    signing_name: "elasticmapreduce",
    target_prefix: "ElasticMapReduce",
    json_version: "1.1",
    user_agent: "lean-emr/0.1.0",
    endpoint_rule_set: include_str!("../../../model/emr/2009-03-31/endpoint-rule-set-1.json"),
    partitions: include_str!("../../../model/partitions.json"),
    resolver: OnceLock::new(),
};

/// A real [`HttpsTransport`] that ignores any proxy settings of the machine.
pub fn https_transport() -> Arc<dyn Transport> {
    Arc::new(HttpsTransport::builder().no_proxy().build().expect("https transport"))
}

/// An input with no members.
pub struct Empty;

impl Validate for Empty {
    const SHAPE: &'static str = "Empty";
    fn validate_into(&self, _: &Path<'_>, _: ValidationMode, _: &mut Vec<Violation>) {}
}

/// An operation that sends `{}` and reads nothing; its error is the response's metadata.
pub struct ListClusters;

impl Operation for ListClusters {
    const NAME: &'static str = "ListClusters";
    type Input = Empty;
    type Output = ();
    type Error = ErrorMetadata;

    fn serialize(_: &Empty, _: &mut JsonWriter) {}
    fn deserialize_output(_: &Value, _: Option<String>) -> Result<(), DecodeError> {
        Ok(())
    }
    fn deserialize_error(_: &Value, meta: ErrorMetadata) -> ErrorMetadata {
        meta
    }
}
