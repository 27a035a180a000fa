//! The contract with generated code, and the only generic part of a call.
//!
//! A generated crate describes its service with a [`ServiceMeta`] static and each operation with an
//! [`Operation`]. For one call, [`Client::invoke`](crate::Client::invoke) uses the operation only at the two
//! ends: [`OperationRequest::new`] sends nothing, it just serializes the input (refusing values the wire format
//! cannot carry); and
//! [`parse_response`] turns the last response into the operation's output or error. Everything in between
//! (endpoint, headers, signing, attempts, retries, timeouts, tracing) is compiled once, for every operation.

use crate::endpoint::{EndpointError, Resolver};
use crate::error::{ErrorMetadata, RawResponse, ResponseError, SdkError, ServiceError};
use crate::protocol::json::{self, DecodeError, JsonWriter, Value};
use crate::transport::HttpResponse;
use crate::validate::{Validate, ValidationError};
use std::sync::OnceLock;

/// What a generated crate says about its service: one `static` per crate, which every [`Client`](crate::Client)
/// of that service points to.
#[derive(Debug)]
pub struct ServiceMeta {
    /// The model's `serviceId`, e.g. `EMR`.
    pub service_id: &'static str,
    /// The suffix of the service's endpoint variable, `AWS_ENDPOINT_URL_<suffix>`, e.g. `EMR`.
    pub env_suffix: &'static str,
    /// The SigV4 signing name, e.g. `elasticmapreduce`.
    pub signing_name: &'static str,
    /// The `X-Amz-Target` prefix, e.g. `ElasticMapReduce`.
    pub target_prefix: &'static str,
    /// The awsJson version: `1.0` or `1.1`.
    pub json_version: &'static str,
    /// The user agent: the generated crate's name and version, e.g. `lean-emr/0.1.0`.
    pub user_agent: &'static str,
    /// The endpoint rule set (`endpoint-rule-set-1.json` text).
    pub endpoint_rule_set: &'static str,
    /// The partitions (`partitions.json` text).
    pub partitions: &'static str,
    /// The resolver built from the two texts above, on first use, then shared by every client.
    pub resolver: OnceLock<Result<Resolver, EndpointError>>,
}

impl ServiceMeta {
    /// The endpoint resolver, built on first use and kept in the `resolver` field. An error means the
    /// rule set or the partitions do not parse: every client of the service reports it on its first call.
    pub fn resolver(&self) -> Result<&Resolver, EndpointError> {
        self.resolver
            .get_or_init(|| Resolver::new(self.endpoint_rule_set, self.partitions))
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// One operation of a service, as the generator describes it.
pub trait Operation: 'static {
    /// The operation name, e.g. `UpdateStudioSessionMapping`.
    const NAME: &'static str;
    /// The input type, `<Operation>Input`; its [`Validate`] impl runs before anything is serialized or sent.
    type Input: Validate + 'static;
    /// The output type, `<Operation>Output`.
    type Output: 'static;
    /// The operation's error enum: modelled errors plus a catch-all.
    type Error: 'static;

    /// Writes the input as the request body: a JSON object of the members that are set. A value the wire format
    /// cannot carry is recorded in `out` and fails the call with [`SdkError::Validation`].
    fn serialize(input: &Self::Input, out: &mut JsonWriter);
    /// Reads a success response body, already parsed as a JSON object (an empty body reads as `{}`), and keeps
    /// `request_id` (`x-amzn-RequestId`) in the output. An error becomes [`SdkError::ResponseError`].
    fn deserialize_output(body: &Value, request_id: Option<String>) -> Result<Self::Output, DecodeError>;
    /// Reads an error response: a modelled error when the code is known, else the catch-all.
    fn deserialize_error(body: &Value, meta: ErrorMetadata) -> Self::Error;

    /// The encodings the operation accepts for a compressed request body (`requestcompression`), e.g. `["gzip"]`.
    const REQUEST_COMPRESSION: &'static [&'static str] = &[];

    /// The prefix for the endpoint's host name (the endpoint trait), with any `{label}` filled from `input`,
    /// e.g. `foo.bar.`.
    fn host_prefix(input: &Self::Input) -> Option<String> {
        let _ = input;
        None
    }
}

/// One operation's input, serialized: everything the call loop needs to know about the operation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationRequest {
    /// The operation name, e.g. `UpdateStudioSessionMapping`.
    pub name: &'static str,
    /// The uncompressed JSON body.
    pub body: Vec<u8>,
    /// The encodings the operation accepts for a compressed body, in model order.
    pub request_compression: &'static [&'static str],
    /// The host name prefix (the endpoint trait), already filled from the input.
    pub host_prefix: Option<String>,
}

impl OperationRequest {
    /// Operation `O`'s request for `input`, or, when a value cannot be written (a timestamp beyond its format's
    /// four-digit years), the violations naming each such member.
    pub fn new<O: Operation>(input: &O::Input) -> Result<Self, ValidationError> {
        let mut body = JsonWriter::new();
        O::serialize(input, &mut body);
        Ok(OperationRequest {
            name: O::NAME,
            body: body.finish_checked(<O::Input as Validate>::SHAPE)?,
            request_compression: O::REQUEST_COMPRESSION,
            host_prefix: O::host_prefix(input),
        })
    }
}

/// Turns a response into the operation's output (a 2xx) or error (anything else).
pub fn parse_response<O: Operation>(response: &HttpResponse) -> Result<O::Output, SdkError<O::Error>> {
    let request_id = json::request_id(response);
    if !(200..300).contains(&response.status) {
        let (meta, body) = json::error_metadata(response);
        let error = O::deserialize_error(&body, meta);
        return Err(SdkError::ServiceError(ServiceError::new(error, Some(response.clone()))));
    }
    let malformed = |e: DecodeError| {
        SdkError::ResponseError(ResponseError {
            message: e.to_string(),
            status: response.status,
            request_id: request_id.clone(),
            raw: Some(RawResponse::new(response.clone())),
        })
    };
    let body = json::parse_body(&response.body).map_err(malformed)?;
    if !body.is_object() {
        return Err(malformed(DecodeError::new("expected a JSON object")));
    }
    O::deserialize_output(&body, request_id.clone()).map_err(malformed)
}
