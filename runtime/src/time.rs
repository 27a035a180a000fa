//! Waiting, and the future type the runtime's traits return: [`BoxFuture`] (what transports, credential providers
//! and sleeps return) and [`Sleep`], with the tokio timer ([`TokioSleep`]) and a recording one for tests
//! (`RecordingSleep`, feature `test-util`). The clock that tells the time is [`clock`](crate::clock).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A boxed, sendable future: what transports, credential providers and sleeps return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Waits: between attempts, for adaptive retry mode's rate limiter, and between waiter polls. Injectable so that
/// tests need not sleep.
pub trait Sleep: Send + Sync + fmt::Debug {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// Sleeps on the tokio timer. Must be polled inside a tokio runtime with the timer enabled.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

test_util! {
    use std::sync::{Arc, Mutex, PoisonError};

    /// Records every requested wait and returns at once. For tests; clones share the record.
    #[derive(Debug, Clone, Default)]
    pub struct RecordingSleep {
        delays: Arc<Mutex<Vec<Duration>>>,
    }

    impl RecordingSleep {
        /// An empty record.
        pub fn new() -> Self {
            Self::default()
        }

        /// Every wait requested so far, in order.
        pub fn delays(&self) -> Vec<Duration> {
            self.delays.lock().unwrap_or_else(PoisonError::into_inner).clone()
        }
    }

    impl Sleep for RecordingSleep {
        fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
            self.delays
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(duration);
            Box::pin(std::future::ready(()))
        }
    }
}
