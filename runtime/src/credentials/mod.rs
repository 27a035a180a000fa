//! Credentials and the providers that find them.
//!
//! [`ProvideCredentials`] is the one extension point: anything that can produce [`Credentials`] asynchronously
//! plugs into the client. [`CredentialsChain`] tries providers in order and, when none is configured, reports
//! every place it looked.
//!
//! | provider | source |
//! | --- | --- |
//! | [`EnvironmentProvider`] | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` |
//! | [`WebIdentityProvider`] | a web identity token file, exchanged through STS |
//! | [`AssumeRoleProvider`] | a role, assumed through STS with another provider's credentials |
//! | [`ProcessProvider`] | the output of a `credential_process` command |
//! | [`ContainerProvider`] | the ECS / EKS Pod Identity container credentials endpoint |
//! | [`SsoProvider`] | IAM Identity Center (SSO): the token `aws sso login` cached, exchanged at the SSO portal |
//! | [`ImdsProvider`] | the EC2 instance metadata service (IMDSv2) |
//! | [`CachingProvider`] | any of the above, cached until shortly before expiry |
//! | [`DefaultChain`] | all of the above, in the order the AWS SDKs use, with the shared config files' profiles |

mod assume_role;
mod cache;
mod chain;
mod common;
mod container;
mod default_chain;
mod environment;
mod imds;
mod process;
pub mod sso;
pub mod sts;
mod web_identity;

pub use assume_role::AssumeRoleProvider;
pub use cache::CachingProvider;
pub use chain::CredentialsChain;
pub use container::ContainerProvider;
pub use default_chain::{default_provider, DefaultChain};
pub use environment::EnvironmentProvider;
pub use imds::ImdsProvider;
pub use process::ProcessProvider;
pub use sso::{SsoError, SsoProvider};
pub use sts::StsClient;
pub use web_identity::WebIdentityProvider;

use crate::time::BoxFuture;

use aws_smithy_runtime_api::client::identity::Identity;
use std::fmt;
use std::time::SystemTime;

/// AWS access keys, with an optional session token and expiry.
///
/// `Debug` and `Display` never show the secret key or the session token. Cloning is cheap (the keys are shared,
/// and wiped from memory when the last clone goes), and the signer's view of the keys is made once, here, not
/// on every request.
#[derive(Clone)]
pub struct Credentials {
    keys: aws_credential_types::Credentials,
    /// `keys` as aws-sigv4 takes them.
    identity: Identity,
}

impl Credentials {
    /// Long-lived keys, or temporary ones when `session_token` is given.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self::from_keys(access_key_id.into(), secret_access_key.into(), session_token, None)
    }

    fn from_keys(
        access_key_id: String,
        secret_access_key: String,
        session_token: Option<String>,
        expiry: Option<SystemTime>,
    ) -> Self {
        let keys = aws_credential_types::Credentials::new(
            access_key_id,
            secret_access_key,
            session_token,
            expiry,
            "lean-aws-runtime",
        );
        let identity = Identity::from(keys.clone());
        Credentials { keys, identity }
    }

    /// The same credentials, valid until `expiry`.
    pub fn with_expiry(self, expiry: SystemTime) -> Self {
        Self::from_keys(
            self.access_key_id().to_owned(),
            self.secret_access_key().to_owned(),
            self.session_token().map(str::to_owned),
            Some(expiry),
        )
    }

    /// The access key id (not secret).
    pub fn access_key_id(&self) -> &str {
        self.keys.access_key_id()
    }

    /// The secret access key. Never log it.
    pub fn secret_access_key(&self) -> &str {
        self.keys.secret_access_key()
    }

    /// The session token of temporary credentials. Never log it.
    pub fn session_token(&self) -> Option<&str> {
        self.keys.session_token()
    }

    /// When these credentials stop working, if they expire.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.keys.expiry()
    }

    /// The keys as aws-sigv4 signs with them.
    pub(crate) fn identity(&self) -> &Identity {
        &self.identity
    }
}

impl PartialEq for Credentials {
    fn eq(&self, other: &Self) -> bool {
        self.keys == other.keys
    }
}

impl Eq for Credentials {}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id())
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token().map(|_| "** redacted **"))
            .field("expiry", &self.expiry())
            .finish()
    }
}

/// Something that can produce credentials: a fixed set, the environment, a profile, a metadata service...
///
/// The client asks once per attempt, so a provider that calls a service should be wrapped in a
/// [`CachingProvider`] (the [`DefaultChain`] is). `Debug` must not show secrets.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Produce credentials, or say why not: [`CredentialsError::NotConfigured`] (or a nested chain's
    /// [`NoneFound`](CredentialsError::NoneFound)) lets a [`CredentialsChain`] try its next provider; any other
    /// error ends the chain.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

/// Fixed credentials provide themselves.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let creds = self.clone();
        Box::pin(async move { Ok(creds) })
    }
}

/// Why credentials could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsError {
    /// This source is not set up here (for example its variables are unset); a chain moves on to the next.
    NotConfigured {
        /// The source, e.g. `environment`.
        source: String,
        /// What was missing.
        reason: String,
    },
    /// The source is set up but failed; a chain stops here rather than silently using another source.
    Failed {
        /// The source, e.g. `profile "dev"`.
        source: String,
        /// What went wrong.
        reason: String,
    },
    /// No source in the chain was configured. Lists each source tried and why it did not apply.
    NoneFound {
        /// `(source, reason)` for every source tried, in order.
        tried: Vec<(String, String)>,
    },
    /// A profile's SSO sign-in gave no credentials; [`SsoError::LoginRequired`] means `aws sso login` is due.
    Sso(SsoError),
}

impl CredentialsError {
    /// [`NotConfigured`](Self::NotConfigured): `source` does not apply here, for `reason`.
    pub fn not_configured(source: impl Into<String>, reason: impl Into<String>) -> Self {
        CredentialsError::NotConfigured {
            source: source.into(),
            reason: reason.into(),
        }
    }

    /// [`Failed`](Self::Failed): `source` applies but failed, for `reason`.
    pub fn failed(source: impl Into<String>, reason: impl Into<String>) -> Self {
        CredentialsError::Failed {
            source: source.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsError::NotConfigured { source, reason } => {
                write!(f, "no credentials from {source}: {reason}")
            }
            CredentialsError::Failed { source, reason } => {
                write!(f, "loading credentials from {source} failed: {reason}")
            }
            CredentialsError::NoneFound { tried } => {
                f.write_str("no AWS credentials found; looked in: ")?;
                for (i, (source, reason)) in tried.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{source} ({reason})")?;
                }
                Ok(())
            }
            CredentialsError::Sso(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for CredentialsError {}
