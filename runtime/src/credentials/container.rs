//! Credentials from a container credentials endpoint: ECS task roles and EKS Pod Identity.
//!
//! - `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (wins when both are set): `http://169.254.170.2{uri}` (ECS).
//! - `AWS_CONTAINER_CREDENTIALS_FULL_URI`: any `https` URL, or plain `http` only to a loopback address
//!   (`127.0.0.0/8`, `::1`, `localhost`) or the EKS Pod Identity agent (`169.254.170.23`, `fd00:ec2::23`).
//! - The `Authorization` header comes from the file `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every call,
//!   and preferred) or from `AWS_CONTAINER_AUTHORIZATION_TOKEN`.

use super::common::{json_credentials, json_object, send_with_retries, truncate, TransportSlot};
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::env::Env;
use crate::time::BoxFuture;
use crate::transport::{HttpRequest, Transport};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;

const SOURCE: &str = "container credentials endpoint";
const ECS_HOST: &str = "http://169.254.170.2";
const EKS_IPV4: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 23);
const EKS_IPV6: Ipv6Addr = Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23);

/// Reads the container credentials variables from an [`Env`] on each call and fetches credentials from the
/// endpoint they name. Not configured when neither URI variable is set.
#[derive(Debug, Clone)]
pub struct ContainerProvider {
    env: Env,
    transport: TransportSlot,
    timeout: Duration,
    attempts: u32,
}

impl ContainerProvider {
    /// Reads `env`. Each request times out after 2 s; failed requests are tried up to 2 times.
    pub fn from_env(env: Env) -> Self {
        ContainerProvider {
            env,
            transport: TransportSlot::default_with(Duration::from_secs(1), None),
            timeout: Duration::from_secs(2),
            attempts: 2,
        }
    }

    /// Sends requests through `transport` instead of the default
    /// [`HttpsTransport`](crate::transport::HttpsTransport), which never uses a proxy.
    pub fn with_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport.set(transport);
        self
    }

    /// Gives up on a request after `timeout` (each of the attempts), instead of 2 s.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The URL to fetch, from the environment.
    fn url(&self) -> Result<String, CredentialsError> {
        if let Some(relative) = self.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            if !relative.starts_with('/') {
                return Err(CredentialsError::failed(
                    SOURCE,
                    format!("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI {relative:?} does not start with `/`"),
                ));
            }
            return Ok(format!("{ECS_HOST}{relative}"));
        }
        match self.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            Some(full) => check_full_uri(&full)
                .map(|()| full)
                .map_err(|reason| CredentialsError::failed(SOURCE, reason)),
            None => Err(CredentialsError::not_configured(
                SOURCE,
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
            )),
        }
    }

    /// The `Authorization` value: the token file wins over the variable.
    async fn authorization(&self) -> Result<Option<String>, CredentialsError> {
        let token = match self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(path) => tokio::fs::read_to_string(&path).await.map_err(|e| {
                CredentialsError::failed(
                    SOURCE,
                    format!("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}: {e}"),
                )
            })?,
            None => match self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
                Some(token) => token,
                None => return Ok(None),
            },
        };
        let token = token.trim();
        // Never quote the token: it is a secret.
        if token.chars().any(|c| c.is_control()) {
            return Err(CredentialsError::failed(
                SOURCE,
                "the authorization token contains control characters",
            ));
        }
        Ok(Some(token.to_owned()))
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let url = self.url()?;
        let authorization = self.authorization().await?;
        let make = || {
            let mut headers = vec![("accept".to_owned(), "application/json".to_owned())];
            if let Some(token) = &authorization {
                headers.push(("authorization".to_owned(), token.clone()));
            }
            HttpRequest {
                method: "GET".to_owned(),
                url: url.clone(),
                headers,
                body: Vec::new(),
            }
        };
        let transport = self.transport.get(SOURCE)?;
        let response = send_with_retries(transport.as_ref(), make, self.timeout, self.attempts)
            .await
            .map_err(|e| CredentialsError::failed(SOURCE, format!("calling {url}: {e}")))?;
        if response.status != 200 {
            let body = truncate(&String::from_utf8_lossy(&response.body), 300);
            return Err(CredentialsError::failed(
                SOURCE,
                format!("{url} answered HTTP {}: {body}", response.status),
            ));
        }
        json_credentials(SOURCE, &json_object(SOURCE, &response.body)?, "Token")
    }
}

/// `https` anywhere; `http` only to loopback or the EKS Pod Identity agent, so that credentials never cross a
/// network in the clear.
fn check_full_uri(uri: &str) -> Result<(), String> {
    let url: http::Uri = uri
        .parse()
        .map_err(|e| format!("AWS_CONTAINER_CREDENTIALS_FULL_URI {uri:?} is not a URL: {e}"))?;
    // `host` leaves out any user info and port, and keeps an IPv6 literal's brackets.
    let host = url.host().unwrap_or("");
    let allowed = match url.scheme_str().map(str::to_ascii_lowercase).as_deref().unwrap_or("") {
        "https" => !host.is_empty(),
        "http" => match host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
            Ok(IpAddr::V4(ip)) => ip.is_loopback() || ip == EKS_IPV4,
            Ok(IpAddr::V6(ip)) => allowed_ipv6(ip),
            Err(_) => host.eq_ignore_ascii_case("localhost"),
        },
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI {uri:?} is not allowed: it must be https, or http to a loopback \
             address, 169.254.170.23 or fd00:ec2::23"
        ))
    }
}

fn allowed_ipv6(ip: Ipv6Addr) -> bool {
    ip.is_loopback() || ip == EKS_IPV6 || matches!(ip.to_ipv4_mapped(), Some(v4) if v4.is_loopback() || v4 == EKS_IPV4)
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_uri_rules() {
        for ok in [
            "https://example.com/creds",
            "http://127.0.0.1:8080/creds",
            "http://127.1.2.3/x",
            "http://[::1]:80/x",
            "http://LOCALHOST/x",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
            "http://[::ffff:127.0.0.1]/x",
            "HTTP://127.0.0.1/x",
            "http://user@127.0.0.1/x",
        ] {
            assert!(check_full_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/creds",
            "http://169.254.170.2/x",
            "http://127.0.0.1.evil.example/x",
            "http://evil.example#@127.0.0.1/",
            "http://127.0.0.1@evil.example/",
            "http://127.0.0.1:80@evil.example/",
            "http://evil.example?@127.0.0.1/",
            "http://[::2]/x",
            "https:///x",
            "//127.0.0.1/x",
            "http://10.0.0.1/x",
            "ftp://127.0.0.1/x",
            "file:///etc/passwd",
            "not a url",
        ] {
            assert!(check_full_uri(bad).is_err(), "{bad}");
        }
    }
}
