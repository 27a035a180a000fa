//! Connections for [`HttpsTransport`](super::HttpsTransport): TCP, TLS (rustls) and proxies.
//!
//! [`Connector`] is the service hyper-util's pooled client asks for a connection to a destination
//! (`scheme://host:port`):
//!
//! - no proxy for the destination: TCP to it, then TLS when it is `https`;
//! - an `https` destination through a proxy: TCP (TLS for an `https` proxy) to the proxy, a `CONNECT host:port`
//!   tunnel through it (hyper-util's [`Tunnel`], with the proxy's basic credentials), then TLS to the destination
//!   inside the tunnel;
//! - an `http` destination through a proxy: a connection to the proxy, marked as proxied so that the client sends
//!   requests in absolute form (`POST http://host/ HTTP/1.1`); [`Proxies::authorization`] gives the
//!   `Proxy-Authorization` value such requests carry.
//!
//! The whole of it (name resolution, TCP, the tunnel, every TLS handshake) must finish within the connect timeout.

use crate::env::Env;
use http::{HeaderValue, Uri};
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::{Intercept, Matcher};
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use rustls::ClientConfig;
use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::TlsConnector;
use tower_service::Service;

/// The error type connectors hand to hyper-util.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

type Connecting = Pin<Box<dyn Future<Output = Result<Conn, BoxError>> + Send>>;

/// Which destinations go through which proxy: `HTTPS_PROXY` / `https_proxy` for `https` URLs, `HTTP_PROXY` /
/// `http_proxy` for `http` URLs, `ALL_PROXY` / `all_proxy` for either when the specific one is unset, except the
/// hosts `NO_PROXY` / `no_proxy` lists (curl's rules, as hyper-util's [`Matcher`] implements them).
///
/// `Debug` shows the proxies without their credentials.
#[derive(Clone, Default)]
pub(crate) struct Proxies {
    matcher: Option<Arc<Matcher>>,
}

impl Proxies {
    /// No proxy for any destination.
    pub(crate) fn none() -> Self {
        Proxies::default()
    }

    /// The proxies `env` names (upper case first, then lower case). Under CGI (`REQUEST_METHOD` is set) none at
    /// all: there `HTTP_PROXY` may come from a client's `Proxy:` request header ("httpoxy").
    pub(crate) fn from_env(env: &Env) -> Self {
        if env.get("REQUEST_METHOD").is_some() {
            return Proxies::none();
        }
        let first = |upper: &str, lower: &str| env.get(upper).or_else(|| env.get(lower));
        let all = first("ALL_PROXY", "all_proxy");
        let http = first("HTTP_PROXY", "http_proxy");
        let https = first("HTTPS_PROXY", "https_proxy");
        if all.is_none() && http.is_none() && https.is_none() {
            return Proxies::none();
        }
        let matcher = Matcher::builder()
            .all(all.unwrap_or_default())
            .http(http.unwrap_or_default())
            .https(https.unwrap_or_default())
            .no(first("NO_PROXY", "no_proxy").unwrap_or_default())
            .build();
        Proxies {
            matcher: Some(Arc::new(matcher)),
        }
    }

    /// The proxy for `dst`, if any.
    pub(crate) fn intercept(&self, dst: &Uri) -> Option<Intercept> {
        self.matcher.as_ref()?.intercept(dst)
    }

    /// The `Proxy-Authorization` value a plain `http` request to `dst` carries: the basic credentials of its
    /// proxy's URL, if it goes through one that has them. (An `https` request sends them only in the `CONNECT`.)
    pub(crate) fn authorization(&self, dst: &Uri) -> Option<HeaderValue> {
        if dst.scheme_str() != Some("http") {
            return None;
        }
        self.intercept(dst)?.basic_auth().cloned()
    }
}

impl fmt::Debug for Proxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.matcher {
            // The matcher's Debug shows each proxy's URI, which hyper-util keeps without its user info.
            Some(matcher) => matcher.fmt(f),
            None => f.write_str("none"),
        }
    }
}

/// The I/O a [`Conn`] wraps: a TCP stream, a TLS stream, or a TLS stream inside a tunnel.
trait Io: Read + Write + Send + Unpin + 'static {}

impl<T: Read + Write + Send + Unpin + 'static> Io for T {}

/// One connection, and whether it goes to a proxy that expects absolute-form requests.
pub(crate) struct Conn {
    io: Box<dyn Io>,
    proxied: bool,
}

impl Conn {
    fn new(io: impl Io, proxied: bool) -> Self {
        Conn {
            io: Box::new(io),
            proxied,
        }
    }
}

impl Read for Conn {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: ReadBufCursor<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.get_mut().io).poll_read(cx, buf)
    }
}

impl Write for Conn {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.get_mut().io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.get_mut().io).poll_write_vectored(cx, bufs)
    }
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        Connected::new().proxy(self.proxied)
    }
}

/// A direct connection to a URI's host and port: TCP, then TLS when the scheme is `https`. Used for destinations
/// and for proxies alike.
#[derive(Clone)]
struct Dial {
    tcp: HttpConnector,
    tls: Arc<ClientConfig>,
}

impl Dial {
    async fn open(mut self, uri: Uri) -> Result<Conn, BoxError> {
        poll_fn(|cx| self.tcp.poll_ready(cx)).await?;
        let stream = self.tcp.call(uri.clone()).await?;
        if uri.scheme_str() == Some("https") {
            handshake(&self.tls, &uri, stream.into_inner()).await
        } else {
            Ok(Conn::new(stream, false))
        }
    }
}

impl Service<Uri> for Dial {
    type Response = Conn;
    type Error = BoxError;
    type Future = Connecting;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        Box::pin(self.clone().open(uri))
    }
}

/// A TLS session with `uri`'s host over `io`, verified by `tls`'s verifier.
async fn handshake(
    tls: &Arc<ClientConfig>,
    uri: &Uri,
    io: impl AsyncRead + AsyncWrite + Send + Unpin + 'static,
) -> Result<Conn, BoxError> {
    let host = uri.host().ok_or("the URL has no host")?;
    // An IPv6 literal is bracketed in a URI; a server name is not.
    let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    let name = ServerName::try_from(host.to_owned())?;
    let stream = TlsConnector::from(tls.clone()).connect(name, io).await?;
    Ok(Conn::new(TokioIo::new(stream), false))
}

/// The connector of [`HttpsTransport`](super::HttpsTransport): see the module docs.
#[derive(Clone)]
pub(crate) struct Connector {
    dial: Dial,
    proxies: Proxies,
    timeout: Duration,
}

impl Connector {
    /// Connections made with `tcp` and `tls`, through `proxies`, each within `timeout`.
    pub(crate) fn new(tcp: HttpConnector, tls: Arc<ClientConfig>, proxies: Proxies, timeout: Duration) -> Self {
        Connector {
            dial: Dial { tcp, tls },
            proxies,
            timeout,
        }
    }

    async fn connect(self, dst: Uri) -> Result<Conn, BoxError> {
        let Some(proxy) = self.proxies.intercept(&dst) else {
            return self.dial.open(dst).await;
        };
        let proxy_uri = proxy.uri().clone();
        if !matches!(proxy_uri.scheme_str(), Some("http" | "https")) {
            // hyper-util's matcher also accepts socks proxies, which this transport does not speak.
            return Err(format!("unsupported proxy {proxy_uri}: only http and https proxies are").into());
        }
        if dst.scheme_str() == Some("https") {
            let mut tunnel = Tunnel::new(proxy_uri, self.dial.clone());
            if let Some(auth) = proxy.basic_auth() {
                tunnel = tunnel.with_auth(auth.clone());
            }
            poll_fn(|cx| tunnel.poll_ready(cx)).await?;
            let tunneled = tunnel.call(dst.clone()).await?;
            handshake(&self.dial.tls, &dst, TokioIo::new(tunneled)).await
        } else {
            let mut conn = self.dial.open(proxy_uri).await?;
            conn.proxied = true;
            Ok(conn)
        }
    }
}

impl Service<Uri> for Connector {
    type Response = Conn;
    type Error = BoxError;
    type Future = Connecting;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let timeout = self.timeout;
        let connecting = self.clone().connect(dst);
        Box::pin(async move {
            match tokio::time::timeout(timeout, connecting).await {
                Ok(result) => result,
                Err(_) => Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("no connection within the connect timeout of {} ms", timeout.as_millis()),
                )
                .into()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    fn proxy_for(proxies: &Proxies, dst: &str) -> Option<String> {
        proxies.intercept(&uri(dst)).map(|p| p.uri().to_string())
    }

    #[test]
    fn the_environment_names_proxies_per_scheme_with_exceptions() {
        let env = Env::from_pairs([
            ("HTTPS_PROXY", "http://secure.proxy:3128"),
            ("http_proxy", "http://plain.proxy:8080"),
            ("NO_PROXY", "internal.example, 10.0.0.0/8"),
        ]);
        let proxies = Proxies::from_env(&env);
        assert_eq!(
            proxy_for(&proxies, "https://sts.amazonaws.com/").as_deref(),
            Some("http://secure.proxy:3128/")
        );
        assert_eq!(
            proxy_for(&proxies, "http://example.com/").as_deref(),
            Some("http://plain.proxy:8080/")
        );
        assert_eq!(proxy_for(&proxies, "https://api.internal.example/"), None);
        assert_eq!(proxy_for(&proxies, "http://10.1.2.3:8080/"), None);
    }

    #[test]
    fn upper_case_wins_and_all_proxy_fills_in() {
        let env = Env::from_pairs([
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "http://lower:1"),
            ("all_proxy", "http://all:1"),
        ]);
        let proxies = Proxies::from_env(&env);
        assert_eq!(proxy_for(&proxies, "https://a/").as_deref(), Some("http://upper:1/"));
        assert_eq!(proxy_for(&proxies, "http://a/").as_deref(), Some("http://all:1/"));
    }

    #[test]
    fn no_variables_or_cgi_mean_no_proxy() {
        assert_eq!(
            proxy_for(&Proxies::from_env(&Env::from_pairs::<&str, &str>([])), "https://a/"),
            None
        );
        let cgi = Env::from_pairs([("REQUEST_METHOD", "GET"), ("HTTP_PROXY", "http://attacker:1")]);
        assert_eq!(proxy_for(&Proxies::from_env(&cgi), "http://a/"), None);
        assert_eq!(proxy_for(&Proxies::none(), "http://a/"), None);
    }

    #[test]
    fn credentials_go_to_plain_http_requests_only_and_never_into_debug() {
        let env = Env::from_pairs([("ALL_PROXY", "http://user:pa%24%24word@proxy:3128")]);
        let proxies = Proxies::from_env(&env);
        let auth = proxies
            .authorization(&uri("http://example.com/"))
            .expect("basic credentials");
        // base64("user:pa$$word")
        assert_eq!(auth, "Basic dXNlcjpwYSQkd29yZA==");
        assert!(auth.is_sensitive());
        assert_eq!(proxies.authorization(&uri("https://example.com/")), None);
        let debug = format!("{proxies:?}");
        assert!(debug.contains("proxy:3128"), "{debug}");
        assert!(
            !debug.contains("user") && !debug.contains("pa%24") && !debug.contains("dXNlcj"),
            "{debug}"
        );
    }
}
