//! Caching in front of any provider, with one shared fetch.

use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::clock::{Clock, SystemClock};
use crate::time::BoxFuture;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::sync::Mutex;

/// The refresh buffer for credentials that arrive with less of their life left than the normal buffer, such as
/// a short-lived `credential_process`: aws-sdk-rust's identity cache (`LazyCache`) refreshes 10 s before expiry.
const SHORT_LIVED_BUFFER: Duration = Duration::from_secs(10);

/// Keeps the credentials an inner provider returned until they are about to expire.
///
/// - Credentials without an expiry are kept for good.
/// - Credentials are refreshed `refresh_before` their expiry (5 minutes by default), per the injected [`Clock`].
///   Credentials that arrive with less life left than that are refreshed 10 s before
///   their expiry, as aws-sdk-rust does, and those with 10 s or less left at their expiry: every fetch is used
///   until some point after it, so short-lived credentials are fetched once per lifetime, never once per call.
///   Credentials that arrive already expired are an error (botocore raises the same).
/// - One fetch at a time, shared: callers that arrive while a fetch is under way wait for it and all get its
///   result, failure included, rather than each asking the inner provider again.
/// - When a fetch fails but the cached credentials have not actually expired yet, those are returned; otherwise
///   the error is. Errors are not kept: the next call after a failed fetch tries again.
pub struct CachingProvider {
    inner: Arc<dyn ProvideCredentials>,
    clock: Arc<dyn Clock>,
    refresh_before: Duration,
    /// Held across a fetch: that is what makes concurrent callers wait for it.
    state: Mutex<State>,
    /// How many fetches have finished; only changed with `state` locked.
    fetches: AtomicU64,
}

#[derive(Default)]
struct State {
    /// The credentials in use and when to refresh them (never, for credentials without an expiry).
    cached: Option<(Credentials, Option<SystemTime>)>,
    /// What the latest fetch gave its callers, for those that waited for it.
    last: Option<Result<Credentials, CredentialsError>>,
}

impl CachingProvider {
    /// Caches what `inner` provides, reading the system clock.
    pub fn new(inner: Arc<dyn ProvideCredentials>) -> Self {
        CachingProvider {
            inner,
            clock: Arc::new(SystemClock),
            refresh_before: Duration::from_secs(5 * 60),
            state: Mutex::new(State::default()),
            fetches: AtomicU64::new(0),
        }
    }

    /// Reads the time from `clock` to decide when cached credentials are due for a refresh.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Refreshes this long before expiry, instead of 5 minutes (see the type's docs for credentials that arrive
    /// with less life left).
    pub fn with_refresh_before(mut self, refresh_before: Duration) -> Self {
        self.refresh_before = refresh_before;
        self
    }

    /// When to refresh `creds`, fetched at `now`: `None` for never. Always after `now` for credentials that have
    /// not expired, so a fetch is never followed by another on the next call.
    fn refresh_at(&self, creds: &Credentials, now: SystemTime) -> Option<SystemTime> {
        let expiry = creds.expiry()?;
        let left = expiry.duration_since(now).unwrap_or(Duration::ZERO);
        let buffer = if left > self.refresh_before {
            self.refresh_before
        } else if left > SHORT_LIVED_BUFFER.min(self.refresh_before) {
            SHORT_LIVED_BUFFER.min(self.refresh_before)
        } else {
            Duration::ZERO
        };
        Some(expiry - buffer)
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let seen = self.fetches.load(Ordering::SeqCst);
        let mut state = self.state.lock().await;
        if self.fetches.load(Ordering::SeqCst) != seen {
            // A fetch finished while this call waited for the lock: its result is this call's.
            if let Some(last) = &state.last {
                return last.clone();
            }
        }
        let now = self.clock.now();
        if let Some((creds, refresh_at)) = &state.cached {
            if refresh_at.is_none_or(|at| now < at) {
                return Ok(creds.clone());
            }
        }
        let fetched = match self.inner.provide_credentials().await {
            Ok(creds) if creds.expiry().is_some_and(|expiry| expiry <= now) => Err(CredentialsError::failed(
                "the credentials cache",
                format!(
                    "the provider returned credentials that had already expired ({})",
                    aws_smithy_types::DateTime::from(creds.expiry().unwrap_or(now))
                ),
            )),
            other => other,
        };
        let result = match fetched {
            Ok(creds) => {
                state.cached = Some((creds.clone(), self.refresh_at(&creds, now)));
                Ok(creds)
            }
            Err(err) => match &state.cached {
                Some((old, _)) if old.expiry().is_some_and(|expiry| now < expiry) => Ok(old.clone()),
                _ => Err(err),
            },
        };
        state.last = Some(result.clone());
        self.fetches.fetch_add(1, Ordering::SeqCst);
        result
    }
}

impl fmt::Debug for CachingProvider {
    // Never shows the cached credentials, even redacted: only whether there are any.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.state.try_lock().map(|s| s.cached.is_some()).ok();
        f.debug_struct("CachingProvider")
            .field("inner", &self.inner)
            .field("refresh_before", &self.refresh_before)
            .field("cached", &cached)
            .finish()
    }
}

impl ProvideCredentials for CachingProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}
