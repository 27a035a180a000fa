//! The one error type every operation returns: [`SdkError`], generic over the operation's modelled errors.
//!
//! [`SdkError`] says at which step a call failed: before anything was sent (validation, config, endpoint), while
//! preparing an attempt (credentials, signing), on the way ([`SdkError::DispatchFailure`],
//! [`SdkError::TimeoutError`]), or in the answer: [`SdkError::ServiceError`] holds the operation's generated error
//! enum and the response, [`SdkError::ResponseError`] an answer that could not be read (the variants aws-sdk-rust
//! has keep its names). Each generated enum has a variant per modelled error and a catch-all holding an
//! [`UnhandledError`]; all of them expose the service's code, message, request id and status through
//! `aws-smithy-types`' [`ProvideErrorMetadata`] (an [`ErrorMetadata`]).
//! [`SdkError::into_service_error`] folds every other failure into that catch-all, for callers that want one type.
//!
//! Also here: [`BuildError`] (aws-smithy-types'), [`PaginationError`] (a repeated token), and
//! [`UnknownVariant`] / [`UnknownMember`], how generated enums and unions keep values this version does not know.
//! Every wrapper either shows its inner error in `Display` or returns it from `source()`, never both, so an
//! error-chain printer such as [`DisplayErrorContext`] shows each message once.

use crate::credentials::CredentialsError;
use crate::endpoint::EndpointError;
use crate::env_config::ConfigError;
use crate::transport::{HttpResponse, TransportError};
use crate::validate::ValidationError;
use std::fmt;

/// Shows an error with its chain of sources, one after the other (`aws-smithy-types`' own, as aws-sdk-rust
/// re-exports it).
pub use aws_smithy_types::error::display::DisplayErrorContext;

/// What the service said about a failed call, and what every error answers through [`ProvideErrorMetadata`]:
/// `aws-smithy-types`' own types, as aws-sdk-rust re-exports them, so that code generic over
/// `ProvideErrorMetadata` works with both. The request id and the HTTP status are kept among its extras, under
/// [`AWS_REQUEST_ID`] and [`HTTP_STATUS`] ([`RequestId`] and [`http_status`] read them); [`metadata`] makes one.
pub use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};

/// A builder could not build its value: `aws-smithy-types`' own, as aws-sdk-rust re-exports it. lean-emr's
/// input builders never return it (missing required members are validation errors, reported when the input is
/// sent); the crate-level `Error` converts it, as aws-sdk-emr's does.
pub use aws_smithy_types::error::operation::BuildError;

/// The key of the request id (`x-amzn-RequestId`) among an [`ErrorMetadata`]'s extras: aws-types' own key, so
/// that aws-sdk-rust's `RequestId` would read it too.
pub const AWS_REQUEST_ID: &str = "aws_request_id";

/// The key of the response's HTTP status code among an [`ErrorMetadata`]'s extras.
pub const HTTP_STATUS: &str = "http_status";

/// The metadata of an error: code, message, request id and, when there was a response, its HTTP status.
pub fn metadata(
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    status: Option<u16>,
) -> ErrorMetadata {
    let mut meta = ErrorMetadata::builder();
    if let Some(code) = code {
        meta = meta.code(code);
    }
    if let Some(message) = message {
        meta = meta.message(message);
    }
    if let Some(request_id) = request_id {
        meta = meta.custom(AWS_REQUEST_ID, request_id);
    }
    if let Some(status) = status {
        meta = meta.custom(HTTP_STATUS, status.to_string());
    }
    meta.build()
}

/// The HTTP status of the response an error came from; `None` when there was no response (a failure folded in by
/// [`SdkError::into_service_error`]).
pub fn http_status(meta: &ErrorMetadata) -> Option<u16> {
    meta.extra(HTTP_STATUS).and_then(|status| status.parse().ok())
}

/// Shows an error's metadata as every error of this crate does: `Code: message (HTTP 400, request id: ...)`.
pub fn fmt_metadata(error: &(impl ProvideErrorMetadata + ?Sized), f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let meta = error.meta();
    f.write_str(meta.code().unwrap_or("<no error code>"))?;
    if let Some(message) = meta.message() {
        write!(f, ": {message}")?;
    }
    f.write_str(" (")?;
    if let Some(status) = http_status(meta) {
        write!(f, "HTTP {status}, ")?;
    }
    write!(f, "request id: {})", meta.extra(AWS_REQUEST_ID).unwrap_or("<none>"))
}

/// A response kept with the error it caused: cheap to clone (shared). Its `Debug` shows the status and sizes,
/// never the headers' values or the body.
#[derive(Clone)]
pub struct RawResponse(std::sync::Arc<HttpResponse>);

impl RawResponse {
    /// Keeps `response`.
    pub fn new(response: HttpResponse) -> Self {
        RawResponse(std::sync::Arc::new(response))
    }

    /// The response: status, headers and body.
    pub fn http(&self) -> &HttpResponse {
        &self.0
    }
}

/// Equal when status, headers and body are.
impl PartialEq for RawResponse {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.http(), other.http());
        (a.status, &a.headers, &a.body) == (b.status, &b.headers, &b.body)
    }
}

impl Eq for RawResponse {}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.0.status)
            .field("headers", &self.0.headers.len())
            .field("body_bytes", &self.0.body.len())
            .finish()
    }
}

/// The request id of a call's answer (`x-amzn-RequestId`), from an output or an error: aws-sdk-rust's
/// `operation::RequestId`, so that code written against it reads the same.
pub trait RequestId {
    /// The request id, when the answer had one.
    fn request_id(&self) -> Option<&str>;
}

impl<E: ProvideErrorMetadata> RequestId for E {
    fn request_id(&self) -> Option<&str> {
        self.meta().extra(AWS_REQUEST_ID)
    }
}

impl ProvideErrorMetadata for UnhandledError {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

/// An error response the model does not describe (an unknown code, or a body that is not an AWS error at all, an
/// HTML page from a proxy, say), or, from [`SdkError::into_service_error`], a failure that is not the service's.
#[derive(Debug, Clone)]
pub struct UnhandledError {
    /// Code, message, request id, status (for a failure that is not the service's: its message only).
    pub meta: ErrorMetadata,
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
}

impl UnhandledError {
    /// The error the service answered with, as `meta` describes it.
    pub fn new(meta: ErrorMetadata) -> Self {
        UnhandledError { meta, source: None }
    }

    /// A failure that is not the service's answer (a transport error, say), kept as the source.
    pub fn from_source(meta: ErrorMetadata, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        UnhandledError {
            meta,
            source: Some(std::sync::Arc::new(source)),
        }
    }
}

/// Two unhandled errors are equal when the service said the same; a kept source is not compared.
impl PartialEq for UnhandledError {
    fn eq(&self, other: &Self) -> bool {
        self.meta == other.meta
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(source) => write!(f, "{source}"),
            None => fmt_metadata(&self.meta, f),
        }
    }
}

impl std::error::Error for UnhandledError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // `Display` shows the kept failure itself; its own cause comes next.
        self.source.as_ref().and_then(|s| s.source())
    }
}

/// How an operation's error enum takes a failure it does not model: every generated enum's `Unhandled`.
pub trait CreateUnhandledError {
    /// The enum's catch-all variant, holding `error`.
    fn create_unhandled_error(error: UnhandledError) -> Self;
}

/// A modelled error shape, decoded from an error response's body (generated for each one).
pub trait ModelledError: Sized {
    /// The shape's members from `body`, with the response's `meta`.
    fn decode(
        body: &crate::protocol::json::Value,
        meta: ErrorMetadata,
    ) -> Result<Self, crate::protocol::json::DecodeError>;
}

/// An operation's error for a response whose code names modelled error `T`: `T` decoded from `body` and wrapped by
/// `variant`; a body that does not decode as `T` makes the operation's catch-all instead, with the same metadata
/// (what generated `deserialize_error`s do for each modelled error).
pub fn decode_modelled<T: ModelledError, E: CreateUnhandledError>(
    body: &crate::protocol::json::Value,
    meta: ErrorMetadata,
    variant: fn(T) -> E,
) -> E {
    match T::decode(body, meta.clone()) {
        Ok(error) => variant(error),
        Err(_) => E::create_unhandled_error(UnhandledError::new(meta)),
    }
}

/// A response that could not be understood: malformed JSON, a wrong type, a missing required member.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseError {
    /// What was wrong, naming the member where there is one.
    pub message: String,
    /// The HTTP status code of the response that could not be read.
    pub status: u16,
    /// The `x-amzn-RequestId` header, if the response had one.
    pub request_id: Option<String>,
    /// The response that could not be read.
    pub raw: Option<RawResponse>,
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "malformed response: {} (HTTP {}, request id: {})",
            self.message,
            self.status,
            self.request_id.as_deref().unwrap_or("<none>")
        )
    }
}

impl std::error::Error for ResponseError {}

/// Why a call failed. `E` is the operation's own error enum (its modelled errors plus a catch-all).
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The input broke the model's constraints. Nothing was sent.
    Validation(ValidationError),
    /// The client is not set up (no region, say). Nothing was sent.
    Config(ConfigError),
    /// No endpoint could be resolved. Nothing was sent.
    Endpoint(EndpointError),
    /// No credentials could be had. Nothing was sent.
    Credentials(CredentialsError),
    /// The request could not be signed. Nothing was sent.
    Signing(String),
    /// The request did not get a response (aws-sdk-rust's name for this case).
    DispatchFailure(TransportError),
    /// The whole operation, retries included, took longer than the configured operation timeout.
    TimeoutError(std::time::Duration),
    /// The service answered with an error: the operation's error, with the response.
    ServiceError(ServiceError<E>),
    /// The service answered, but the answer could not be understood.
    ResponseError(ResponseError),
    /// A paginator received the same token twice in a row.
    Pagination(PaginationError),
    /// A blocking call could not be run (feature `blocking`). Nothing was sent.
    #[cfg(feature = "blocking")]
    Blocking(crate::blocking::BlockingError),
    /// A mocked client has no rule that answers the call (feature `test-util`). Nothing was sent.
    #[cfg(feature = "test-util")]
    Mock(crate::mock::NoRuleMatched),
}

/// The service's error and the response it came in: [`SdkError::ServiceError`] (aws-sdk-rust's form).
#[derive(Debug, Clone)]
pub struct ServiceError<E> {
    source: E,
    raw: Option<RawResponse>,
}

impl<E> ServiceError<E> {
    /// The operation's error `source`, answered in `raw` (`None` for an error a mock made).
    pub fn new(source: E, raw: Option<HttpResponse>) -> Self {
        ServiceError {
            source,
            raw: raw.map(RawResponse::new),
        }
    }

    /// The operation's error.
    pub fn err(&self) -> &E {
        &self.source
    }

    /// The operation's error, taken out.
    pub fn into_err(self) -> E {
        self.source
    }

    /// The response the error came in: status, headers and body (`None` for an error a mock made).
    pub fn raw(&self) -> Option<&HttpResponse> {
        self.raw.as_ref().map(RawResponse::http)
    }
}

/// Shows the operation's error.
impl<E: fmt::Display> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.source.fmt(f)
    }
}

/// `Display` already shows the operation's error, so the source is that error's own cause.
impl<E: std::error::Error + 'static> std::error::Error for ServiceError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.source()
    }
}

impl<E> SdkError<E> {
    /// The response, when the service answered: with an error, or with something that could not be read. `None`
    /// when nothing was received (or a mock answered with an error it made).
    pub fn raw_response(&self) -> Option<&HttpResponse> {
        let raw = match self {
            SdkError::ServiceError(e) => e.raw.as_ref(),
            SdkError::ResponseError(e) => e.raw.as_ref(),
            _ => None,
        };
        raw.map(RawResponse::http)
    }

    /// The same failure with the service's error changed by `map` (the response is kept).
    pub fn map_service_error<E2>(self, map: impl FnOnce(E) -> E2) -> SdkError<E2> {
        match self {
            SdkError::ServiceError(e) => SdkError::ServiceError(ServiceError {
                source: map(e.source),
                raw: e.raw,
            }),
            SdkError::Validation(e) => SdkError::Validation(e),
            SdkError::Config(e) => SdkError::Config(e),
            SdkError::Endpoint(e) => SdkError::Endpoint(e),
            SdkError::Credentials(e) => SdkError::Credentials(e),
            SdkError::Signing(e) => SdkError::Signing(e),
            SdkError::DispatchFailure(e) => SdkError::DispatchFailure(e),
            SdkError::TimeoutError(d) => SdkError::TimeoutError(d),
            SdkError::ResponseError(e) => SdkError::ResponseError(e),
            SdkError::Pagination(e) => SdkError::Pagination(e),
            #[cfg(feature = "blocking")]
            SdkError::Blocking(e) => SdkError::Blocking(e),
            #[cfg(feature = "test-util")]
            SdkError::Mock(e) => SdkError::Mock(e),
        }
    }

    /// The service's error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::ServiceError(e) => Some(&e.source),
            _ => None,
        }
    }

    /// The operation's error: the service's, or for any other failure (validation, transport, a malformed
    /// answer) the enum's `Unhandled`, which shows that failure and keeps it as its source.
    pub fn into_service_error(self) -> E
    where
        E: CreateUnhandledError,
    {
        let other = match self {
            SdkError::ServiceError(e) => return e.source,
            SdkError::Validation(e) => Other::from(e, None, None),
            SdkError::Config(e) => Other::from(e, None, None),
            SdkError::Endpoint(e) => Other::from(e, None, None),
            SdkError::Credentials(e) => Other::from(e, None, None),
            SdkError::Signing(message) => Other::from(Message(format!("signing failed: {message}")), None, None),
            SdkError::DispatchFailure(e) => Other::from(e, None, None),
            SdkError::TimeoutError(d) => Other::from(Message(format!("operation timed out after {d:?}")), None, None),
            SdkError::ResponseError(e) => {
                let (status, request_id) = (Some(e.status), e.request_id.clone());
                Other::from(e, status, request_id)
            }
            SdkError::Pagination(e) => Other::from(e, None, None),
            #[cfg(feature = "blocking")]
            SdkError::Blocking(e) => Other::from(e, None, None),
            #[cfg(feature = "test-util")]
            SdkError::Mock(e) => Other::from(e, None, None),
        };
        E::create_unhandled_error(other.0)
    }
}

/// The service's code, message and request id, when the service answered with an error; none of them otherwise
/// (as in aws-sdk-rust, where `SdkError` implements the same trait).
impl<E: ProvideErrorMetadata> ProvideErrorMetadata for SdkError<E> {
    fn meta(&self) -> &ErrorMetadata {
        static NONE: ErrorMetadata = aws_smithy_types::error::metadata::EMPTY_ERROR_METADATA;
        match self {
            SdkError::ServiceError(e) => e.source.meta(),
            _ => &NONE,
        }
    }
}

/// A failure that is not the service's, as an [`UnhandledError`].
struct Other(UnhandledError);

impl Other {
    fn from(
        error: impl std::error::Error + Send + Sync + 'static,
        status: Option<u16>,
        request_id: Option<String>,
    ) -> Self {
        let meta = metadata(None, Some(error.to_string()), request_id, status);
        Other(UnhandledError::from_source(meta, error))
    }
}

/// A failure that is only a message.
#[derive(Debug)]
struct Message(String);

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Message {}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Validation(e) => write!(f, "{e}"),
            SdkError::Config(e) => write!(f, "{e}"),
            SdkError::Endpoint(e) => write!(f, "{e}"),
            SdkError::Credentials(e) => write!(f, "{e}"),
            SdkError::Signing(e) => write!(f, "signing failed: {e}"),
            SdkError::DispatchFailure(e) => write!(f, "{e}"),
            SdkError::TimeoutError(d) => write!(f, "operation timed out after {d:?}"),
            SdkError::ServiceError(e) => write!(f, "{e}"),
            SdkError::ResponseError(e) => write!(f, "{e}"),
            SdkError::Pagination(e) => write!(f, "{e}"),
            #[cfg(feature = "blocking")]
            SdkError::Blocking(e) => write!(f, "{e}"),
            #[cfg(feature = "test-util")]
            SdkError::Mock(e) => write!(f, "{e}"),
        }
    }
}

/// `Display` already shows the wrapped error, so `source` skips it and returns the wrapped error's own cause:
/// an error-chain printer shows each message once.
impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::Validation(e) => e.source(),
            SdkError::Config(e) => e.source(),
            SdkError::Endpoint(e) => e.source(),
            SdkError::Credentials(e) => e.source(),
            SdkError::DispatchFailure(e) => e.source(),
            SdkError::ServiceError(e) => e.source(),
            SdkError::ResponseError(e) => e.source(),
            SdkError::Pagination(e) => e.source(),
            #[cfg(feature = "blocking")]
            SdkError::Blocking(e) => e.source(),
            #[cfg(feature = "test-util")]
            SdkError::Mock(e) => e.source(),
            SdkError::Signing(_) | SdkError::TimeoutError(_) => None,
        }
    }
}

/// An enum value that this version of a generated crate does not know, kept as received.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownVariant(String);

impl UnknownVariant {
    /// Wraps a value. Generated code calls this; users match on the known variants instead.
    // Public only for the generated decoders; hidden so that users do not make values the service never sent.
    #[doc(hidden)]
    pub fn new(value: &str) -> Self {
        UnknownVariant(value.to_owned())
    }

    /// The value as received, e.g. `"NEW_STATE"` for an enum of a later model.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A union member that this version of a generated crate does not know, kept as received: its name and its JSON
/// value. `Debug` shows the name only, since the value may be a secret the model would have marked sensitive.
#[derive(Clone, PartialEq, Default)]
pub struct UnknownMember {
    name: String,
    value: serde_json::Value,
}

impl UnknownMember {
    /// Wraps a member. Generated code calls this; users match on the known variants instead.
    // Public only for the generated decoders; hidden so that users do not make members the service never sent.
    #[doc(hidden)]
    pub fn new(name: &str, value: serde_json::Value) -> Self {
        UnknownMember {
            name: name.to_owned(),
            value,
        }
    }

    /// The member's name on the wire (the JSON key).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The member's value as received, undecoded.
    pub fn value(&self) -> &serde_json::Value {
        &self.value
    }
}

impl fmt::Debug for UnknownMember {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnknownMember")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// A paginator received the same token twice in a row: following it would request the same page forever, so
/// paging stops here (botocore raises the same error).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PaginationError {
    /// The operation being paged, e.g. `ListClusters`.
    pub operation: &'static str,
    /// The output member that carries the token, e.g. `Marker`.
    pub token_name: &'static str,
    /// The token that came back twice.
    pub token: String,
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} returned the same {} twice in a row ({:?}); stopping instead of requesting the same page again",
            self.operation, self.token_name, self.token
        )
    }
}

impl std::error::Error for PaginationError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_keeps_request_id_and_status_among_the_extras_and_errors_show_them() {
        let meta = metadata(
            Some("ThrottlingException".into()),
            Some("slow down".into()),
            Some("rid-1".into()),
            Some(400),
        );
        assert_eq!(
            (meta.code(), meta.message()),
            (Some("ThrottlingException"), Some("slow down"))
        );
        assert_eq!(meta.request_id(), Some("rid-1"));
        assert_eq!(meta.extra(AWS_REQUEST_ID), Some("rid-1"));
        assert_eq!(http_status(&meta), Some(400));
        assert_eq!(
            UnhandledError::new(meta).to_string(),
            "ThrottlingException: slow down (HTTP 400, request id: rid-1)"
        );
        let none = metadata(None, None, None, None);
        assert_eq!(http_status(&none), None);
        assert_eq!(
            UnhandledError::new(none).to_string(),
            "<no error code> (request id: <none>)"
        );
    }

    #[test]
    fn a_service_error_keeps_its_response_through_map_service_error() {
        let meta = metadata(Some("ThrottlingException".into()), None, None, Some(400));
        let response = HttpResponse::new(400, "{}").with_header("x-amzn-RequestId", "rid-2");
        let error: SdkError<UnhandledError> =
            SdkError::ServiceError(ServiceError::new(UnhandledError::new(meta), Some(response)));
        assert_eq!(error.code(), Some("ThrottlingException"));
        let mapped = error.map_service_error(|e| e.meta.code().map(str::len));
        assert_eq!(mapped.as_service_error(), Some(&Some(19)));
        assert_eq!(
            mapped.raw_response().and_then(|raw| raw.header("x-amzn-RequestId")),
            Some("rid-2")
        );
        let SdkError::ServiceError(e) = mapped else {
            unreachable!()
        };
        assert_eq!(e.raw().map(|raw| raw.status), Some(400));
        assert_eq!(e.into_err(), Some(19));
    }
}
