//! Credentials for a role, assumed through STS `AssumeRole` with credentials from another provider.

use super::sts::{AssumeRoleRequest, StsClient};
use super::web_identity::default_session_name;
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::clock::{Clock, SystemClock};
use crate::time::BoxFuture;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Assumes `role_arn` with the credentials `source` provides (a profile's `source_profile` or
/// `credential_source`). Wrap it in a [`CachingProvider`](super::CachingProvider): every call goes to STS.
#[derive(Clone)]
pub struct AssumeRoleProvider {
    role_arn: String,
    session_name: Option<String>,
    external_id: Option<String>,
    duration: Option<Duration>,
    source: Arc<dyn ProvideCredentials>,
    sts: StsClient,
    clock: Arc<dyn Clock>,
}

impl AssumeRoleProvider {
    /// Assumes `role_arn` through `sts`, signing with the credentials from `source`.
    pub fn new(role_arn: impl Into<String>, source: Arc<dyn ProvideCredentials>, sts: StsClient) -> Self {
        AssumeRoleProvider {
            role_arn: role_arn.into(),
            session_name: None,
            external_id: None,
            duration: None,
            source,
            sts,
            clock: Arc::new(SystemClock),
        }
    }

    /// Names the session (`role_session_name`); otherwise `lean-aws-<unix millis>`.
    pub fn with_session_name(mut self, session_name: impl Into<String>) -> Self {
        self.session_name = Some(session_name.into());
        self
    }

    /// Sends the external id the role's trust policy requires.
    pub fn with_external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    /// Asks for credentials lasting `duration` (`duration_seconds`).
    pub fn with_duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// Reads the time for the default session name from `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    fn source_name(&self) -> String {
        format!("assume role {}", self.role_arn)
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        // The role is configured, so a missing source is a failure, not a reason to move on.
        let source_creds = self.source.provide_credentials().await.map_err(|e| {
            CredentialsError::failed(
                self.source_name(),
                format!("no source credentials to assume the role with: {e}"),
            )
        })?;
        let request = AssumeRoleRequest {
            role_arn: self.role_arn.clone(),
            session_name: self
                .session_name
                .clone()
                .unwrap_or_else(|| default_session_name(self.clock.as_ref())),
            external_id: self.external_id.clone(),
            duration: self.duration,
        };
        self.sts.assume_role(&request, &source_creds).await
    }
}

impl fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProvider")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("external_id", &self.external_id.as_ref().map(|_| "** redacted **"))
            .field("duration", &self.duration)
            .field("source", &self.source)
            .field("sts", &self.sts)
            .finish()
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}
