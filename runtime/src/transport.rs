//! Moving bytes: the [`Transport`] trait, the real HTTPS transport (reqwest with rustls) and an in-memory one.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

/// A boxed, sendable future: what transports, credential providers and sleeps return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How long the default transport waits for a TCP (and TLS) connection: 3.1 s, as the AWS SDKs do.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// The largest response body the client accepts by default: 10 MiB.
pub const DEFAULT_MAX_RESPONSE_BODY_SIZE: usize = 10 * 1024 * 1024;

/// An HTTP request as the client builds and signs it.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `POST`, `GET`, ...
    pub method: String,
    /// The absolute URL.
    pub url: String,
    /// Header names in lower case, in the order they were added.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// Header values that are never shown: they carry the signature, a session token or an SSO access token.
const REDACTED_HEADERS: [&str; 4] = [
    "authorization",
    "x-amz-security-token",
    "x-aws-ec2-metadata-token",
    "x-amz-sso_bearer_token",
];

/// A header value as it may be shown in `Debug` output and logs.
pub fn loggable_header_value<'a>(name: &str, value: &'a str) -> &'a str {
    if REDACTED_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h)) {
        "** redacted **"
    } else {
        value
    }
}

/// Headers as they may be shown in `Debug` output and logs: see [`loggable_header_value`].
pub fn loggable_headers(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(n, v)| (n.as_str(), loggable_header_value(n, v)))
        .collect()
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &loggable_headers(&self.headers))
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// An HTTP response as the transport received it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names as received.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with `status` and `body` and no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Why a request did not get a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    /// What kind of failure, for retry decisions.
    pub kind: TransportErrorKind,
    /// What happened, for people.
    pub message: String,
}

/// The kinds of transport failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// Could not connect, including a connect timeout: nothing was sent.
    Connect,
    /// Gave up waiting.
    Timeout,
    /// The connection broke mid-exchange.
    Io,
    /// The request could not be built (bad URL, bad header).
    Request,
    /// The response body is larger than the configured maximum; the rest of it was not read.
    ResponseTooLarge,
    /// Anything else.
    Other,
}

impl TransportError {
    /// A [`TransportErrorKind::ResponseTooLarge`] error for a body over `limit` bytes.
    pub fn response_too_large(limit: usize) -> Self {
        TransportError {
            kind: TransportErrorKind::ResponseTooLarge,
            message: format!("response body exceeds the maximum of {limit} bytes"),
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} error: {}", self.kind, self.message)
    }
}

impl std::error::Error for TransportError {}

/// Sends one request and returns its response. Implement it to route calls anywhere, or use
/// [`InMemoryTransport`] in tests.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request`.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

/// HTTPS through reqwest and rustls (ring), with the platform's trust store.
///
/// Response bodies are read chunk by chunk and abandoned, with a [`TransportErrorKind::ResponseTooLarge`] error,
/// as soon as they pass the maximum size (10 MiB unless [`ReqwestTransport::max_response_body_size`] says
/// otherwise); a `Content-Length` over the limit fails before any of the body is read.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_body: usize,
}

impl ReqwestTransport {
    /// A transport with a 3.1 s connect timeout ([`DEFAULT_CONNECT_TIMEOUT`]), no read timeout, and a 10 MiB
    /// response body limit.
    pub fn new() -> Result<Self, TransportError> {
        Self::with_builder(reqwest::Client::builder().connect_timeout(DEFAULT_CONNECT_TIMEOUT))
    }

    /// A transport with the given connect timeout and, if any, read timeout: the longest wait for the next bytes
    /// of a response, reset by every read.
    pub fn with_timeouts(connect: Duration, read: Option<Duration>) -> Result<Self, TransportError> {
        let mut builder = reqwest::Client::builder().connect_timeout(connect);
        if let Some(read) = read {
            builder = builder.read_timeout(read);
        }
        Self::with_builder(builder)
    }

    /// A transport from a customised reqwest builder (timeouts, proxies...), with a 10 MiB body limit.
    pub fn with_builder(builder: reqwest::ClientBuilder) -> Result<Self, TransportError> {
        static PROVIDER: Once = Once::new();
        // reqwest is built without a crypto provider of its own; ring is ours. Installing twice is harmless.
        PROVIDER.call_once(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        let client = builder.build().map_err(|e| classify(&e))?;
        Ok(ReqwestTransport {
            client,
            max_body: DEFAULT_MAX_RESPONSE_BODY_SIZE,
        })
    }

    /// The same transport with a different response body limit, in bytes.
    pub fn max_response_body_size(mut self, limit: usize) -> Self {
        self.max_body = limit;
        self
    }
}

fn classify(err: &reqwest::Error) -> TransportError {
    // A connect timeout is a connect error: nothing was sent. Other timeouts (reading) are timeouts.
    let kind = if err.is_connect() {
        TransportErrorKind::Connect
    } else if err.is_timeout() {
        TransportErrorKind::Timeout
    } else if err.is_builder() {
        TransportErrorKind::Request
    } else if err.is_request() || err.is_body() {
        TransportErrorKind::Io
    } else {
        TransportErrorKind::Other
    };
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    TransportError { kind, message }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let method = reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|e| TransportError {
                kind: TransportErrorKind::Request,
                message: e.to_string(),
            })?;
            let mut builder = self.client.request(method, &request.url);
            for (name, value) in &request.headers {
                if !name.eq_ignore_ascii_case("host") {
                    builder = builder.header(name, value);
                }
            }
            let response = builder.body(request.body).send().await.map_err(|e| classify(&e))?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body = read_body(response, self.max_body).await?;
            Ok(HttpResponse { status, headers, body })
        })
    }
}

/// Reads `response`'s body, giving up as soon as it is longer than `limit` bytes.
async fn read_body(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, TransportError> {
    let declared = response.content_length().unwrap_or(0);
    if declared > limit as u64 {
        return Err(TransportError::response_too_large(limit));
    }
    // A declared length is only a hint: reserve no more than 64 KiB on its word.
    let mut body = Vec::with_capacity(declared.min(64 * 1024) as usize);
    while let Some(chunk) = response.chunk().await.map_err(|e| classify(&e))? {
        if chunk.len() > limit - body.len() {
            return Err(TransportError::response_too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A transport that never touches the network: it records every request and answers from a queue of canned
/// responses (or with `200 {}` when the queue is empty).
#[derive(Debug, Clone, Default)]
pub struct InMemoryTransport {
    state: Arc<Mutex<InMemoryState>>,
}

#[derive(Debug, Default)]
struct InMemoryState {
    requests: Vec<HttpRequest>,
    responses: VecDeque<Result<HttpResponse, TransportError>>,
}

impl InMemoryTransport {
    /// An empty transport.
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues a response for the next request.
    pub fn push_response(&self, response: HttpResponse) -> &Self {
        self.lock().responses.push_back(Ok(response));
        self
    }

    /// Queues a transport failure for the next request.
    pub fn push_error(&self, error: TransportError) -> &Self {
        self.lock().responses.push_back(Err(error));
        self
    }

    /// Every request sent so far.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.lock().requests.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, InMemoryState> {
        // A panic while holding the lock cannot leave the state inconsistent: recover it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Transport for InMemoryTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let mut state = self.lock();
        state.requests.push(request);
        let response = state
            .responses
            .pop_front()
            .unwrap_or_else(|| Ok(HttpResponse::new(200, "{}")));
        Box::pin(async move { response })
    }
}
