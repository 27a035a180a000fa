//! The real transport: HTTP/1.1 through hyper-util's pooled client, TLS by rustls (ring) with the platform's
//! verifier, proxies from the environment ([`super::connect`]).

use super::connect::{Connector, Proxies};
use super::{
    BoxFuture, HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BODY_SIZE,
};
use crate::env::Env;
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, ACCEPT, PROXY_AUTHORIZATION};
use http::{Method, Uri};
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Incoming};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rustls::crypto::CryptoProvider;
use rustls::ClientConfig;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Once};
use std::time::Duration;

/// How long an idle pooled connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);
/// TCP keepalive: first probe after 15 s idle, then every 15 s, 3 probes.
const TCP_KEEPALIVE: Duration = Duration::from_secs(15);
const TCP_KEEPALIVE_RETRIES: u32 = 3;

/// HTTP/1.1 and HTTPS through hyper's pooled client and rustls (ring), with the platform's certificate verifier
/// and trust store. Connections are kept and reused (idle for up to 90 s). Redirects are not followed: a 3xx
/// response is returned as it is, as the AWS SDKs do (a signed request must not be re-sent elsewhere).
///
/// - **Timeouts.** The connect timeout (3.1 s unless set) covers name resolution, TCP, a proxy tunnel and the TLS
///   handshake; running out is a [`TransportErrorKind::Connect`] error. The read timeout, if set, is the longest
///   wait for the response head (from the moment the request is sent) and then for each next piece of the body;
///   running out is a [`TransportErrorKind::Timeout`] error.
/// - **Body limit.** Response bodies are read piece by piece and abandoned, with a
///   [`TransportErrorKind::ResponseTooLarge`] error, as soon as they pass the maximum size (10 MiB unless
///   [`HttpsTransport::max_response_body_size`] says otherwise); a `Content-Length` over the limit fails before
///   any of the body is read.
/// - **Proxies**, from the environment unless [`HttpsTransportBuilder::no_proxy`]: `HTTPS_PROXY` for `https`
///   URLs, `HTTP_PROXY` for `http` URLs, `ALL_PROXY` for both, each also in lower case (upper case wins), except
///   the hosts, domains and networks `NO_PROXY` lists (`*` for all). `https` requests go through a `CONNECT`
///   tunnel, `http` requests in absolute form; `user:password@` in the proxy URL becomes basic
///   `Proxy-Authorization`. Under CGI (`REQUEST_METHOD` set) no proxy is used. `Debug` never shows proxy
///   credentials.
#[derive(Clone)]
pub struct HttpsTransport {
    client: Client<Connector, Full<Bytes>>,
    proxies: Proxies,
    connect_timeout: Duration,
    read_timeout: Option<Duration>,
    max_body: usize,
}

/// Settings for an [`HttpsTransport`]: see [`HttpsTransport::builder`].
#[derive(Debug, Clone)]
pub struct HttpsTransportBuilder {
    connect_timeout: Duration,
    read_timeout: Option<Duration>,
    max_body: usize,
    proxy_env: Option<Env>,
}

impl HttpsTransport {
    /// A transport with a 3.1 s connect timeout ([`DEFAULT_CONNECT_TIMEOUT`]), no read timeout, a 10 MiB
    /// response body limit and the proxies of the process environment.
    pub fn new() -> Result<Self, TransportError> {
        Self::builder().build()
    }

    /// A transport with the given connect timeout and, if any, read timeout: the longest wait for the next bytes
    /// of a response. Proxies come from the process environment.
    pub fn with_timeouts(connect: Duration, read: Option<Duration>) -> Result<Self, TransportError> {
        let mut builder = Self::builder().connect_timeout(connect);
        if let Some(read) = read {
            builder = builder.read_timeout(read);
        }
        builder.build()
    }

    /// Settings to start from: those of [`HttpsTransport::new`].
    pub fn builder() -> HttpsTransportBuilder {
        HttpsTransportBuilder {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: None,
            max_body: DEFAULT_MAX_RESPONSE_BODY_SIZE,
            proxy_env: Some(Env::process()),
        }
    }

    /// The same transport with a different response body limit, in bytes.
    pub fn max_response_body_size(mut self, limit: usize) -> Self {
        self.max_body = limit;
        self
    }
}

impl HttpsTransportBuilder {
    /// How long a connection may take (name resolution, TCP, proxy tunnel, TLS): 3.1 s unless set. Running out is
    /// a [`TransportErrorKind::Connect`] error.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The longest wait for the response head, and then for each next piece of the body: no limit unless set.
    /// Running out is a [`TransportErrorKind::Timeout`] error.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// The largest response body accepted, in bytes: 10 MiB ([`DEFAULT_MAX_RESPONSE_BODY_SIZE`]) unless set.
    pub fn max_response_body_size(mut self, limit: usize) -> Self {
        self.max_body = limit;
        self
    }

    /// Reads the proxy variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, upper or lower case) from
    /// `env` instead of the process environment.
    pub fn proxy_env(mut self, env: Env) -> Self {
        self.proxy_env = Some(env);
        self
    }

    /// Connects directly to every host, whatever the environment says.
    pub fn no_proxy(mut self) -> Self {
        self.proxy_env = None;
        self
    }

    /// The transport. Fails, as a [`TransportErrorKind::Request`] error, only when TLS cannot be set up.
    pub fn build(self) -> Result<HttpsTransport, TransportError> {
        let tls = Arc::new(tls_config()?);
        let mut tcp = HttpConnector::new();
        // The connector also opens the TCP connections of https URLs, for TLS to run over.
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        tcp.set_keepalive(Some(TCP_KEEPALIVE));
        tcp.set_keepalive_interval(Some(TCP_KEEPALIVE));
        tcp.set_keepalive_retries(Some(TCP_KEEPALIVE_RETRIES));
        let proxies = match &self.proxy_env {
            Some(env) => Proxies::from_env(env),
            None => Proxies::none(),
        };
        let connector = Connector::new(tcp, tls, proxies.clone(), self.connect_timeout);
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .build(connector);
        Ok(HttpsTransport {
            client,
            proxies,
            connect_timeout: self.connect_timeout,
            read_timeout: self.read_timeout,
            max_body: self.max_body,
        })
    }
}

/// TLS 1.2 and 1.3 with the process's default rustls crypto provider (ring, installed here unless the program
/// installed another), the platform's verifier and trust store, and HTTP/1.1 by ALPN.
fn tls_config() -> Result<ClientConfig, TransportError> {
    static PROVIDER: Once = Once::new();
    // Installing fails only when the program installed a provider of its own first: that one is then used.
    PROVIDER.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let tls_error = |e: rustls::Error| TransportError {
        kind: TransportErrorKind::Request,
        message: format!("cannot set up TLS: {e}"),
    };
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone()).map_err(tls_error)?;
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Whether `uri` is an absolute `http` or `https` URL with a host and, if it names one, a valid port.
/// (`http::Uri` accepts any digits as a port, and hands out no port at all for those over 65535.)
pub(crate) fn is_http_url(uri: &Uri) -> bool {
    let Some(authority) = uri.authority() else {
        return false;
    };
    let host = authority.host();
    let host_port = authority
        .as_str()
        .rsplit_once('@')
        .map_or(authority.as_str(), |(_, h)| h);
    let port_ok = match host_port.get(host.len()..).and_then(|rest| rest.strip_prefix(':')) {
        None | Some("") => true,
        Some(_) => authority.port_u16().is_some(),
    };
    matches!(uri.scheme_str(), Some("http" | "https")) && !host.is_empty() && port_ok
}

impl fmt::Debug for HttpsTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpsTransport")
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("max_response_body_size", &self.max_body)
            .field("proxies", &self.proxies)
            .finish()
    }
}

fn request_error(message: String) -> TransportError {
    TransportError {
        kind: TransportErrorKind::Request,
        message,
    }
}

/// `err` and every error it wraps, joined by `: `.
fn chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message
}

impl HttpsTransport {
    /// The hyper request for `request`, or why it cannot be sent.
    fn to_hyper(&self, request: HttpRequest) -> Result<http::Request<Full<Bytes>>, TransportError> {
        let method = Method::from_bytes(request.method.as_bytes())
            .map_err(|_| request_error(format!("invalid HTTP method {:?}", request.method)))?;
        let uri: Uri = request
            .url
            .parse()
            .map_err(|e| request_error(format!("invalid URL {:?}: {e}", request.url)))?;
        if !is_http_url(&uri) {
            return Err(request_error(format!(
                "URL {:?} is not an http(s) URL with a host",
                request.url
            )));
        }
        let mut builder = http::Request::builder().method(method).uri(uri.clone());
        let headers = builder.headers_mut().expect("a request with a valid method and URI");
        // A `host` header among the request's is sent as it is (it is the one that was signed); hyper's client
        // writes one from the URL only for a request without.
        for (name, value) in &request.headers {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| request_error(format!("invalid header name {name:?}")))?;
            // Never quote the value: it may be a secret.
            let value =
                HeaderValue::from_str(value).map_err(|_| request_error(format!("invalid value of header {name}")))?;
            headers.append(header, value);
        }
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, HeaderValue::from_static("*/*"));
        }
        if let Some(auth) = self.proxies.authorization(&uri) {
            headers.entry(PROXY_AUTHORIZATION).or_insert(auth);
        }
        builder
            .body(Full::new(Bytes::from(request.body)))
            .map_err(|e| request_error(e.to_string()))
    }

    async fn exchange(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let url = request.url.clone();
        let sent = self.client.request(self.to_hyper(request)?);
        let response = within(self.read_timeout, sent, || {
            format!("no response from {url} within the read timeout")
        })
        .await?
        .map_err(|e| TransportError {
            // Nothing was sent when connecting failed; anything else broke the exchange.
            kind: if e.is_connect() {
                TransportErrorKind::Connect
            } else {
                TransportErrorKind::Io
            },
            message: format!("sending the request to {url}: {}", chain(&e)),
        })?;
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
        let body = self.read_body(&url, response.into_body()).await?;
        Ok(HttpResponse { status, headers, body })
    }

    /// Reads `body`, giving up as soon as it is longer than the limit, or the next piece of it is later than the
    /// read timeout.
    async fn read_body(&self, url: &str, mut body: Incoming) -> Result<Vec<u8>, TransportError> {
        let limit = self.max_body;
        // A `Content-Length` is the body's exact size.
        let declared = body.size_hint().exact().unwrap_or(0);
        if declared > limit as u64 {
            return Err(TransportError::response_too_large(limit));
        }
        // A declared length is only a hint: reserve no more than 64 KiB on its word.
        let mut out = Vec::with_capacity(declared.min(64 * 1024) as usize);
        loop {
            let next = within(self.read_timeout, body.frame(), || {
                format!("the response body from {url} stalled past the read timeout")
            })
            .await?;
            let frame = match next {
                None => return Ok(out),
                Some(frame) => frame.map_err(|e| TransportError {
                    kind: TransportErrorKind::Io,
                    message: format!("reading the response body from {url}: {}", chain(&e)),
                })?,
            };
            // Trailers, if any, are not part of the body.
            if let Ok(data) = frame.into_data() {
                if data.len() > limit - out.len() {
                    return Err(TransportError::response_too_large(limit));
                }
                out.extend_from_slice(&data);
            }
        }
    }
}

/// `future`'s output, or a [`TransportErrorKind::Timeout`] error saying `what` when `limit` passes first.
async fn within<T>(
    limit: Option<Duration>,
    future: impl Future<Output = T>,
    what: impl FnOnce() -> String,
) -> Result<T, TransportError> {
    match limit {
        None => Ok(future.await),
        Some(limit) => tokio::time::timeout(limit, future).await.map_err(|_| TransportError {
            kind: TransportErrorKind::Timeout,
            message: format!("{} ({} ms)", what(), limit.as_millis()),
        }),
    }
}

impl Transport for HttpsTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(self.exchange(request))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, url: &str, headers: &[(&str, &str)]) -> HttpRequest {
        HttpRequest {
            method: method.to_owned(),
            url: url.to_owned(),
            headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            body: b"{}".to_vec(),
        }
    }

    fn transport() -> HttpsTransport {
        HttpsTransport::builder().no_proxy().build().expect("transport")
    }

    #[test]
    fn requests_keep_their_headers_host_included_and_get_accept() {
        let req = transport()
            .to_hyper(request(
                "POST",
                "http://127.0.0.1:9/path?q=1",
                &[("host", "127.0.0.1:9"), ("x-a", "1"), ("x-a", "2")],
            ))
            .expect("valid");
        assert_eq!(req.method(), Method::POST);
        assert_eq!(req.uri(), "http://127.0.0.1:9/path?q=1");
        assert_eq!(req.headers().get_all("x-a").iter().collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(req.headers()["host"], "127.0.0.1:9", "the signed Host is the one sent");
        assert_eq!(req.headers()["accept"], "*/*");
        assert!(req.headers().get("proxy-authorization").is_none());
    }

    #[test]
    fn unsendable_requests_are_request_errors_that_never_quote_header_values() {
        for (method, url, headers) in [
            ("P OST", "http://a/", vec![]),
            ("GET", "not a url", vec![]),
            ("GET", "ftp://a/", vec![]),
            ("GET", "/relative", vec![]),
            ("GET", "http://a:65536/", vec![]),
            ("GET", "http://a/", vec![("bad name", "v")]),
            ("GET", "http://a/", vec![("authorization", "secret\nvalue")]),
        ] {
            let err = transport().to_hyper(request(method, url, &headers)).expect_err(url);
            assert_eq!(err.kind, TransportErrorKind::Request, "{err}");
            assert!(!err.message.contains("secret"), "{err}");
        }
    }

    #[test]
    fn plain_http_through_an_authenticating_proxy_carries_its_credentials() {
        let env = Env::from_pairs([("HTTP_PROXY", "http://u:p@127.0.0.1:3128")]);
        let proxied = HttpsTransport::builder().proxy_env(env).build().expect("transport");
        let req = proxied.to_hyper(request("GET", "http://a/", &[])).expect("valid");
        assert_eq!(req.headers()["proxy-authorization"], "Basic dTpw");
        let debug = format!("{proxied:?}");
        assert!(
            debug.contains("127.0.0.1:3128") && !debug.contains("u:p") && !debug.contains("dTpw"),
            "{debug}"
        );
    }
}
