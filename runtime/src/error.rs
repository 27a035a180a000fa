//! The one error type every operation returns: [`SdkError`], generic over the operation's modelled errors.
//!
//! [`SdkError`] says at which step a call failed: before anything was sent (validation, config, endpoint), while
//! preparing an attempt (credentials, signing), on the way (transport, timeout), or in the answer: [`SdkError::Service`] holds the
//! operation's generated error enum, [`SdkError::Response`] an answer that could not be read. Each generated enum
//! has a variant per modelled error and a catch-all holding an [`UnhandledError`]; all of them expose the
//! service's code, message, request id and status through [`ProvideErrorMetadata`] (an [`ErrorMetadata`]).
//! [`SdkError::into_service_error`] folds every other failure into that catch-all, for callers that want one type.
//!
//! Also here: [`BuildError`] (a builder missing required members), [`PaginationError`] (a repeated token), and
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

/// What the service said about a failed call: code, message, request id and HTTP status, and the response
/// itself. Two are equal when code, message, request id and status are; the raw response is not compared.
#[derive(Debug, Clone, Default)]
pub struct ErrorMetadata {
    /// The error code, e.g. `InvalidRequestException`, with any namespace and URI stripped.
    pub code: Option<String>,
    /// The service's message (the body's `message`, `Message` or `errorMessage`), if it gave one.
    pub message: Option<String>,
    /// The `x-amzn-RequestId` header, if the response had one.
    pub request_id: Option<String>,
    /// The HTTP status code; 0 when there was no response (a failure folded in by
    /// [`SdkError::into_service_error`]).
    pub status: u16,
    /// The response as received, when there was one ([`SdkError::raw_response`] reads it).
    pub raw: Option<RawResponse>,
}

impl PartialEq for ErrorMetadata {
    fn eq(&self, other: &Self) -> bool {
        (&self.code, &self.message, &self.request_id, self.status)
            == (&other.code, &other.message, &other.request_id, other.status)
    }
}

impl Eq for ErrorMetadata {}

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

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.as_deref().unwrap_or("<no error code>"))?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        write!(
            f,
            " (HTTP {}, request id: {})",
            self.status,
            self.request_id.as_deref().unwrap_or("<none>")
        )
    }
}

/// What every operation's error enum (and [`UnhandledError`]) tells about the failure: the response's metadata,
/// and the code and message in it (the request id: [`RequestId`]). The generated enums implement [`meta`](Self::meta) only.
pub trait ProvideErrorMetadata {
    /// Code, message, request id and HTTP status.
    fn meta(&self) -> &ErrorMetadata;

    /// The error code, e.g. `InvalidRequestException`.
    fn code(&self) -> Option<&str> {
        self.meta().code.as_deref()
    }

    /// The service's message.
    fn message(&self) -> Option<&str> {
        self.meta().message.as_deref()
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
        self.meta().request_id.as_deref()
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
            None => write!(f, "{}", self.meta),
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
    /// The request did not get a response.
    Transport(TransportError),
    /// The whole operation, retries included, took longer than the configured operation timeout.
    Timeout(std::time::Duration),
    /// The service answered with an error.
    Service(E),
    /// The service answered, but the answer could not be understood.
    Response(ResponseError),
    /// A paginator received the same token twice in a row.
    Pagination(PaginationError),
    /// A blocking call could not be run (feature `blocking`). Nothing was sent.
    #[cfg(feature = "blocking")]
    Blocking(crate::blocking::BlockingError),
    /// A mocked client has no rule that answers the call (feature `test-util`). Nothing was sent.
    #[cfg(feature = "test-util")]
    Mock(crate::mock::NoRuleMatched),
}

impl<E> SdkError<E> {
    /// The response, when the service answered: with an error (its [`ErrorMetadata::raw`]), or with something
    /// that could not be read. `None` when nothing was received.
    pub fn raw_response(&self) -> Option<&HttpResponse>
    where
        E: ProvideErrorMetadata,
    {
        let raw = match self {
            SdkError::Service(e) => e.meta().raw.as_ref(),
            SdkError::Response(e) => e.raw.as_ref(),
            _ => None,
        };
        raw.map(RawResponse::http)
    }

    /// The service's error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
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
            SdkError::Service(e) => return e,
            SdkError::Validation(e) => Other::from(e, 0, None),
            SdkError::Config(e) => Other::from(e, 0, None),
            SdkError::Endpoint(e) => Other::from(e, 0, None),
            SdkError::Credentials(e) => Other::from(e, 0, None),
            SdkError::Signing(message) => Other::from(Message(format!("signing failed: {message}")), 0, None),
            SdkError::Transport(e) => Other::from(e, 0, None),
            SdkError::Timeout(d) => Other::from(Message(format!("operation timed out after {d:?}")), 0, None),
            SdkError::Response(e) => {
                let (status, request_id) = (e.status, e.request_id.clone());
                Other::from(e, status, request_id)
            }
            SdkError::Pagination(e) => Other::from(e, 0, None),
            #[cfg(feature = "blocking")]
            SdkError::Blocking(e) => Other::from(e, 0, None),
            #[cfg(feature = "test-util")]
            SdkError::Mock(e) => Other::from(e, 0, None),
        };
        E::create_unhandled_error(other.0)
    }
}

/// The service's code, message and request id, when the service answered with an error; none of them otherwise
/// (as in aws-sdk-rust, where `SdkError` implements the same trait).
impl<E: ProvideErrorMetadata> ProvideErrorMetadata for SdkError<E> {
    fn meta(&self) -> &ErrorMetadata {
        static NONE: ErrorMetadata = ErrorMetadata {
            code: None,
            message: None,
            request_id: None,
            status: 0,
            raw: None,
        };
        match self {
            SdkError::Service(e) => e.meta(),
            _ => &NONE,
        }
    }
}

/// A failure that is not the service's, as an [`UnhandledError`].
struct Other(UnhandledError);

impl Other {
    fn from(error: impl std::error::Error + Send + Sync + 'static, status: u16, request_id: Option<String>) -> Self {
        let meta = ErrorMetadata {
            code: None,
            message: Some(error.to_string()),
            request_id,
            status,
            raw: None,
        };
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
            SdkError::Transport(e) => write!(f, "{e}"),
            SdkError::Timeout(d) => write!(f, "operation timed out after {d:?}"),
            SdkError::Service(e) => write!(f, "{e}"),
            SdkError::Response(e) => write!(f, "{e}"),
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
            SdkError::Transport(e) => e.source(),
            SdkError::Service(e) => e.source(),
            SdkError::Response(e) => e.source(),
            SdkError::Pagination(e) => e.source(),
            #[cfg(feature = "blocking")]
            SdkError::Blocking(e) => e.source(),
            #[cfg(feature = "test-util")]
            SdkError::Mock(e) => e.source(),
            SdkError::Signing(_) | SdkError::Timeout(_) => None,
        }
    }
}

/// A builder was asked to build a value whose required members are not all set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// The type being built, e.g. `UpdateStudioSessionMappingInput`.
    pub shape: &'static str,
    /// Every required member that is missing, by its model name.
    pub missing: Vec<&'static str>,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot build {}: missing required member", self.shape)?;
        if self.missing.len() > 1 {
            f.write_str("s")?;
        }
        write!(f, " {}", self.missing.join(", "))
    }
}

impl std::error::Error for BuildError {}

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
