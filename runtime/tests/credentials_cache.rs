//! `CachingProvider`: one shared fetch (failures included), expiry per the injected clock, a refresh buffer that
//! never makes short-lived credentials a fetch per call, errors not kept past the callers that waited for them.

use lean_aws_runtime::clock::Clock;
use lean_aws_runtime::credentials::{CachingProvider, Credentials, CredentialsError, ProvideCredentials};
use lean_aws_runtime::time::BoxFuture;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::Semaphore;

const NOW: u64 = 1_767_225_600;

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// A clock the test moves by hand.
#[derive(Debug)]
struct ManualClock(AtomicU64);

impl ManualClock {
    fn set(&self, secs: u64) {
        self.0.store(secs, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        at(self.0.load(Ordering::SeqCst))
    }
}

/// Answers from a script, counting calls; optionally waits at a gate before answering.
#[derive(Debug)]
struct Scripted {
    calls: AtomicUsize,
    answers: Mutex<VecDeque<Result<Credentials, CredentialsError>>>,
    gate: Option<Arc<Semaphore>>,
}

impl Scripted {
    fn new(answers: Vec<Result<Credentials, CredentialsError>>) -> Self {
        Scripted {
            calls: AtomicUsize::new(0),
            answers: Mutex::new(answers.into()),
            gate: None,
        }
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Scripted {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if let Some(gate) = &self.gate {
                let _permit = gate.acquire().await.expect("gate open");
            }
            self.answers.lock().unwrap().pop_front().expect("an answer is scripted")
        })
    }
}

fn creds(id: &str, expiry: Option<u64>) -> Credentials {
    let c = Credentials::new(id, "secret", Some("token".into()));
    match expiry {
        Some(secs) => c.with_expiry(at(secs)),
        None => c,
    }
}

fn cache(inner: Arc<Scripted>, clock: Arc<ManualClock>) -> CachingProvider {
    CachingProvider::new(inner).with_clock(clock)
}

#[tokio::test]
async fn concurrent_callers_share_one_refresh() {
    const N: usize = 16;
    let gate = Arc::new(Semaphore::new(0));
    let inner = Arc::new(Scripted {
        gate: Some(gate.clone()),
        ..Scripted::new(vec![Ok(creds("A", Some(NOW + 3600)))])
    });
    let cached = cache(inner.clone(), Arc::new(ManualClock(AtomicU64::new(NOW))));
    let calls = in_flight(&cached, N).await;
    assert_eq!(inner.calls(), 1);

    gate.add_permits(1);
    for call in calls {
        assert_eq!(call.await.unwrap().access_key_id(), "A");
    }
    assert_eq!(inner.calls(), 1);
}

/// Starts `n` calls and polls each once, by hand: all are then in flight (one inside the inner provider, held at
/// its gate; the others queued behind it), with no reliance on scheduling order.
async fn in_flight(cached: &CachingProvider, n: usize) -> Vec<BoxFuture<'_, Result<Credentials, CredentialsError>>> {
    let mut calls: Vec<_> = (0..n).map(|_| cached.provide_credentials()).collect();
    std::future::poll_fn(|cx| {
        for call in calls.iter_mut() {
            assert!(call.as_mut().poll(cx).is_pending());
        }
        Poll::Ready(())
    })
    .await;
    calls
}

#[tokio::test]
async fn concurrent_callers_share_one_failed_fetch() {
    const N: usize = 16;
    let outage = CredentialsError::failed("test", "outage");
    let gate = Arc::new(Semaphore::new(0));
    let inner = Arc::new(Scripted {
        gate: Some(gate.clone()),
        // Enough answers for every caller: the test counts the calls rather than relying on a missing answer.
        ..Scripted::new((0..=N).map(|_| Err(outage.clone())).collect())
    });
    let cached = cache(inner.clone(), Arc::new(ManualClock(AtomicU64::new(NOW))));
    let calls = in_flight(&cached, N).await;
    assert_eq!(inner.calls(), 1);

    gate.add_permits(N + 1);
    for call in calls {
        assert_eq!(call.await.unwrap_err(), outage);
    }
    assert_eq!(inner.calls(), 1, "the callers that waited shared the one failed fetch");

    // The failure is not kept: a later call asks again.
    assert_eq!(cached.provide_credentials().await.unwrap_err(), outage);
    assert_eq!(inner.calls(), 2);
}

#[tokio::test]
async fn short_lived_credentials_are_fetched_once_per_lifetime_not_per_call() {
    let clock = Arc::new(ManualClock(AtomicU64::new(NOW)));
    // A `credential_process` that hands out 60-second credentials: inside the 5-minute window from the start.
    let inner = Arc::new(Scripted::new(vec![
        Ok(creds("A", Some(NOW + 60))),
        Ok(creds("B", Some(NOW + 110))),
        Ok(creds("C", Some(NOW + 105))),
        Ok(creds("D", Some(NOW + 200))),
    ]));
    let cached = cache(inner.clone(), clock.clone());
    for t in [0, 1, 10, 49] {
        clock.set(NOW + t);
        assert_eq!(
            cached.provide_credentials().await.unwrap().access_key_id(),
            "A",
            "at +{t}"
        );
    }
    assert_eq!(inner.calls(), 1, "one fetch for many calls");

    // Refreshed 10 s before expiry, as aws-sdk-rust does.
    clock.set(NOW + 50);
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), "B");
    clock.set(NOW + 99);
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), "B");
    assert_eq!(inner.calls(), 2);

    // Credentials with 10 s or less left are used until they expire, not fetched again on every call.
    clock.set(NOW + 100);
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), "C");
    clock.set(NOW + 104);
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), "C");
    assert_eq!(inner.calls(), 3);
    clock.set(NOW + 105);
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), "D");
    assert_eq!(inner.calls(), 4);
}

#[tokio::test]
async fn credentials_that_arrive_expired_are_an_error() {
    let clock = Arc::new(ManualClock(AtomicU64::new(NOW)));
    let inner = Arc::new(Scripted::new(vec![
        Ok(creds("A", Some(NOW))),
        Ok(creds("B", Some(NOW + 3600))),
    ]));
    let cached = cache(inner.clone(), clock.clone());
    let err = cached.provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains("already expired"), "{err}");
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), "B");
}

#[tokio::test]
async fn refreshes_within_the_window_before_expiry() {
    let clock = Arc::new(ManualClock(AtomicU64::new(NOW)));
    let inner = Arc::new(Scripted::new(vec![
        Ok(creds("A", Some(NOW + 3600))),
        Ok(creds("B", Some(NOW + 7200))),
    ]));
    let cached = cache(inner.clone(), clock.clone());
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), "A");

    clock.set(NOW + 3600 - 301); // just outside the 5-minute window: still cached
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), "A");
    assert_eq!(inner.calls(), 1);

    clock.set(NOW + 3600 - 300); // inside it: refreshed
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), "B");
    assert_eq!(inner.calls(), 2);
}

#[tokio::test]
async fn refresh_window_is_configurable_and_no_expiry_is_kept() {
    let clock = Arc::new(ManualClock(AtomicU64::new(NOW)));
    let inner = Arc::new(Scripted::new(vec![
        Ok(creds("A", Some(NOW + 100))),
        Ok(creds("B", None)),
    ]));
    let cached = cache(inner.clone(), clock.clone()).with_refresh_before(Duration::from_secs(10));
    cached.provide_credentials().await.unwrap();
    clock.set(NOW + 89);
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), "A");
    clock.set(NOW + 90);
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), "B");
    clock.set(NOW + 1_000_000);
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), "B");
    assert_eq!(inner.calls(), 2);
}

#[tokio::test]
async fn failed_refresh_keeps_unexpired_credentials_and_errors_are_not_cached() {
    let clock = Arc::new(ManualClock(AtomicU64::new(NOW)));
    let outage = CredentialsError::failed("test", "outage");
    let inner = Arc::new(Scripted::new(vec![
        Ok(creds("A", Some(NOW + 600))),
        Err(outage.clone()),
        Err(outage.clone()),
        Ok(creds("B", Some(NOW + 7200))),
    ]));
    let cached = cache(inner.clone(), clock.clone());
    cached.provide_credentials().await.unwrap();

    clock.set(NOW + 400); // in the window, not yet expired: the old credentials still serve
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), "A");

    clock.set(NOW + 600); // expired: the error surfaces
    assert_eq!(cached.provide_credentials().await.unwrap_err(), outage);

    // The error was not cached: the next call asks again.
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), "B");
    assert_eq!(inner.calls(), 4);
}

#[tokio::test]
async fn debug_never_shows_cached_credentials() {
    let inner = Arc::new(Scripted::new(vec![Ok(Credentials::new(
        "AKIDCACHED",
        "cached-secret",
        Some("tok".into()),
    ))]));
    let cached = cache(inner, Arc::new(ManualClock(AtomicU64::new(NOW))));
    cached.provide_credentials().await.unwrap();
    let shown = format!("{cached:?}");
    assert!(shown.contains("cached: Some(true)"), "{shown}");
    assert!(
        !shown.contains("cached-secret") && !shown.contains("AKIDCACHED"),
        "{shown}"
    );
}
