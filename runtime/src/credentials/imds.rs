//! Credentials of the EC2 instance profile, from the instance metadata service (IMDSv2 only).
//!
//! 1. `PUT /latest/api/token` with `x-aws-ec2-metadata-token-ttl-seconds: 21600` gets a session token;
//! 2. `GET /latest/meta-data/iam/security-credentials/` names the role (first line);
//! 3. `GET /latest/meta-data/iam/security-credentials/{role}` returns the credentials as JSON.
//!
//! Steps 2 and 3 send the token in `x-aws-ec2-metadata-token`. There is deliberately no fallback to IMDSv1.

use super::common::{json_credentials, json_object, send_with_retries, truncate, TransportSlot};
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::env::Env;
use crate::time::BoxFuture;
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use std::sync::Arc;
use std::time::Duration;

const SOURCE: &str = "EC2 instance metadata";
const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
const TOKEN_PATH: &str = "/latest/api/token";
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";

/// Fetches the instance profile's credentials from IMDSv2.
///
/// Not configured when `AWS_EC2_METADATA_DISABLED=true`, when the service cannot be reached at all (not on EC2), or
/// when the instance has no role. Each request times out after 1 s and is tried up to 3 times.
#[derive(Debug, Clone)]
pub struct ImdsProvider {
    env: Env,
    endpoint: Option<String>,
    transport: TransportSlot,
    timeout: Duration,
    attempts: u32,
}

impl ImdsProvider {
    /// Reads `AWS_EC2_METADATA_DISABLED` and `AWS_EC2_METADATA_SERVICE_ENDPOINT` from `env` on each call.
    pub fn from_env(env: Env) -> Self {
        ImdsProvider {
            env,
            endpoint: None,
            transport: TransportSlot::default_with(Duration::from_secs(1), None),
            timeout: Duration::from_secs(1),
            attempts: 3,
        }
    }

    /// Calls `endpoint` (e.g. `http://[fd00:ec2::254]`) whatever the environment says.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sends requests through `transport` instead of the default
    /// [`HttpsTransport`](crate::transport::HttpsTransport), which never uses a proxy.
    pub fn with_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport.set(transport);
        self
    }

    /// Gives up on a request after `timeout` (each of the attempts), instead of 1 s.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The base URL, without a trailing slash.
    fn endpoint(&self) -> String {
        let endpoint = self
            .endpoint
            .clone()
            .or_else(|| self.env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT"));
        endpoint
            .as_deref()
            .unwrap_or(DEFAULT_ENDPOINT)
            .trim_end_matches('/')
            .to_owned()
    }

    async fn send(
        &self,
        transport: &dyn Transport,
        method: &str,
        url: &str,
        header: (&str, &str),
    ) -> Result<HttpResponse, TransportError> {
        let make = || HttpRequest {
            method: method.to_owned(),
            url: url.to_owned(),
            headers: vec![(header.0.to_owned(), header.1.to_owned())],
            body: Vec::new(),
        };
        send_with_retries(transport, make, self.timeout, self.attempts).await
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        if self
            .env
            .get("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            return Err(CredentialsError::not_configured(
                SOURCE,
                "AWS_EC2_METADATA_DISABLED is true",
            ));
        }
        let endpoint = self.endpoint();
        let transport = self.transport.get(SOURCE)?;
        let fail = |reason: String| CredentialsError::failed(SOURCE, reason);

        // 1. Session token. Unreachable means we are not on EC2: let the chain move on.
        let url = format!("{endpoint}{TOKEN_PATH}");
        let response = self
            .send(
                transport.as_ref(),
                "PUT",
                &url,
                ("x-aws-ec2-metadata-token-ttl-seconds", "21600"),
            )
            .await
            .map_err(|e| CredentialsError::not_configured(SOURCE, format!("{endpoint} is not reachable: {e}")))?;
        match response.status {
            200 => {}
            403 => {
                return Err(fail(format!(
                    "{url} refused a token (HTTP 403); is IMDS disabled for this instance?"
                )))
            }
            status => return Err(fail(format!("{url} answered HTTP {status} to the token request"))),
        }
        let token = String::from_utf8_lossy(&response.body).trim().to_owned();
        if token.is_empty() || token.chars().any(|c| c.is_control()) {
            return Err(fail(format!("{url} returned an unusable token")));
        }

        // 2. The role name.
        let url = format!("{endpoint}{CREDENTIALS_PATH}");
        let response = self
            .send(transport.as_ref(), "GET", &url, (TOKEN_HEADER, &token))
            .await
            .map_err(|e| fail(format!("calling {url}: {e}")))?;
        let role = match response.status {
            200 => String::from_utf8_lossy(&response.body)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_owned(),
            404 => String::new(),
            status => return Err(fail(format!("{url} answered HTTP {status}"))),
        };
        if role.is_empty() {
            return Err(CredentialsError::not_configured(
                SOURCE,
                "this instance has no IAM role attached",
            ));
        }
        if !role.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)) {
            return Err(fail(format!(
                "{url} returned an invalid role name {:?}",
                truncate(&role, 64)
            )));
        }

        // 3. The credentials.
        let url = format!("{endpoint}{CREDENTIALS_PATH}{role}");
        let response = self
            .send(transport.as_ref(), "GET", &url, (TOKEN_HEADER, &token))
            .await
            .map_err(|e| fail(format!("calling {url}: {e}")))?;
        if response.status != 200 {
            return Err(fail(format!("{url} answered HTTP {}", response.status)));
        }
        let object = json_object(SOURCE, &response.body)?;
        match object.get("Code").and_then(|c| c.as_str()) {
            Some("Success") | None => {}
            Some(code) => return Err(fail(format!("{url} reports Code {:?}", truncate(code, 64)))),
        }
        json_credentials(SOURCE, &object, "Token")
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}
