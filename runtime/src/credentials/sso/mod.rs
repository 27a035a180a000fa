//! Credentials from AWS IAM Identity Center (SSO), as the AWS CLI gets them after `aws sso login`.
//!
//! A profile uses SSO in one of two forms; both also give `sso_account_id` and `sso_role_name`:
//!
//! ```ini
//! [profile dev]                          # the sso-session form
//! sso_session = my-sso
//! sso_account_id = 123456789012
//! sso_role_name = Admin
//!
//! [sso-session my-sso]
//! sso_start_url = https://d-abc123.awsapps.com/start
//! sso_region = eu-west-1
//! sso_registration_scopes = sso:account:access
//!
//! [profile legacy]                       # the legacy form
//! sso_start_url = https://d-abc123.awsapps.com/start
//! sso_region = eu-west-1
//! sso_account_id = 123456789012
//! sso_role_name = Admin
//! ```
//!
//! The provider reads the access token `aws sso login` cached in `~/.aws/sso/cache/` ([`cache_file_name`]),
//! refreshes it when it expires within [`REFRESH_WINDOW`] and writes it back, and exchanges it for role
//! credentials with the SSO portal's `GetRoleCredentials` (`GET /federation/credentials?role_name=..&account_id=..`
//! with the token in `x-amz-sso_bearer_token`, no SigV4) at `https://portal.sso.<sso_region>.amazonaws.com`.
//! Refreshes go to SSO-OIDC `CreateToken` at `https://oidc.<sso_region>.amazonaws.com`. `AWS_ENDPOINT_URL_SSO` / `AWS_ENDPOINT_URL_SSO_OIDC` (or
//! `AWS_ENDPOINT_URL`, or the profile's `services` section keys `sso` / `sso_oidc`) replace those endpoints.
//! `sso_registration_scopes` matters to `aws sso login` only.
//!
//! When the token is missing, or expired and not refreshable, the error names the profile and says to run
//! `aws sso login --profile NAME`. No token, refresh token or client secret ever appears in an error, a log line
//! or `Debug` output.

mod token;

pub use token::{cache_file_name, MIN_TIME_BETWEEN_REFRESHES, REFRESH_WINDOW};

use super::common::{check_endpoint, percent_encode, send_bounded, truncate, TransportSlot};
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::clock::{Clock, SystemClock};
use crate::env::Env;
use crate::profile::{Platform, ProfileSet};
use crate::time::BoxFuture;
use crate::transport::{HttpRequest, HttpResponse, Transport};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use token::{CachedToken, TokenFailure, TokenSource};

/// The keys that make a profile an SSO profile.
const SSO_KEYS: [&str; 5] = [
    "sso_session",
    "sso_start_url",
    "sso_region",
    "sso_account_id",
    "sso_role_name",
];

/// The header that carries the access token to the portal.
const BEARER_HEADER: &str = "x-amz-sso_bearer_token";

/// What a profile says about SSO, from either form.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SsoSettings {
    /// The profile, for messages and for `aws sso login --profile`.
    pub profile: String,
    /// The `[sso-session]` the profile names; `None` in the legacy form.
    pub session: Option<String>,
    /// `sso_start_url`: the AWS access portal URL the user signs in at; from the `[sso-session]` section when
    /// the profile names one.
    pub start_url: String,
    /// `sso_region`: where the portal and SSO-OIDC are called.
    pub region: String,
    /// `sso_account_id`: the AWS account whose role credentials are asked for.
    pub account_id: String,
    /// `sso_role_name`: the role (permission set) in that account.
    pub role_name: String,
}

impl SsoSettings {
    /// The SSO settings of profile `name` in `profiles`: `None` when it has no SSO key at all, an error naming the
    /// key when they are incomplete or contradict its `[sso-session]`.
    pub fn from_profile(profiles: &ProfileSet, name: &str) -> Result<Option<SsoSettings>, SsoError> {
        let Some(profile) = profiles.profile(name) else {
            return Ok(None);
        };
        let get = |key: &str| profile.get(key).map(str::trim).filter(|v| !v.is_empty());
        if SSO_KEYS.iter().all(|key| get(key).is_none()) {
            return Ok(None);
        }
        let invalid = |reason: String| SsoError::InvalidSettings {
            profile: name.to_owned(),
            reason,
        };
        // The values of both `keys`, or the ones that are missing.
        let both = |keys: [&'static str; 2]| match keys.map(get) {
            [Some(a), Some(b)] => Ok([a.to_owned(), b.to_owned()]),
            values => Err(keys
                .into_iter()
                .zip(values)
                .filter(|(_, value)| value.is_none())
                .map(|(key, _)| key)
                .collect::<Vec<_>>()),
        };
        let (session, start_url, region) = match get("sso_session") {
            Some(session_name) => {
                let section = profiles.sso_session(session_name).ok_or_else(|| {
                    invalid(format!(
                        "sso_session names [sso-session {session_name}], which is not in the config file"
                    ))
                })?;
                let from_section = |key: &str| {
                    let value = section
                        .get(key)
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .ok_or_else(|| invalid(format!("[sso-session {session_name}] has no {key}")))?;
                    // The CLI accepts the key in the profile too, as long as both say the same.
                    match get(key) {
                        Some(own) if own != value => Err(invalid(format!(
                            "its {key} {own:?} differs from {value:?} in [sso-session {session_name}]"
                        ))),
                        _ => Ok(value.to_owned()),
                    }
                };
                (
                    Some(session_name.to_owned()),
                    from_section("sso_start_url")?,
                    from_section("sso_region")?,
                )
            }
            None => {
                let [start_url, region] = both(["sso_start_url", "sso_region"])
                    .map_err(|missing| invalid(format!("it has no sso_session and no {}", missing.join(" or "))))?;
                (None, start_url, region)
            }
        };
        let [account_id, role_name] = both(["sso_account_id", "sso_role_name"]).map_err(|missing| {
            invalid(format!(
                "credentials need {}, which it does not set",
                missing.join(" and ")
            ))
        })?;
        Ok(Some(SsoSettings {
            profile: name.to_owned(),
            session,
            start_url,
            region,
            account_id,
            role_name,
        }))
    }

    /// What the token cache file is named after: the session name, or the start URL in the legacy form.
    pub fn cache_key(&self) -> &str {
        self.session.as_deref().unwrap_or(&self.start_url)
    }
}

/// Why SSO gave no credentials. Never holds a token or a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SsoError {
    /// The profile's SSO settings (or an SSO endpoint) cannot be used.
    InvalidSettings {
        /// The profile whose SSO settings were used.
        profile: String,
        /// What is wrong, naming the key.
        reason: String,
    },
    /// There is no usable token: the user has to sign in again with `aws sso login --profile <profile>`.
    LoginRequired {
        /// The profile whose SSO settings were used.
        profile: String,
        /// Why: no cached token, expired and not refreshable, refused by the portal...
        reason: String,
    },
    /// The token cache file could not be read, parsed or written.
    Cache {
        /// The profile whose SSO settings were used.
        profile: String,
        /// The token cache file (`~/.aws/sso/cache/<sha1>.json`, or under the cache directory set).
        path: PathBuf,
        /// What went wrong, naming the field where there is one.
        reason: String,
    },
    /// The SSO portal answered with an error, or with something that is not an answer, or not at all.
    Portal {
        /// The profile whose SSO settings were used.
        profile: String,
        /// The HTTP status, when there was a response.
        status: Option<u16>,
        /// The error code, e.g. `ForbiddenException`, when the response had one.
        code: Option<String>,
        /// What happened.
        reason: String,
    },
}

impl fmt::Display for SsoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SsoError::InvalidSettings { profile, reason } => {
                write!(
                    f,
                    "SSO credentials for profile {profile:?}: invalid SSO settings: {reason}"
                )
            }
            SsoError::LoginRequired { profile, reason } => write!(
                f,
                "SSO credentials for profile {profile:?}: {reason}; sign in again with \
                 `aws sso login --profile {profile}`"
            ),
            SsoError::Cache { profile, path, reason } => write!(
                f,
                "SSO credentials for profile {profile:?}: the token cache {} is unusable: {reason}; \
                 `aws sso login --profile {profile}` writes a new one",
                path.display()
            ),
            SsoError::Portal { profile, reason, .. } => write!(
                f,
                "SSO credentials for profile {profile:?}: GetRoleCredentials failed: {reason}"
            ),
        }
    }
}

impl std::error::Error for SsoError {}

/// Role credentials from the SSO portal, with the token `aws sso login` cached. See the module docs.
///
/// Tokens are read from the cache on each call (wrap the provider in a [`CachingProvider`](super::CachingProvider)
/// to keep the credentials, as the default chain does). Refreshes of one cache file are serialized across every
/// provider of the process, so a token is never refreshed twice at the same time.
pub struct SsoProvider {
    settings: SsoSettings,
    cache_dir: Option<PathBuf>,
    portal_endpoint: Option<String>,
    oidc_endpoint: Option<String>,
    transport: TransportSlot,
    clock: Arc<dyn Clock>,
    timeout: Duration,
}

impl SsoProvider {
    /// A provider for `settings`, with the token cache under the home directory `env` gives (`HOME`, or the
    /// Windows variables), the default endpoints, an [`HttpsTransport`](crate::transport::HttpsTransport) with the
    /// proxies `env` names, the system clock and a 10 s timeout per request.
    pub fn new(settings: SsoSettings, env: &Env) -> Self {
        let platform = Platform::current();
        let cache_dir = platform
            .home_dir(env)
            .map(|home| PathBuf::from(platform.expand_home("~/.aws/sso/cache", Some(&home))));
        SsoProvider {
            settings,
            cache_dir,
            portal_endpoint: None,
            oidc_endpoint: None,
            transport: TransportSlot::default_with(Duration::from_secs(3), Some(env.clone())),
            clock: Arc::new(SystemClock),
            timeout: Duration::from_secs(10),
        }
    }

    /// Reads and writes tokens in `dir` instead of `~/.aws/sso/cache`.
    pub fn with_cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = Some(dir.into());
        self
    }

    /// Calls the SSO portal at `endpoint` (e.g. from `AWS_ENDPOINT_URL_SSO`).
    pub fn with_portal_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.portal_endpoint = Some(endpoint.into());
        self
    }

    /// Calls SSO-OIDC at `endpoint` (e.g. from `AWS_ENDPOINT_URL_SSO_OIDC`).
    pub fn with_oidc_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.oidc_endpoint = Some(endpoint.into());
        self
    }

    /// Sends portal and SSO-OIDC requests through `transport` instead of the default
    /// [`HttpsTransport`](crate::transport::HttpsTransport).
    pub fn with_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport.set(transport);
        self
    }

    /// Reads the time (token expiry, refresh) from `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Gives up on a portal or SSO-OIDC request after `timeout`, instead of 10 s.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The profile's SSO settings this provider was built from.
    pub fn settings(&self) -> &SsoSettings {
        &self.settings
    }

    /// The token cache file: `<cache dir>/<sha1 of the cache key>.json`, if a home directory is known.
    pub fn cache_file(&self) -> Option<PathBuf> {
        let name = cache_file_name(self.settings.cache_key());
        self.cache_dir.as_ref().map(|dir| dir.join(name))
    }

    /// The SSO portal's base URL: the one set, else `https://portal.sso.<sso_region>.amazonaws.com` (`.com.cn`
    /// in China regions).
    pub fn portal_endpoint(&self) -> String {
        self.portal_endpoint
            .clone()
            .unwrap_or_else(|| regional_endpoint("portal.sso", &self.settings.region))
    }

    /// SSO-OIDC's base URL: the one set, else `https://oidc.<sso_region>.amazonaws.com` (`.com.cn` in China
    /// regions).
    pub fn oidc_endpoint(&self) -> String {
        self.oidc_endpoint
            .clone()
            .unwrap_or_else(|| regional_endpoint("oidc", &self.settings.region))
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let profile = &self.settings.profile;
        let invalid = |reason: String| {
            CredentialsError::Sso(SsoError::InvalidSettings {
                profile: profile.clone(),
                reason,
            })
        };
        let path = self.cache_file().ok_or_else(|| {
            CredentialsError::Sso(SsoError::Cache {
                profile: profile.clone(),
                path: PathBuf::from("~/.aws/sso/cache"),
                reason: "no home directory is known (HOME is not set)".into(),
            })
        })?;
        let portal = base_url(&self.portal_endpoint()).map_err(invalid)?;
        let oidc = match &self.settings.session {
            Some(_) => Some(base_url(&self.oidc_endpoint()).map_err(invalid)?),
            None => None,
        };
        let transport = self.transport.get(&format!("SSO for profile {profile:?}"))?;
        let source = TokenSource {
            profile,
            path: &path,
            oidc_endpoint: oidc.as_deref(),
            transport: transport.as_ref(),
            timeout: self.timeout,
        };
        let token = {
            // Held through read, refresh and write-back: that is what keeps refreshes of one file apart.
            let lock = refresh_lock(&path);
            let mut last_refresh = lock.lock().await;
            source.token(self.clock.now(), &mut last_refresh).await
        };
        let token = token.map_err(|failure| {
            CredentialsError::Sso(match failure {
                TokenFailure::LoginRequired(reason) => SsoError::LoginRequired {
                    profile: profile.clone(),
                    reason,
                },
                TokenFailure::Error(e) => e,
            })
        })?;
        self.role_credentials(&portal, transport.as_ref(), &token)
            .await
            .map_err(CredentialsError::Sso)
    }

    /// `GetRoleCredentials` with `token`.
    async fn role_credentials(
        &self,
        portal: &str,
        transport: &dyn Transport,
        token: &CachedToken,
    ) -> Result<Credentials, SsoError> {
        let settings = &self.settings;
        let url = format!(
            "{portal}/federation/credentials?role_name={}&account_id={}",
            percent_encode(&settings.role_name),
            percent_encode(&settings.account_id)
        );
        let request = HttpRequest {
            method: "GET".into(),
            url,
            headers: vec![
                ("accept".into(), "application/json".into()),
                (BEARER_HEADER.into(), token.access_token.clone()),
            ],
            body: Vec::new(),
        };
        let portal_error = |status: Option<u16>, code: Option<String>, reason: String| SsoError::Portal {
            profile: settings.profile.clone(),
            status,
            code,
            reason: scrub(&reason, &token.secrets()),
        };
        let response = send_bounded(transport, request, self.timeout)
            .await
            .map_err(|e| portal_error(None, None, format!("calling {portal}: {e}")))?;
        if response.status == 401 {
            return Err(SsoError::LoginRequired {
                profile: settings.profile.clone(),
                reason: format!(
                    "the SSO portal refused the cached token ({})",
                    scrub(&describe_error(&response), &token.secrets())
                ),
            });
        }
        if response.status != 200 {
            let code = error_code(&response).map(|code| scrub(&code, &token.secrets()));
            return Err(portal_error(Some(response.status), code, describe_error(&response)));
        }
        parse_role_credentials(&response.body)
            .map_err(|reason| portal_error(Some(200), None, format!("a malformed answer: {reason}")))
    }
}

impl fmt::Debug for SsoProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoProvider")
            .field("settings", &self.settings)
            .field("cache_file", &self.cache_file())
            .field("portal_endpoint", &self.portal_endpoint())
            .field("oidc_endpoint", &self.oidc_endpoint())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for SsoProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

/// The lock (and last refresh attempt) of one cache file, shared by every provider in the process.
fn refresh_lock(path: &Path) -> Arc<tokio::sync::Mutex<Option<SystemTime>>> {
    type Locks = Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<Option<SystemTime>>>>>;
    static LOCKS: OnceLock<Locks> = OnceLock::new();
    let mut locks = LOCKS
        .get_or_init(Locks::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    locks.entry(path.to_owned()).or_default().clone()
}

/// `https://<host>.<region>.amazonaws.com` (`.amazonaws.com.cn` in the China regions).
fn regional_endpoint(host: &str, region: &str) -> String {
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("https://{host}.{region}.{suffix}")
}

/// `endpoint` checked and without a trailing `/`, ready for a path.
fn base_url(endpoint: &str) -> Result<String, String> {
    Ok(check_endpoint(endpoint)?.trim_end_matches('/').to_owned())
}

/// `text` with every one of `secrets` replaced, cut to 300 characters: for quoting what a server said.
fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut text = text.to_owned();
    for secret in secrets {
        text = text.replace(secret, "** redacted **");
    }
    truncate(&text, 300)
}

/// The error code of an SSO or SSO-OIDC error response: the `x-amzn-ErrorType` header, else the body's `__type`,
/// `code` or (OAuth style) `error`, without any namespace or URI.
fn error_code(response: &HttpResponse) -> Option<String> {
    let body = serde_json::from_slice::<Value>(&response.body).ok();
    let field = |key: &str| body.as_ref()?.get(key)?.as_str().map(str::to_owned);
    let raw = response
        .header("x-amzn-errortype")
        .map(str::to_owned)
        .or_else(|| field("__type"))
        .or_else(|| field("code"))
        .or_else(|| field("error"))?;
    let code = raw.split(':').next().unwrap_or(&raw);
    let code = code.rsplit('#').next().unwrap_or(code).trim();
    (!code.is_empty()).then(|| code.to_owned())
}

/// What an error response says: `HTTP 403: ForbiddenException: No access (request id r-1)`.
fn describe_error(response: &HttpResponse) -> String {
    let body = serde_json::from_slice::<Value>(&response.body).ok();
    let field = |key: &str| body.as_ref()?.get(key)?.as_str().map(str::to_owned);
    let message = field("message")
        .or_else(|| field("Message"))
        .or_else(|| field("error_description"));
    let mut out = format!("HTTP {}", response.status);
    match (error_code(response), message) {
        (Some(code), Some(message)) => out.push_str(&format!(": {code}: {message}")),
        (Some(code), None) => out.push_str(&format!(": {code}")),
        (None, Some(message)) => out.push_str(&format!(": {message}")),
        (None, None) => out.push_str(" with no error in the body"),
    }
    if let Some(id) = response.header("x-amzn-requestid") {
        out.push_str(&format!(" (request id {id})"));
    }
    out
}

/// The credentials in a `GetRoleCredentials` answer:
/// `{"roleCredentials": {"accessKeyId", "secretAccessKey", "sessionToken", "expiration": <epoch millis>}}`.
fn parse_role_credentials(body: &[u8]) -> Result<Credentials, String> {
    let answer: Value = serde_json::from_slice(body).map_err(|_| "the body is not JSON".to_owned())?;
    let creds = answer
        .get("roleCredentials")
        .and_then(Value::as_object)
        .ok_or("no `roleCredentials` object")?;
    let text = |key: &str| match creds.get(key) {
        Some(Value::String(v)) if !v.is_empty() => Ok(Some(v.clone())),
        None | Some(Value::Null) => Ok(None),
        Some(_) => Err(format!("`{key}` is not a non-empty string")),
    };
    let required = |key: &str| text(key)?.ok_or_else(|| format!("no `{key}`"));
    let access_key_id = required("accessKeyId")?;
    let secret_access_key = required("secretAccessKey")?;
    let session_token = text("sessionToken")?;
    let millis = creds
        .get("expiration")
        .and_then(Value::as_u64)
        .ok_or("no `expiration` as milliseconds since the epoch")?;
    let expiry = UNIX_EPOCH
        .checked_add(Duration::from_millis(millis))
        .ok_or_else(|| format!("`expiration` {millis} is out of range"))?;
    Ok(Credentials::new(access_key_id, secret_access_key, session_token).with_expiry(expiry))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(config: &str, name: &str) -> Result<Option<SsoSettings>, SsoError> {
        SsoSettings::from_profile(&ProfileSet::parse(Some(config), None).unwrap(), name)
    }

    const SESSION: &str = "[profile dev]\nsso_session = my-sso\nsso_account_id = 123456789012\nsso_role_name = Admin\n\
                           [sso-session my-sso]\nsso_start_url = https://d-abc123.awsapps.com/start\n\
                           sso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n";

    #[test]
    fn both_profile_forms() {
        let session = settings(SESSION, "dev").unwrap().unwrap();
        assert_eq!(session.session.as_deref(), Some("my-sso"));
        assert_eq!(
            (session.start_url.as_str(), session.region.as_str()),
            ("https://d-abc123.awsapps.com/start", "eu-west-1")
        );
        assert_eq!(session.cache_key(), "my-sso");
        let legacy = settings(
            "[default]\nsso_start_url = https://d-abc123.awsapps.com/start\nsso_region = us-east-1\n\
             sso_account_id = 1\nsso_role_name = R\n",
            "default",
        )
        .unwrap()
        .unwrap();
        assert_eq!(legacy.session, None);
        assert_eq!(legacy.cache_key(), "https://d-abc123.awsapps.com/start");
        assert_eq!(settings("[default]\nregion = x\n", "default"), Ok(None));
    }

    #[test]
    fn incomplete_or_contradictory_settings_name_the_key() {
        let cases = [
            (
                "[default]\nsso_session = gone\nsso_account_id = 1\nsso_role_name = R\n",
                "sso_session names [sso-session gone], which is not in the config file",
            ),
            (
                "[default]\nsso_session = s\nsso_account_id = 1\nsso_role_name = R\n[sso-session s]\nsso_region = r\n",
                "[sso-session s] has no sso_start_url",
            ),
            (
                "[default]\nsso_session = s\nsso_start_url = https://other\nsso_account_id = 1\nsso_role_name = R\n\
                 [sso-session s]\nsso_start_url = https://one\nsso_region = r\n",
                "its sso_start_url \"https://other\" differs from \"https://one\" in [sso-session s]",
            ),
            (
                "[default]\nsso_start_url = https://one\nsso_account_id = 1\nsso_role_name = R\n",
                "it has no sso_session and no sso_region",
            ),
            (
                "[default]\nsso_start_url = https://one\nsso_region = r\nsso_account_id = 1\n",
                "credentials need sso_role_name, which it does not set",
            ),
        ];
        for (config, reason) in cases {
            let err = settings(config, "default").unwrap_err();
            assert_eq!(
                err,
                SsoError::InvalidSettings {
                    profile: "default".into(),
                    reason: reason.into()
                },
                "{config}"
            );
        }
    }

    #[test]
    fn endpoints_follow_the_sso_region() {
        let provider = SsoProvider::new(
            settings(SESSION, "dev").unwrap().unwrap(),
            &Env::from_pairs([("HOME", "/h")]),
        );
        assert_eq!(provider.portal_endpoint(), "https://portal.sso.eu-west-1.amazonaws.com");
        assert_eq!(provider.oidc_endpoint(), "https://oidc.eu-west-1.amazonaws.com");
        assert_eq!(
            regional_endpoint("oidc", "cn-north-1"),
            "https://oidc.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            provider.cache_file(),
            Some(PathBuf::from("/h/.aws/sso/cache").join(cache_file_name("my-sso")))
        );
        assert_eq!(base_url("http://127.0.0.1:9/").as_deref(), Ok("http://127.0.0.1:9"));
        assert!(base_url("file:///etc").is_err());
    }

    #[test]
    fn error_responses_are_described_with_code_message_and_request_id() {
        let response = HttpResponse::new(403, r#"{"message":"No access"}"#)
            .with_header("x-amzn-ErrorType", "ForbiddenException:http://internal/")
            .with_header("x-amzn-RequestId", "r-1");
        assert_eq!(
            describe_error(&response),
            "HTTP 403: ForbiddenException: No access (request id r-1)"
        );
        let oauth = HttpResponse::new(400, r#"{"error":"invalid_grant","error_description":"expired"}"#);
        assert_eq!(describe_error(&oauth), "HTTP 400: invalid_grant: expired");
        assert_eq!(
            describe_error(&HttpResponse::new(502, "<html>")),
            "HTTP 502 with no error in the body"
        );
        assert_eq!(scrub("token abcd echoed", &["abcd"]), "token ** redacted ** echoed");
    }

    #[test]
    fn hostile_portal_answers_are_errors() {
        for (body, expected) in [
            ("", "not JSON"),
            ("[]", "no `roleCredentials`"),
            (r#"{"roleCredentials": 5}"#, "no `roleCredentials`"),
            (
                r#"{"roleCredentials": {"secretAccessKey": "s", "expiration": 1}}"#,
                "no `accessKeyId`",
            ),
            (
                r#"{"roleCredentials": {"accessKeyId": 7, "secretAccessKey": "s", "expiration": 1}}"#,
                "`accessKeyId` is not",
            ),
            (
                r#"{"roleCredentials": {"accessKeyId": "a", "secretAccessKey": "s", "expiration": -1}}"#,
                "no `expiration`",
            ),
            (
                r#"{"roleCredentials": {"accessKeyId": "a", "secretAccessKey": "s", "expiration": 1e400}}"#,
                "not JSON",
            ),
        ] {
            let err = parse_role_credentials(body.as_bytes()).unwrap_err();
            assert!(err.contains(expected), "{body}: {err}");
        }
    }
}
