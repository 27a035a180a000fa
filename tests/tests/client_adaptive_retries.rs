//! Adaptive retry mode through the whole client: a caller that wants 10 calls a second against a service that
//! throttles for a while, on one `ManualClock` that is both the client's clock and its sleep (waits move it
//! instead of passing). The expected numbers are worked out by hand from the formulas of botocore's
//! `retries/adaptive.py`, `bucket.py`, `throttling.py` and aws-sdk-rust's `client_rate_limiter.rs` (see
//! `lean_aws_runtime::retry::adaptive`); the steps are in the comments.

mod support;

use lean_aws_runtime::clock::{Clock, ManualClock};
use lean_aws_runtime::config::ConfigError;
use lean_aws_runtime::env::Env;
use lean_aws_runtime::profile::Fs;
use lean_aws_runtime::retry::{RetryConfig, RetryMode};
use lean_aws_runtime::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use lean_emr::operation::update_studio_session_mapping::UpdateStudioSessionMapping;
use lean_emr::SdkError;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};
use support::resilience::{base_config, error, input, ok};

const T0: u64 = 1_700_000_000;

/// A service that answers `ThrottlingException` to every request sent in `[T0 + from, T0 + until)` seconds and
/// succeeds otherwise, and records when (seconds after T0) each request arrived.
#[derive(Debug, Clone)]
struct ThrottlingService {
    clock: ManualClock,
    from: f64,
    until: f64,
    sends: Arc<Mutex<Vec<f64>>>,
}

impl ThrottlingService {
    fn new(clock: &ManualClock, from: f64, until: f64) -> Self {
        ThrottlingService {
            clock: clock.clone(),
            from,
            until,
            sends: Arc::default(),
        }
    }

    fn sends(&self) -> Vec<f64> {
        self.sends.lock().expect("not poisoned").clone()
    }
}

impl Transport for ThrottlingService {
    fn send(
        &self,
        _request: HttpRequest,
    ) -> Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + '_>> {
        let t = elapsed(&self.clock);
        self.sends.lock().expect("not poisoned").push(t);
        let response = if (self.from..self.until).contains(&t) {
            error(400, "ThrottlingException")
        } else {
            ok("r")
        };
        Box::pin(async move { Ok(response) })
    }
}

/// Seconds since T0 on `clock`.
fn elapsed(clock: &ManualClock) -> f64 {
    clock
        .now()
        .duration_since(UNIX_EPOCH + Duration::from_secs(T0))
        .expect("after T0")
        .as_secs_f64()
}

fn retry(mode: RetryMode, max_attempts: u32) -> RetryConfig {
    RetryConfig { max_attempts, mode }
}

fn client(clock: &ManualClock, service: &ThrottlingService, retry: RetryConfig) -> lean_aws_runtime::Client {
    let config = base_config()
        .clock(clock.clone())
        .sleep(clock.clone())
        .transport(service.clone())
        .retry_config(retry);
    lean_aws_runtime::Client::new(&lean_emr::service::SERVICE, config.build())
}

/// Calls one after another, the next 0.1 s after the last one returned, until `end` seconds after T0; returns
/// the limiter's fill rate after each call (`None` in standard mode).
async fn offer_10_per_second(client: &lean_aws_runtime::Client, clock: &ManualClock, end: f64) -> Vec<Option<f64>> {
    let mut fill_rates = Vec::new();
    while elapsed(clock) < end {
        let _ = client.invoke::<UpdateStudioSessionMapping>(&input()).await;
        fill_rates.push(client.rate_limiter().map(|l| l.state().fill_rate));
        clock.advance(Duration::from_millis(100));
    }
    fill_rates
}

#[track_caller]
fn close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 1e-6,
        "{what}: expected {expected}, got {actual}"
    );
}

#[tokio::test]
async fn under_throttles_the_send_rate_falls_by_0_7_per_throttle_to_0_5_per_second_and_recovers_after() {
    let clock = ManualClock::from_epoch_secs(T0);
    let service = ThrottlingService::new(&clock, 10.0, 30.0);
    let client = client(&clock, &service, retry(RetryMode::Adaptive, 1));
    let fill_rates = offer_10_per_second(&client, &clock, 60.0).await;
    let sends = service.sends();
    assert_eq!(sends.len(), fill_rates.len(), "one attempt per call");

    // 0 to 10 s: no throttle yet, so the limiter is off: the 100 calls go out when offered, none waits.
    for (i, t) in sends[..100].iter().enumerate() {
        close(*t, i as f64 / 10.0, "unthrottled send time");
    }
    // Measured rate by then: the first half-second bucket (from T0, the whole second the client was made in) holds
    // 6 responses (0.0 .. 0.5), every later one 5: 12/s, then 10/s; 0.8 × 12 = 9.6, 0.8 × 10 + 0.2 × 9.6 = 9.92,
    // ... → 10 (within 0.4 × 0.2^19 at 10 s). The fill rate is min(CUBIC, 2 × measured) = 20.
    close(
        fill_rates[99].expect("adaptive"),
        20.0,
        "fill rate before the throttles",
    );

    // From 10 s every response is a throttle. The first: the bucket was off, so W_max = the measured rate 10 and
    // the fill rate 10 × 0.7 = 7, the capacity 7 (the 20 tokens held are cut to 7). Each later one: W_max =
    // min(measured, fill) = the fill rate (the measured rate, made of the bursts at 10/s, stays above it), so the
    // fill rate is 0.7 × the last one: 10 × 0.7^n, until 10 × 0.7^9 = 0.40 is raised to the minimum 0.5.
    let throttled: Vec<usize> = (0..sends.len()).filter(|&i| (10.0..30.0).contains(&sends[i])).collect();
    let expected = [
        7.0,
        4.9,
        3.43,
        2.401,
        1.6807,
        1.176_49,
        0.823_543,
        0.576_480_1,
        0.5,
        0.5,
    ];
    for (n, (&i, want)) in throttled.iter().zip(expected).enumerate() {
        close(
            fill_rates[i].expect("adaptive"),
            want,
            &format!("fill rate after throttle {}", n + 1),
        );
    }
    // At 0.5 tokens a second with a capacity of 1, one attempt every 2 s: the call offered 0.1 s after a send
    // holds 0.05 tokens and waits (1 - 0.05) / 0.5 = 1.9 s.
    let at_floor = &throttled[9..];
    assert!(at_floor.len() >= 5, "{} throttled sends at the floor", at_floor.len());
    for pair in at_floor.windows(2) {
        close(sends[pair[1]] - sends[pair[0]], 2.0, "interval at 0.5/s");
    }
    // In the 20 s of throttles the 7 tokens held let the first few calls through at once, then the waits grow:
    // far fewer than the 200 offered calls are sent.
    assert!(throttled.len() < 30, "{} throttled sends", throttled.len());

    // After 30 s the service accepts again: CUBIC climbs from W_max = 0.5 (K = ∛(0.5 × 0.3 / 0.4) = 0.72 s), held
    // to twice the measured rate, which doubles at most every half second; 10 s later the client sends every
    // call when offered again, and the fill rate is back at 2 × 10.
    let recovered: Vec<f64> = sends.iter().copied().filter(|t| (40.0..50.0).contains(t)).collect();
    assert_eq!(recovered.len(), 100, "10/s again between 40 s and 50 s");
    for pair in recovered.windows(2) {
        close(pair[1] - pair[0], 0.1, "interval after recovery");
    }
    close(
        fill_rates.last().copied().flatten().expect("adaptive"),
        20.0,
        "fill rate at the end",
    );
}

#[tokio::test]
async fn standard_mode_has_no_limiter_and_sends_every_call_when_offered() {
    let clock = ManualClock::from_epoch_secs(T0);
    let service = ThrottlingService::new(&clock, 10.0, 30.0);
    let client = client(&clock, &service, retry(RetryMode::Standard, 1));
    assert!(client.rate_limiter().is_none());
    let fill_rates = offer_10_per_second(&client, &clock, 60.0).await;
    assert!(fill_rates.iter().all(Option::is_none));
    assert!(
        clock.sleeps().is_empty(),
        "one attempt per call and no limiter: nothing waits"
    );
    let sends = service.sends();
    assert_eq!(sends.len(), 600);
    for (i, t) in sends.iter().enumerate() {
        close(*t, i as f64 / 10.0, "send time");
    }
}

#[tokio::test]
async fn clones_share_the_limiter_and_every_attempt_takes_a_token() {
    let clock = ManualClock::from_epoch_secs(T0);
    // Throttled for the first 3 s.
    let service = ThrottlingService::new(&clock, 0.0, 3.0);
    let a = client(&clock, &service, retry(RetryMode::Adaptive, 3));
    let b = a.clone();
    assert!(a
        .rate_limiter()
        .expect("adaptive")
        .ptr_eq(b.rate_limiter().expect("adaptive")));

    // A's call: attempt 1 at 0 s goes at once (the limiter is off) and is throttled: measured rate 0 (one
    // response in the first bucket), W_max 0, fill rate max(0 × 0.7, 0.5) = 0.5, capacity 1, no tokens held.
    // Standard backoff before attempt 2: 1 s (throttling base, jitter 1). Then the token: 0.5 earned in that
    // second, wait (1 - 0.5) / 0.5 = 1 s; attempt 2 at 2 s, throttled. Backoff 2 s; the token: 1 earned, none to
    // wait for; attempt 3 at 4 s succeeds.
    let _ = a.invoke::<UpdateStudioSessionMapping>(&input()).await;
    let secs = |d: &Duration| d.as_secs_f64();
    let sleeps: Vec<f64> = clock.sleeps().iter().map(secs).collect();
    assert_eq!(sleeps.len(), 3, "{sleeps:?}");
    close(sleeps[0], 1.0, "backoff");
    close(sleeps[1], 1.0, "token wait");
    close(sleeps[2], 2.0, "backoff");
    let sends = service.sends();
    for (t, want) in sends.iter().zip([0.0, 2.0, 4.0]) {
        close(*t, want, "attempt time");
    }

    // B, the clone, has the same bucket: A's success at 4 s took its only token and set the fill rate to 1.12
    // (measured rate: 1 response over the 2 s from bucket 2.0 to 4.0, 0.8 × 0.5 + 0.2 × 0.8 = 0.56; CUBIC
    // 0.4 × (4 - 2 - ∛(0.5 × 0.3 / 0.4))³ + 0.5 = 0.4 × 1.279³ + 0.5 = 1.337, capped at 2 × 0.56 = 1.12).
    let s = b.rate_limiter().expect("adaptive").state();
    close(s.fill_rate, 1.12, "fill rate after the success");
    close(s.capacity, 0.0, "tokens after the success");
    // So B's call at once waits (1 - 0) / 1.12 s for its token.
    let _ = b.invoke::<UpdateStudioSessionMapping>(&input()).await;
    close(
        secs(clock.sleeps().last().expect("waited")),
        1.0 / 1.12,
        "clone's token wait",
    );

    // Another client has its own limiter, still off.
    let other = client(&clock, &service, retry(RetryMode::Adaptive, 3));
    assert!(!other.rate_limiter().expect("adaptive").state().enabled);
    assert!(!other
        .rate_limiter()
        .expect("adaptive")
        .ptr_eq(a.rate_limiter().expect("adaptive")));
}

#[tokio::test]
async fn a_clock_that_does_not_move_through_the_wait_does_not_hang_the_call() {
    // A fixed clock with a sleep that returns at once: waiting never earns a token. After the throttle (fill rate
    // 0.5, no tokens) the next call asks for one wait of 1 / 0.5 = 2 s, sees that the clock did not move, and
    // sends.
    let transport = lean_aws_runtime::transport::InMemoryTransport::new();
    transport
        .push_response(error(400, "ThrottlingException"))
        .push_response(ok("r"));
    let sleep = lean_aws_runtime::time::RecordingSleep::new();
    let config = base_config()
        .clock(lean_aws_runtime::clock::FixedClock::from_epoch_secs(T0))
        .sleep(sleep.clone())
        .transport(transport.clone())
        .retry_config(retry(RetryMode::Adaptive, 1));
    let client = lean_aws_runtime::Client::new(&lean_emr::service::SERVICE, config.build());
    client
        .invoke::<UpdateStudioSessionMapping>(&input())
        .await
        .expect_err("throttled");
    client
        .invoke::<UpdateStudioSessionMapping>(&input())
        .await
        .expect("sent");
    assert_eq!(sleep.delays(), vec![Duration::from_secs(2)]);
    assert_eq!(transport.requests().len(), 2);
}

// Where the mode comes from.

/// A client with `vars` as its environment and `config` as its shared config file.
fn configured(vars: &[(&str, &str)], config: &str, explicit: Option<RetryConfig>) -> lean_aws_runtime::Client {
    let mut env: Vec<(&str, &str)> = vec![("AWS_CONFIG_FILE", "/aws/config")];
    env.extend_from_slice(vars);
    let mut builder = base_config()
        .env(Env::from_pairs(env))
        .fs(Fs::from_files([("/aws/config", config)]));
    if let Some(retry) = explicit {
        builder = builder.retry_config(retry);
    }
    lean_aws_runtime::Client::new(&lean_emr::service::SERVICE, builder.build())
}

#[test]
fn the_environment_the_profile_and_retry_config_each_select_adaptive() {
    let adaptive = |c: &lean_aws_runtime::Client| c.rate_limiter().is_some();
    assert!(adaptive(&configured(&[("AWS_RETRY_MODE", "adaptive")], "", None)));
    assert!(adaptive(&configured(&[("AWS_RETRY_MODE", " Adaptive ")], "", None)));
    assert!(adaptive(&configured(&[], "[default]\nretry_mode = adaptive\n", None)));
    assert!(adaptive(&configured(&[], "", Some(retry(RetryMode::Adaptive, 3)))));
    // Precedence as for every setting: code, then the environment, then the profile.
    let profile = "[default]\nretry_mode = adaptive\n";
    assert!(!adaptive(&configured(&[("AWS_RETRY_MODE", "standard")], profile, None)));
    assert!(!adaptive(&configured(
        &[("AWS_RETRY_MODE", "adaptive")],
        "",
        Some(RetryConfig::default())
    )));
    // Standard, legacy (which means standard) and the default have no limiter.
    for mode in ["standard", "legacy"] {
        assert!(!adaptive(&configured(&[("AWS_RETRY_MODE", mode)], "", None)), "{mode}");
    }
    assert!(!adaptive(&configured(&[], "", None)));
}

#[tokio::test]
async fn an_unknown_mode_is_still_a_clear_error_naming_where_it_came_from() {
    for (vars, config, setting) in [
        (&[("AWS_RETRY_MODE", "adaptiv")][..], "", "AWS_RETRY_MODE"),
        (
            &[][..],
            "[default]\nretry_mode = adaptiv\n",
            "retry_mode in profile \"default\"",
        ),
    ] {
        let client = configured(vars, config, None);
        assert!(client.rate_limiter().is_none());
        let err = client
            .invoke::<UpdateStudioSessionMapping>(&input())
            .await
            .expect_err("invalid setting");
        match err {
            SdkError::Config(ConfigError::Invalid {
                setting: ref named,
                ref reason,
            }) => {
                assert_eq!(named, setting);
                assert_eq!(
                    reason,
                    "unknown retry mode \"adaptiv\": expected standard, legacy or adaptive"
                );
            }
            ref other => panic!("expected ConfigError::Invalid, got {other:?}"),
        }
    }
}
