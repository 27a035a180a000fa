//! Moving bytes: the [`Transport`] trait, the real transport ([`HttpsTransport`]: HTTP/1.1 over hyper with rustls,
//! proxies from the environment) and an in-memory one for tests (`InMemoryTransport`, feature `test-util`).

use crate::time::BoxFuture;
use std::fmt;
use std::time::Duration;

mod connect;
mod https;

pub(crate) use https::is_http_url;
pub use https::{HttpsTransport, HttpsTransportBuilder};

/// How long the default transport waits for a TCP (and TLS) connection: 3.1 s, as the AWS SDKs do.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// The largest response body the client accepts by default: 10 MiB.
pub const DEFAULT_MAX_RESPONSE_BODY_SIZE: usize = 10 * 1024 * 1024;

/// An HTTP request as the client builds and signs it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The HTTP method: `POST` for every awsJson call and for STS; `GET` or `PUT` for some credential providers'
    /// calls (the metadata services, the SSO portal).
    pub method: String,
    /// The absolute `http` or `https` URL, path and query included; the default transport refuses anything else
    /// with a [`TransportErrorKind::Request`] error.
    pub url: String,
    /// Header names in lower case, in the order they were added.
    pub headers: Vec<(String, String)>,
    /// The body bytes, as signed (compressed already when the body is compressed).
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// A `method` request to `url` with no headers and an empty body.
    pub fn new(method: impl Into<String>, url: impl Into<String>) -> Self {
        HttpRequest {
            method: method.into(),
            url: url.into(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header (give the name in lower case, as the client does).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// The `Host` header of a request to `url`: what the request is signed with and what the transport sends, one
/// value. It is SigV4's canonical host, as botocore computes it (`SigV4Auth._canonical_host` in `auth.py`: the
/// `urlsplit` host without the port when the port is the scheme's default, else `split.netloc` without its user
/// info, then lower-cased):
///
/// - user info (`user:password@`) is dropped;
/// - the host is lower-cased;
/// - the port is dropped when it is the scheme's default (80 for `http`, 443 for `https`, however many leading
///   zeros it is written with) or empty (`host:`), and kept as written otherwise;
/// - an IPv6 address keeps its brackets (`[::1]:8080`, `[::1]`), as a `Host` header must have them (RFC 9110
///   §7.2, RFC 3986 §3.2.2). Here botocore differs: for a default port it signs `urlsplit`'s `hostname`, which has
///   lost them, while its HTTP client sends them.
///
/// A URL without `scheme://` is read as an authority and path; nothing here fails, the transport refuses URLs it
/// cannot send.
pub fn host_header(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    // An IPv6 literal ends at its `]`; any other host at its first `:`.
    let host_end = match host_port.strip_prefix('[') {
        Some(v6) => v6.find(']').map_or(host_port.len(), |i| i + 2),
        None => host_port.find(':').unwrap_or(host_port.len()),
    };
    let (host, port) = host_port.split_at(host_end);
    let port = port.strip_prefix(':').unwrap_or(port);
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    };
    let host = host.to_ascii_lowercase();
    if port.is_empty() || (default_port.is_some() && port.parse::<u16>().ok() == default_port) {
        host
    } else {
        format!("{host}:{port}")
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
#[non_exhaustive]
pub struct HttpResponse {
    /// The HTTP status code, e.g. 200 or 400.
    pub status: u16,
    /// Headers in the order received, names as received; look them up with [`header`](Self::header), which
    /// ignores case.
    pub headers: Vec<(String, String)>,
    /// The whole body. The default transport gives up with a
    /// [`ResponseTooLarge`](TransportErrorKind::ResponseTooLarge) error rather than read past its maximum size.
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

    /// Adds a header after those already there.
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
#[non_exhaustive]
pub struct TransportError {
    /// What kind of failure: [`retry::classify`](crate::retry::classify) retries `Connect`, `Timeout` and `Io`.
    pub kind: TransportErrorKind,
    /// What happened, for people (shown by `Display` after the kind).
    pub message: String,
}

/// The kinds of transport failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// Could not connect, including a connect timeout: nothing was sent.
    Connect,
    /// Gave up waiting for the response: the attempt timeout, the default transport's read timeout, or a
    /// credential provider's own request timeout.
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
    /// A `kind` failure that `message` explains.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
        }
    }

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
/// `InMemoryTransport` (feature `test-util`) in tests.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request` as it is (it is already signed: its headers, `host` included, must go out unchanged) and
    /// returns the whole response, whatever its status. An error means there is no usable response: none came,
    /// it broke off, or it was over the size limit.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

test_util! {
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};

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
        /// A transport with no queued responses and no recorded requests.
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

        /// Every request sent so far, in order, as sent (signed, with every header).
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
}

#[cfg(test)]
mod tests {
    use super::host_header;

    #[test]
    fn the_host_header_is_sigv4s_canonical_host() {
        for (url, host) in [
            // The scheme's default port goes, however it is written; other ports stay as written.
            ("http://127.0.0.1:80", "127.0.0.1"),
            ("http://127.0.0.1:080/", "127.0.0.1"),
            ("https://example.com:443/base/", "example.com"),
            ("HTTPS://example.com:443", "example.com"),
            ("http://example.com:443", "example.com:443"),
            ("https://example.com:80", "example.com:80"),
            ("https://example.com:8443/base/", "example.com:8443"),
            ("http://127.0.0.1:9/path?q=1", "127.0.0.1:9"),
            ("http://example.com:/", "example.com"),
            ("https://example.com", "example.com"),
            // Case, user info, query and fragment.
            ("https://EMR.Example.COM:8443", "emr.example.com:8443"),
            ("https://user:p%40ss@example.com:443/x", "example.com"),
            ("https://user@example.com:8443", "example.com:8443"),
            ("https://example.com?x=http://other:1", "example.com"),
            ("https://example.com#frag", "example.com"),
            // IPv6 literals keep their brackets, with or without a port.
            ("http://[::1]:80/", "[::1]"),
            ("http://[::1]", "[::1]"),
            ("https://[FE80::1]:8443", "[fe80::1]:8443"),
            ("https://[::1]:443", "[::1]"),
            // Not a URL the transport sends, but still no panic.
            ("example.com:443/x", "example.com:443"),
            ("", ""),
        ] {
            assert_eq!(host_header(url), host, "{url}");
        }
    }
}
