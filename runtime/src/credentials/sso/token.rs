//! The SSO access token: read from the AWS CLI's cache, refreshed through SSO-OIDC `CreateToken`, written back.
//!
//! `aws sso login` leaves the token in `~/.aws/sso/cache/<key>.json`, where `<key>` is the lower-case hex SHA-1
//! of the `sso-session` name (or, for a legacy profile, of its `sso_start_url`):
//!
//! ```json
//! {"startUrl": "...", "region": "eu-west-1", "accessToken": "...", "expiresAt": "2026-01-01T08:00:00Z",
//!  "clientId": "...", "clientSecret": "...", "registrationExpiresAt": "2026-03-01T00:00:00Z", "refreshToken": "..."}
//! ```
//!
//! A token that expires within 5 minutes is refreshed when the file holds what a refresh needs (a refresh token,
//! and a client registration that has not expired) and the profile uses an `sso-session`, as the CLI does: at most
//! one refresh at a time and one attempt per 30 seconds. The new token goes back into the same file through a
//! temporary file and a rename, so a reader never sees half a file; every other field is kept.

use super::SsoError;
use crate::credentials::common::{parse_timestamp, send_bounded};
use crate::transport::{HttpRequest, Transport};
use aws_smithy_types::date_time::{DateTime, Format};
use serde_json::{Map, Value};
use sha1::{Digest, Sha1};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// A token is refreshed once it expires within this.
pub const REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);

/// Refresh attempts are at least this far apart.
pub const MIN_TIME_BETWEEN_REFRESHES: Duration = Duration::from_secs(30);

/// The cache file name for `key` (a session name or a start URL): its SHA-1 in lower-case hex, then `.json`.
pub fn cache_file_name(key: &str) -> String {
    let digest = Sha1::digest(key.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.json")
}

/// A token as the cache file holds it. `Debug` shows no secret.
#[derive(Clone)]
pub(super) struct CachedToken {
    /// Every field of the file, so that a write-back keeps what this crate does not read.
    fields: Map<String, Value>,
    pub(super) access_token: String,
    pub(super) expires_at: SystemTime,
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken")
            .field("fields", &self.fields.keys().collect::<Vec<_>>())
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// What a refresh needs from the file.
struct Refreshable<'a> {
    client_id: &'a str,
    client_secret: &'a str,
    refresh_token: &'a str,
}

impl CachedToken {
    /// Parses a cache file. Errors name the field, never its value.
    pub(super) fn parse(bytes: &[u8]) -> Result<CachedToken, String> {
        let fields = match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(fields)) => fields,
            Ok(_) => return Err("the file is JSON but not an object".into()),
            Err(e) => {
                return Err(format!(
                    "the file is not valid JSON ({:?} error at line {} column {})",
                    e.classify(),
                    e.line(),
                    e.column()
                ))
            }
        };
        let access_token = match fields.get("accessToken") {
            Some(Value::String(token)) if !token.is_empty() => token.clone(),
            Some(_) => return Err("`accessToken` is not a non-empty string".into()),
            None => return Err("the file has no `accessToken`".into()),
        };
        let expires_at = match fields.get("expiresAt") {
            Some(Value::String(text)) => {
                parse_cache_time(text).ok_or_else(|| format!("`expiresAt` is not a timestamp: {text:?}"))?
            }
            Some(_) => return Err("`expiresAt` is not a string".into()),
            None => return Err("the file has no `expiresAt`".into()),
        };
        Ok(CachedToken {
            fields,
            access_token,
            expires_at,
        })
    }

    fn text(&self, key: &str) -> Option<&str> {
        self.fields.get(key).and_then(Value::as_str).filter(|v| !v.is_empty())
    }

    /// The refresh token and client registration, if the file has them and the registration is still valid at
    /// `now`; otherwise why not.
    fn refreshable(&self, now: SystemTime) -> Result<Refreshable<'_>, &'static str> {
        let refresh_token = self
            .text("refreshToken")
            .ok_or("the cached token has no refresh token")?;
        let (Some(client_id), Some(client_secret)) = (self.text("clientId"), self.text("clientSecret")) else {
            return Err("the cached token has no client registration");
        };
        let registration_valid = self
            .text("registrationExpiresAt")
            .and_then(parse_cache_time)
            .is_some_and(|expiry| now < expiry);
        if !registration_valid {
            return Err("the client registration of the cached token has expired");
        }
        Ok(Refreshable {
            client_id,
            client_secret,
            refresh_token,
        })
    }

    /// The secrets this token file holds, for scrubbing them out of messages.
    pub(super) fn secrets(&self) -> Vec<&str> {
        ["accessToken", "refreshToken", "clientSecret"]
            .into_iter()
            .filter_map(|key| self.text(key))
            .filter(|secret| secret.len() >= 4)
            .collect()
    }

    /// The file's bytes.
    fn to_json(&self) -> Vec<u8> {
        // Serializing a map of JSON values cannot fail.
        serde_json::to_vec_pretty(&self.fields).unwrap_or_default()
    }
}

/// `expiresAt` as the CLI writes it: RFC 3339 (`2026-01-01T00:00:00Z`), or the older `2026-01-01T00:00:00UTC`.
fn parse_cache_time(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    parse_timestamp(text).or_else(|| parse_timestamp(&format!("{}Z", text.strip_suffix("UTC")?)))
}

fn format_cache_time(time: SystemTime) -> String {
    DateTime::from(time).fmt(Format::DateTime).unwrap_or_default()
}

/// Why the token cannot be had without a new sign-in, or the error that stopped it.
pub(super) enum TokenFailure {
    /// Signing in again (`aws sso login`) is the fix.
    LoginRequired(String),
    /// Anything else, already an error.
    Error(SsoError),
}

/// Where the token lives and how to refresh it: one SSO profile's view of the cache.
pub(super) struct TokenSource<'a> {
    pub(super) profile: &'a str,
    /// The cache file.
    pub(super) path: &'a Path,
    /// Refresh through this SSO-OIDC endpoint (an `sso-session` profile), or never (a legacy profile).
    pub(super) oidc_endpoint: Option<&'a str>,
    pub(super) transport: &'a dyn Transport,
    pub(super) timeout: Duration,
}

impl TokenSource<'_> {
    /// The access token to use at `now`, refreshed and written back first when it is about to expire.
    /// `last_refresh` is when the previous refresh attempt started; it is updated by an attempt.
    pub(super) async fn token(
        &self,
        now: SystemTime,
        last_refresh: &mut Option<SystemTime>,
    ) -> Result<CachedToken, TokenFailure> {
        let token = self.read().await?;
        if now
            .checked_add(REFRESH_WINDOW)
            .is_some_and(|soon| soon < token.expires_at)
        {
            return Ok(token);
        }
        let expired = token.expires_at <= now;
        let expired_at = format_cache_time(token.expires_at);
        let Some(oidc_endpoint) = self.oidc_endpoint else {
            return if expired {
                Err(TokenFailure::LoginRequired(format!(
                    "the cached SSO token expired at {expired_at} (a profile without sso_session cannot refresh it)"
                )))
            } else {
                Ok(token)
            };
        };
        let refreshable = match token.refreshable(now) {
            Ok(refreshable) => refreshable,
            Err(why) if expired => {
                return Err(TokenFailure::LoginRequired(format!(
                    "the cached SSO token expired at {expired_at} and {why}"
                )))
            }
            Err(_) => return Ok(token),
        };
        let recently = last_refresh.and_then(|last| now.duration_since(last).ok());
        if recently.is_some_and(|since| since < MIN_TIME_BETWEEN_REFRESHES) {
            return if expired {
                Err(TokenFailure::LoginRequired(format!(
                    "the cached SSO token expired at {expired_at} and was refreshed without success less than \
                     30 seconds ago"
                )))
            } else {
                Ok(token)
            };
        }
        *last_refresh = Some(now);
        tracing::debug!(
            profile = self.profile,
            "refreshing the SSO token through SSO-OIDC CreateToken"
        );
        let refreshed = match self.create_token(oidc_endpoint, &refreshable, &token, now).await {
            Ok(refreshed) => refreshed,
            Err(failure) if !expired => {
                tracing::debug!(profile = self.profile, error = %failure, "SSO token refresh failed; the token is still valid");
                return Ok(token);
            }
            Err(failure) => {
                return Err(TokenFailure::LoginRequired(format!(
                    "the cached SSO token expired at {expired_at} and refreshing it failed: {failure}"
                )))
            }
        };
        self.write(&refreshed).await.map_err(TokenFailure::Error)?;
        Ok(refreshed)
    }

    async fn read(&self) -> Result<CachedToken, TokenFailure> {
        let bytes = match tokio::fs::read(self.path).await {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(TokenFailure::LoginRequired(format!(
                    "there is no cached SSO token at {}",
                    self.path.display()
                )))
            }
            Err(e) => return Err(TokenFailure::Error(self.cache_error(format!("cannot read it: {e}")))),
        };
        CachedToken::parse(&bytes).map_err(|reason| TokenFailure::Error(self.cache_error(reason)))
    }

    fn cache_error(&self, reason: String) -> SsoError {
        SsoError::Cache {
            profile: self.profile.to_owned(),
            path: self.path.to_owned(),
            reason,
        }
    }

    /// SSO-OIDC `CreateToken` with the refresh token: the refreshed token, or why not (never quoting a secret).
    async fn create_token(
        &self,
        endpoint: &str,
        refreshable: &Refreshable<'_>,
        old: &CachedToken,
        now: SystemTime,
    ) -> Result<CachedToken, String> {
        let body = serde_json::json!({
            "clientId": refreshable.client_id,
            "clientSecret": refreshable.client_secret,
            "grantType": "refresh_token",
            "refreshToken": refreshable.refresh_token,
        });
        let request = HttpRequest {
            method: "POST".into(),
            url: format!("{endpoint}/token"),
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        };
        let scrub = |text: &str| super::scrub(text, &old.secrets());
        let response = send_bounded(self.transport, request, self.timeout)
            .await
            .map_err(|e| format!("calling {endpoint}: {e}"))?;
        if response.status != 200 {
            return Err(scrub(&super::describe_error(&response)));
        }
        let answer = match serde_json::from_slice::<Value>(&response.body) {
            Ok(Value::Object(answer)) => answer,
            _ => {
                return Err(format!(
                    "HTTP 200 with a body that is not a JSON object ({} bytes)",
                    response.body.len()
                ))
            }
        };
        let access_token = match answer.get("accessToken") {
            Some(Value::String(token)) if !token.is_empty() => token.clone(),
            _ => return Err("the answer has no `accessToken` string".into()),
        };
        let expires_in = answer
            .get("expiresIn")
            .and_then(Value::as_u64)
            .ok_or("the answer has no `expiresIn` whole number of seconds")?;
        let expires_at = now
            .checked_add(Duration::from_secs(expires_in))
            .filter(|t| DateTime::from(*t).fmt(Format::DateTime).is_ok())
            .ok_or_else(|| format!("`expiresIn` {expires_in} is out of range"))?;
        let mut fields = old.fields.clone();
        fields.insert("accessToken".into(), Value::String(access_token.clone()));
        fields.insert("expiresAt".into(), Value::String(format_cache_time(expires_at)));
        match answer.get("refreshToken") {
            Some(Value::String(refresh)) if !refresh.is_empty() => {
                fields.insert("refreshToken".into(), Value::String(refresh.clone()));
            }
            None | Some(Value::Null) => {}
            Some(_) => return Err("`refreshToken` in the answer is not a string".into()),
        }
        Ok(CachedToken {
            fields,
            access_token,
            expires_at,
        })
    }

    /// Replaces the cache file with `token`: a temporary file beside it (owner-only), then a rename.
    async fn write(&self, token: &CachedToken) -> Result<(), SsoError> {
        static WRITES: AtomicU64 = AtomicU64::new(0);
        let n = WRITES.fetch_add(1, Ordering::Relaxed);
        let mut temp = self.path.as_os_str().to_owned();
        temp.push(format!(".tmp-{}-{n}", std::process::id()));
        let temp = PathBuf::from(temp);
        let written = match write_new_file(&temp, &token.to_json()).await {
            Ok(()) => tokio::fs::rename(&temp, self.path).await,
            Err(e) => Err(e),
        };
        if let Err(e) = written {
            let _ = tokio::fs::remove_file(&temp).await;
            return Err(self.cache_error(format!("cannot write the refreshed token: {e}")));
        }
        tracing::debug!(profile = self.profile, path = %self.path.display(), "saved the refreshed SSO token");
        Ok(())
    }
}

/// Creates `path` (which must not exist yet), readable by its owner only, with `bytes`, flushed to disk.
async fn write_new_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path).await?;
    file.write_all(bytes).await?;
    file.sync_all().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn cache_files_are_named_by_the_sha1_of_the_key() {
        // The session name `admin`, and the start URL of the AWS SDKs' shared SSO examples.
        assert_eq!(
            cache_file_name("admin"),
            "d033e22ae348aeb5660fc2140aec35850c4da997.json"
        );
        assert_eq!(
            cache_file_name("https://d-abc123.awsapps.com/start"),
            "40a89917e3175433e361b710a9d43528d7f1890a.json"
        );
    }

    #[test]
    fn expiry_times_in_both_cli_formats() {
        let new_year = UNIX_EPOCH + Duration::from_secs(1_767_225_600);
        assert_eq!(parse_cache_time("2026-01-01T00:00:00Z"), Some(new_year));
        assert_eq!(parse_cache_time("2026-01-01T00:00:00UTC"), Some(new_year));
        assert_eq!(parse_cache_time("soon"), None);
        assert_eq!(format_cache_time(new_year), "2026-01-01T00:00:00Z");
    }

    #[test]
    fn malformed_files_name_the_field_never_the_value() {
        for (file, expected) in [
            (&b"{\"accessToken\": \"secret-token\"}"[..], "no `expiresAt`"),
            (
                b"{\"accessToken\": 5, \"expiresAt\": \"2026-01-01T00:00:00Z\"}",
                "`accessToken` is not",
            ),
            (
                b"{\"accessToken\": \"secret-token\", \"expiresAt\": 5}",
                "`expiresAt` is not a string",
            ),
            (b"[\"secret-token\"]", "not an object"),
            (b"{\"accessToken\": \"secret-token", "not valid JSON"),
        ] {
            let err = CachedToken::parse(file).unwrap_err();
            assert!(err.contains(expected), "{err}");
            assert!(!err.contains("secret-token"), "{err}");
        }
    }

    #[test]
    fn debug_shows_field_names_only() {
        let token = CachedToken::parse(
            br#"{"accessToken":"secret-token","expiresAt":"2026-01-01T00:00:00Z","refreshToken":"secret-refresh"}"#,
        )
        .unwrap();
        let shown = format!("{token:?}");
        assert!(shown.contains("refreshToken") && !shown.contains("secret-"), "{shown}");
    }
}
