//! The clock the client reads for signing and credential expiry. Injectable so that tests are deterministic.

use std::fmt::Debug;
use std::time::SystemTime;

/// A source of the current time.
pub trait Clock: Send + Sync + Debug {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

test_util! {
    use std::time::{Duration, UNIX_EPOCH};

    /// A clock that always reads the same instant. For tests and reproducible signatures.
    #[derive(Debug, Clone, Copy)]
    pub struct FixedClock(pub SystemTime);

    impl FixedClock {
        /// A clock stopped `secs` seconds after the Unix epoch.
        pub fn from_epoch_secs(secs: u64) -> Self {
            FixedClock(UNIX_EPOCH + Duration::from_secs(secs))
        }
    }

    impl Clock for FixedClock {
        fn now(&self) -> SystemTime {
            self.0
        }
    }

    /// A clock that moves only when told, and a [`Sleep`](crate::time::Sleep) that moves it instead of waiting: give
    /// the same `ManualClock` to [`ConfigBuilder::clock`](crate::ConfigBuilder::clock) and
    /// [`ConfigBuilder::sleep`](crate::ConfigBuilder::sleep) and retries and waiters run at once while reading the
    /// time they would have taken. Clones share the time.
    #[derive(Debug, Clone)]
    pub struct ManualClock {
        now: std::sync::Arc<std::sync::Mutex<SystemTime>>,
        slept: std::sync::Arc<std::sync::Mutex<Vec<Duration>>>,
    }

    impl ManualClock {
        /// A clock at `secs` seconds after the Unix epoch.
        pub fn from_epoch_secs(secs: u64) -> Self {
            ManualClock {
                now: std::sync::Arc::new(std::sync::Mutex::new(UNIX_EPOCH + Duration::from_secs(secs))),
                slept: std::sync::Arc::default(),
            }
        }

        /// Moves the clock forward by `by`; every clone reads the new time.
        pub fn advance(&self, by: Duration) {
            let mut now = self.now.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            *now += by;
        }

        /// Every sleep requested of this clock (and its clones) as a [`Sleep`](crate::time::Sleep) so far, in
        /// order; each one has moved the clock forward by its length.
        pub fn sleeps(&self) -> Vec<Duration> {
            self.slept
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone()
        }
    }

    impl Clock for ManualClock {
        fn now(&self) -> SystemTime {
            *self.now.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
        }
    }

    impl crate::time::Sleep for ManualClock {
        fn sleep(&self, duration: Duration) -> crate::time::BoxFuture<'static, ()> {
            self.slept
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(duration);
            self.advance(duration);
            Box::pin(std::future::ready(()))
        }
    }
}
