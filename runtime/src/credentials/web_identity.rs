//! Credentials from an OIDC web identity token exchanged through STS `AssumeRoleWithWebIdentity` (EKS IRSA,
//! GitHub Actions, ...).

use super::sts::StsClient;
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::clock::{Clock, SystemClock};
use crate::env::Env;
use crate::time::BoxFuture;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::UNIX_EPOCH;

const SOURCE: &str = "web identity token";

/// Exchanges the token in a file for role credentials. The file is read on every call, as the platform rotates it.
///
/// Built either from plain values ([`WebIdentityProvider::new`], what a profile feeds it) or from
/// `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME` ([`WebIdentityProvider::from_env`]).
#[derive(Debug, Clone)]
pub struct WebIdentityProvider {
    origin: Origin,
    session_name: Option<String>,
    sts: StsClient,
    clock: Arc<dyn Clock>,
}

#[derive(Debug, Clone)]
enum Origin {
    Fixed { token_file: PathBuf, role_arn: String },
    Env(Env),
}

/// What one call needs, wherever it came from.
struct Settings {
    token_file: PathBuf,
    role_arn: String,
    session_name: Option<String>,
}

impl WebIdentityProvider {
    /// Assumes `role_arn` with the token in `token_file`, through `sts`.
    pub fn new(token_file: impl Into<PathBuf>, role_arn: impl Into<String>, sts: StsClient) -> Self {
        WebIdentityProvider {
            origin: Origin::Fixed {
                token_file: token_file.into(),
                role_arn: role_arn.into(),
            },
            session_name: None,
            sts,
            clock: Arc::new(SystemClock),
        }
    }

    /// Reads `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME` from `env` on each call, and
    /// STS's region and endpoint as [`StsClient::from_env`] does. Not configured when the token file variable is
    /// unset; failed when it is set without a role.
    pub fn from_env(env: Env) -> Self {
        WebIdentityProvider {
            sts: StsClient::from_env(&env),
            origin: Origin::Env(env),
            session_name: None,
            clock: Arc::new(SystemClock),
        }
    }

    /// Names the session; otherwise `AWS_ROLE_SESSION_NAME` (from the environment) or `lean-aws-<unix millis>`.
    pub fn with_session_name(mut self, session_name: impl Into<String>) -> Self {
        self.session_name = Some(session_name.into());
        self
    }

    /// Calls STS through `sts` (endpoint, region, transport).
    pub fn with_sts(mut self, sts: StsClient) -> Self {
        self.sts = sts;
        self
    }

    /// Reads the time for the default session name from `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    fn settings(&self) -> Result<Settings, CredentialsError> {
        match &self.origin {
            Origin::Fixed { token_file, role_arn } => Ok(Settings {
                token_file: token_file.clone(),
                role_arn: role_arn.clone(),
                session_name: self.session_name.clone(),
            }),
            Origin::Env(env) => {
                let token_file = env.get("AWS_WEB_IDENTITY_TOKEN_FILE").ok_or_else(|| {
                    CredentialsError::not_configured(SOURCE, "AWS_WEB_IDENTITY_TOKEN_FILE is not set")
                })?;
                let role_arn = env.get("AWS_ROLE_ARN").ok_or_else(|| {
                    CredentialsError::failed(SOURCE, "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
                })?;
                Ok(Settings {
                    token_file: token_file.into(),
                    role_arn,
                    session_name: self.session_name.clone().or_else(|| env.get("AWS_ROLE_SESSION_NAME")),
                })
            }
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let settings = self.settings()?;
        let token = tokio::fs::read_to_string(&settings.token_file).await.map_err(|e| {
            CredentialsError::failed(
                SOURCE,
                format!("cannot read the token file {}: {e}", settings.token_file.display()),
            )
        })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(CredentialsError::failed(
                SOURCE,
                format!("the token file {} is empty", settings.token_file.display()),
            ));
        }
        let session_name = settings
            .session_name
            .unwrap_or_else(|| default_session_name(self.clock.as_ref()));
        self.sts
            .assume_role_with_web_identity(&settings.role_arn, &session_name, token)
            .await
    }
}

/// `lean-aws-<unix millis>`, unique enough per process and readable in CloudTrail.
pub(crate) fn default_session_name(clock: &dyn Clock) -> String {
    let millis = clock
        .now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    format!("lean-aws-{millis}")
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}
