//! Pieces the HTTP and process providers share: the default transport, bounded sends, timestamps and the JSON
//! credentials document.

use super::{Credentials, CredentialsError};
use crate::env::Env;
use crate::transport::{
    is_http_url, HttpRequest, HttpResponse, HttpsTransport, Transport, TransportError, TransportErrorKind,
};
use aws_smithy_types::date_time::{DateTime, Format};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

/// The transport a provider uses: the one it was given, or an [`HttpsTransport`] built on first use.
#[derive(Debug, Clone)]
pub(crate) struct TransportSlot {
    given: Option<Arc<dyn Transport>>,
    built: Arc<OnceLock<Arc<dyn Transport>>>,
    connect_timeout: Duration,
    proxy_env: Option<Env>,
}

impl TransportSlot {
    /// An [`HttpsTransport`] with this connect timeout, using the proxies `proxy_env` names; `None` for link-local
    /// metadata services, which must never be reached through a proxy.
    pub(crate) fn default_with(connect_timeout: Duration, proxy_env: Option<Env>) -> Self {
        TransportSlot {
            given: None,
            built: Arc::default(),
            connect_timeout,
            proxy_env,
        }
    }

    /// Use `transport` instead of the default.
    pub(crate) fn set(&mut self, transport: Arc<dyn Transport>) {
        self.given = Some(transport);
    }

    /// Read the default transport's proxy variables from `env` (a slot that never uses a proxy keeps not using
    /// one).
    pub(crate) fn set_proxy_env(&mut self, env: Env) {
        if self.proxy_env.is_some() {
            self.proxy_env = Some(env);
        }
    }

    pub(crate) fn get(&self, source: &str) -> Result<Arc<dyn Transport>, CredentialsError> {
        if let Some(t) = &self.given {
            return Ok(t.clone());
        }
        if let Some(t) = self.built.get() {
            return Ok(t.clone());
        }
        let builder = HttpsTransport::builder().connect_timeout(self.connect_timeout);
        let builder = match &self.proxy_env {
            Some(env) => builder.proxy_env(env.clone()),
            None => builder.no_proxy(),
        };
        let transport: Arc<dyn Transport> = Arc::new(
            builder
                .build()
                .map_err(|e| CredentialsError::failed(source, format!("cannot build HTTP client: {e}")))?,
        );
        Ok(self.built.get_or_init(|| transport).clone())
    }
}

/// Sends `request`, giving up after `timeout` whatever the transport does.
pub(crate) async fn send_bounded(
    transport: &dyn Transport,
    request: HttpRequest,
    timeout: Duration,
) -> Result<HttpResponse, TransportError> {
    match tokio::time::timeout(timeout, transport.send(request)).await {
        Ok(result) => result,
        Err(_) => Err(TransportError {
            kind: TransportErrorKind::Timeout,
            message: format!("no response within {} ms", timeout.as_millis()),
        }),
    }
}

/// Sends the request `make` builds up to `attempts` times, retrying transport failures and 5xx responses. Returns
/// the last response or failure.
pub(crate) async fn send_with_retries(
    transport: &dyn Transport,
    make: impl Fn() -> HttpRequest,
    timeout: Duration,
    attempts: u32,
) -> Result<HttpResponse, TransportError> {
    let mut attempt = 1;
    loop {
        let result = send_bounded(transport, make(), timeout).await;
        let retry = match &result {
            Ok(response) => response.status >= 500,
            Err(_) => true,
        };
        if !retry || attempt >= attempts {
            return result;
        }
        attempt += 1;
    }
}

/// An RFC 3339 timestamp (`2026-01-01T00:00:00Z`, offsets allowed).
pub(crate) fn parse_timestamp(value: &str) -> Option<SystemTime> {
    let parsed = DateTime::from_str(value.trim(), Format::DateTimeWithOffset).ok()?;
    SystemTime::try_from(parsed).ok()
}

/// A JSON object from `body`. The error never quotes the body: it may hold a secret.
pub(crate) fn json_object(
    source: &str,
    body: &[u8],
) -> Result<serde_json::Map<String, serde_json::Value>, CredentialsError> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(_) => Err(CredentialsError::failed(source, "response is JSON but not an object")),
        Err(e) => Err(CredentialsError::failed(
            source,
            format!(
                "response is not valid JSON ({:?} error at line {} column {})",
                e.classify(),
                e.line(),
                e.column()
            ),
        )),
    }
}

/// Credentials from the usual JSON fields; the session token is read from `token_field` (`Token` or
/// `SessionToken`), the expiry from an optional RFC 3339 `Expiration`.
pub(crate) fn json_credentials(
    source: &str,
    object: &serde_json::Map<String, serde_json::Value>,
    token_field: &str,
) -> Result<Credentials, CredentialsError> {
    let string = |field: &str| -> Result<Option<String>, CredentialsError> {
        match object.get(field) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(CredentialsError::failed(source, format!("`{field}` is not a string"))),
        }
    };
    let required = |field: &str| -> Result<String, CredentialsError> {
        string(field)?
            .filter(|s| !s.is_empty())
            .ok_or_else(|| CredentialsError::failed(source, format!("response has no `{field}`")))
    };
    let mut creds = Credentials::new(
        required("AccessKeyId")?,
        required("SecretAccessKey")?,
        string(token_field)?,
    );
    if let Some(expiration) = string("Expiration")? {
        let expiry = parse_timestamp(&expiration).ok_or_else(|| {
            CredentialsError::failed(
                source,
                format!("`Expiration` is not an RFC 3339 timestamp: {expiration:?}"),
            )
        })?;
        creds = creds.with_expiry(expiry);
    }
    Ok(creds)
}

/// The endpoint as a normalised absolute http(s) URL with a host: the signer cannot sign anything else, and a
/// credential request must not go anywhere else. Normalised as a browser would: scheme and host in lower case, the
/// scheme's default port dropped, an empty path made `/`.
pub(crate) fn check_endpoint(url: &str) -> Result<String, String> {
    let invalid = || format!("endpoint {url:?} is not an http(s) URL with a host");
    let uri: http::Uri = url.parse().map_err(|_| invalid())?;
    let (Some(scheme), Some(authority), true) = (uri.scheme_str(), uri.authority(), is_http_url(&uri)) else {
        return Err(invalid());
    };
    let default_port = if scheme == "https" { 443 } else { 80 };
    let host = authority.host();
    let mut out = format!("{scheme}://");
    if let Some((user_info, _)) = authority.as_str().rsplit_once('@') {
        out.push_str(user_info);
        out.push('@');
    }
    out.push_str(&host.to_ascii_lowercase());
    if let Some(port) = authority.port_u16().filter(|&p| p != default_port) {
        out.push_str(&format!(":{port}"));
    }
    match uri.path_and_query().map(|p| p.as_str()) {
        Some(p) if p.starts_with('/') => out.push_str(p),
        Some(p) => {
            out.push('/');
            out.push_str(p);
        }
        None => out.push('/'),
    }
    Ok(out)
}

/// `text` with every byte outside the RFC 3986 unreserved set percent-encoded.
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// At most `max` characters of `text`, for error messages quoting a server or a process.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn timestamps_with_and_without_offsets() {
        let z = parse_timestamp("2026-01-01T00:00:00Z").unwrap();
        assert_eq!(z, UNIX_EPOCH + Duration::from_secs(1_767_225_600));
        assert_eq!(parse_timestamp("2026-01-01T01:00:00+01:00"), Some(z));
        assert_eq!(parse_timestamp("tomorrow"), None);
    }

    #[test]
    fn missing_fields_are_named_and_values_never_quoted() {
        let object = json_object("t", br#"{"AccessKeyId":"AKID","SecretAccessKey":5}"#).unwrap();
        let err = json_credentials("t", &object, "Token").unwrap_err().to_string();
        assert!(err.contains("`SecretAccessKey` is not a string"), "{err}");
        let err = json_object("t", br#"{"SecretAccessKey":"hunter2"#)
            .unwrap_err()
            .to_string();
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn endpoints_must_be_http_urls_with_a_host() {
        assert!(check_endpoint("file:///etc/passwd").is_err());
        assert!(check_endpoint("http://").is_err());
        assert!(check_endpoint("/relative").is_err());
        assert!(check_endpoint("ftp://example.com/").is_err());
        assert!(check_endpoint("http://exa mple.com/").is_err());
        assert!(check_endpoint("http://example.com:99999/").is_err());
        assert_eq!(
            check_endpoint("HTTP://Example.com:443/").as_deref(),
            Ok("http://example.com:443/")
        );
        assert_eq!(
            check_endpoint("https://STS.example.com:443").as_deref(),
            Ok("https://sts.example.com/")
        );
        assert_eq!(
            check_endpoint("http://127.0.0.1:8080/sts/?x=1").as_deref(),
            Ok("http://127.0.0.1:8080/sts/?x=1")
        );
        assert_eq!(check_endpoint("http://[::1]:80/").as_deref(), Ok("http://[::1]/"));
    }

    #[test]
    fn truncate_counts_characters() {
        assert_eq!(truncate("héllo", 2), "hé...");
        assert_eq!(truncate(" ok \n", 10), "ok");
    }
}
