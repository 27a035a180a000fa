//! Caching in front of any provider, with one shared refresh.

use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::clock::{Clock, SystemClock};
use crate::time::BoxFuture;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::sync::Mutex;

/// Keeps the credentials an inner provider returned until they are about to expire.
///
/// - Credentials without an expiry are kept for good.
/// - Credentials are refreshed once `now + refresh_before >= expiry` (5 minutes by default), per the injected
///   [`Clock`].
/// - Concurrent callers share one refresh: the first calls the inner provider, the others wait for its result.
/// - When a refresh fails but the cached credentials have not actually expired yet, those are returned; otherwise
///   the error is. Errors are never cached: the next call tries again.
pub struct CachingProvider {
    inner: Arc<dyn ProvideCredentials>,
    clock: Arc<dyn Clock>,
    refresh_before: Duration,
    cached: Mutex<Option<Credentials>>,
}

impl CachingProvider {
    /// Caches what `inner` provides, reading the system clock.
    pub fn new(inner: Arc<dyn ProvideCredentials>) -> Self {
        CachingProvider {
            inner,
            clock: Arc::new(SystemClock),
            refresh_before: Duration::from_secs(5 * 60),
            cached: Mutex::new(None),
        }
    }

    /// Reads the time from `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Refreshes this long before expiry.
    pub fn with_refresh_before(mut self, refresh_before: Duration) -> Self {
        self.refresh_before = refresh_before;
        self
    }

    fn fresh(&self, creds: &Credentials, now: SystemTime) -> bool {
        match creds.expiry() {
            None => true,
            Some(expiry) => now.checked_add(self.refresh_before).is_some_and(|t| t < expiry),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        // Held across the refresh: that is what makes concurrent callers wait for one refresh.
        let mut cached = self.cached.lock().await;
        let now = self.clock.now();
        if let Some(creds) = cached.as_ref().filter(|c| self.fresh(c, now)) {
            return Ok(creds.clone());
        }
        match self.inner.provide_credentials().await {
            Ok(creds) => {
                *cached = Some(creds.clone());
                Ok(creds)
            }
            Err(err) => match cached.as_ref() {
                Some(old) if old.expiry().is_some_and(|expiry| now < expiry) => Ok(old.clone()),
                _ => Err(err),
            },
        }
    }
}

impl fmt::Debug for CachingProvider {
    // Never shows the cached credentials, even redacted: only whether there are any.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.cached.try_lock().map(|c| c.is_some()).ok();
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
