//! The standard retry mode: classification, backoff, `x-amz-retry-after`, the retry quota, attempts, and the
//! jitter and sleep implementations.

use lean_aws_runtime::retry::{
    classify, AttemptOutcome, CallState, FixedJitter, Jitter, RandomJitter, RetryConfig, RetryKind, RetryMode,
    RetryStrategy, QUOTA_MAX,
};
use lean_aws_runtime::time::{RecordingSleep, Sleep, TokioSleep};
use lean_aws_runtime::transport::{HttpResponse, TransportErrorKind};
use std::sync::Arc;
use std::time::Duration;

/// Copied from the brief, not imported from the module: the test checks the module's list against it.
const THROTTLING_CODES: [&str; 14] = [
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

fn strategy(max_attempts: u32, jitter: f64) -> RetryStrategy {
    RetryStrategy::new(
        RetryConfig {
            max_attempts,
            mode: RetryMode::Standard,
        },
        Arc::new(FixedJitter(jitter)),
    )
}

fn status(status: u16) -> AttemptOutcome<'static> {
    AttemptOutcome::Response {
        status,
        code: None,
        retry_after_ms: None,
    }
}

fn code(status: u16, code: &str) -> AttemptOutcome<'_> {
    AttemptOutcome::Response {
        status,
        code: Some(code),
        retry_after_ms: None,
    }
}

fn retry_after(status: u16, value: &str) -> AttemptOutcome<'_> {
    AttemptOutcome::Response {
        status,
        code: None,
        retry_after_ms: Some(value),
    }
}

const THROTTLED: AttemptOutcome<'static> = AttemptOutcome::Response {
    status: 400,
    code: Some("ThrottlingException"),
    retry_after_ms: None,
};

fn ms(ms: u64) -> Duration {
    Duration::from_millis(ms)
}

/// The delays before attempts 2, 3, ... when every attempt ends with `outcome`.
fn delays(strategy: &RetryStrategy, outcome: &AttemptOutcome<'_>) -> Vec<Duration> {
    let mut call = CallState::default();
    (1..)
        .map_while(|attempt| strategy.after_attempt(attempt, outcome, &mut call))
        .collect()
}

// Classification

#[test]
fn every_throttling_code_is_throttling_whatever_the_status() {
    for c in THROTTLING_CODES {
        assert_eq!(classify(&code(400, c)), Some(RetryKind::Throttling), "{c}");
        assert_eq!(classify(&code(503, c)), Some(RetryKind::Throttling), "{c} on 503");
    }
}

#[test]
fn http_429_is_throttling() {
    assert_eq!(classify(&status(429)), Some(RetryKind::Throttling));
    assert_eq!(classify(&code(429, "SomethingElse")), Some(RetryKind::Throttling));
}

#[test]
fn http_500_502_503_504_are_transient() {
    for s in [500, 502, 503, 504] {
        assert_eq!(classify(&status(s)), Some(RetryKind::Transient), "{s}");
        assert_eq!(
            classify(&code(s, "InternalServerException")),
            Some(RetryKind::Transient),
            "{s}"
        );
    }
    for s in [501, 505, 599] {
        assert_eq!(classify(&status(s)), None, "{s}");
    }
}

#[test]
fn transient_codes_are_transient() {
    for c in ["RequestTimeout", "RequestTimeoutException", "InternalError"] {
        assert_eq!(classify(&code(400, c)), Some(RetryKind::Transient), "{c}");
    }
}

#[test]
fn transport_connect_timeout_and_io_are_transient_request_and_other_are_not() {
    use TransportErrorKind::*;
    for kind in [Connect, Timeout, Io] {
        assert_eq!(
            classify(&AttemptOutcome::Transport(kind)),
            Some(RetryKind::Transient),
            "{kind:?}"
        );
    }
    for kind in [Request, Other] {
        assert_eq!(classify(&AttemptOutcome::Transport(kind)), None, "{kind:?}");
    }
}

#[test]
fn other_4xx_and_success_are_not_retryable() {
    for c in [
        "InvalidRequestException",
        "ValidationException",
        "AccessDeniedException",
        "throttlingexception",
    ] {
        assert_eq!(classify(&code(400, c)), None, "{c}");
    }
    for s in [400, 403, 404, 409, 413] {
        assert_eq!(classify(&status(s)), None, "{s}");
    }
    assert_eq!(classify(&AttemptOutcome::Success), None);
}

#[test]
fn non_retryable_errors_stop_at_once_and_cost_nothing() {
    let s = strategy(3, 0.5);
    let mut call = CallState::default();
    assert_eq!(
        s.after_attempt(1, &code(400, "InvalidRequestException"), &mut call),
        None
    );
    assert_eq!(
        s.after_attempt(1, &AttemptOutcome::Transport(TransportErrorKind::Request), &mut call),
        None
    );
    assert_eq!(s.quota_balance(), QUOTA_MAX);
}

#[test]
fn from_response_reads_status_and_retry_after_header() {
    let response = HttpResponse::new(503, "").with_header("X-Amz-Retry-After", "1500");
    assert_eq!(
        AttemptOutcome::from_response(&response, Some("SlowDown")),
        AttemptOutcome::Response {
            status: 503,
            code: Some("SlowDown"),
            retry_after_ms: Some("1500")
        }
    );
}

// Backoff

#[test]
fn transient_backoff_doubles_from_50ms_and_caps_at_20s() {
    let s = strategy(12, 0.5);
    let expected: Vec<Duration> = [25, 50, 100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000]
        .into_iter()
        .map(ms)
        .collect();
    assert_eq!(delays(&s, &status(500)), expected);
}

#[test]
fn throttling_backoff_doubles_from_1s_and_caps_at_20s() {
    let s = strategy(8, 0.5);
    let expected: Vec<Duration> = [500, 1000, 2000, 4000, 8000, 10_000, 10_000]
        .into_iter()
        .map(ms)
        .collect();
    assert_eq!(delays(&s, &THROTTLED), expected);
}

#[test]
fn full_jitter_gives_the_ceiling_and_zero_jitter_gives_no_wait() {
    let mut call = CallState::default();
    assert_eq!(strategy(3, 1.0).after_attempt(1, &status(503), &mut call), Some(ms(50)));
    assert_eq!(strategy(3, 1.0).after_attempt(2, &THROTTLED, &mut call), Some(ms(2000)));
    assert_eq!(
        strategy(3, 0.0).after_attempt(2, &THROTTLED, &mut call),
        Some(Duration::ZERO)
    );
}

#[test]
fn huge_attempt_numbers_do_not_overflow() {
    let s = strategy(u32::MAX, 1.0);
    let mut call = CallState::default();
    assert_eq!(
        s.after_attempt(64, &status(500), &mut call),
        Some(Duration::from_secs(20))
    );
    assert_eq!(
        s.after_attempt(u32::MAX - 1, &THROTTLED, &mut call),
        Some(Duration::from_secs(20))
    );
}

#[test]
fn out_of_range_jitter_is_clamped() {
    let mut call = CallState::default();
    assert_eq!(strategy(3, 7.0).after_attempt(1, &status(500), &mut call), Some(ms(50)));
    assert_eq!(
        strategy(3, -1.0).after_attempt(1, &status(500), &mut call),
        Some(Duration::ZERO)
    );
    assert_eq!(
        strategy(3, f64::NAN).after_attempt(1, &status(500), &mut call),
        Some(Duration::ZERO)
    );
}

// x-amz-retry-after: computed delay is 25 ms on attempt 1 (jitter 0.5, transient), window [25 ms, 5025 ms].

#[test]
fn retry_after_below_the_window_is_raised_to_the_computed_delay() {
    let mut call = CallState::default();
    assert_eq!(
        strategy(3, 0.5).after_attempt(1, &retry_after(503, "10"), &mut call),
        Some(ms(25))
    );
    assert_eq!(
        strategy(3, 0.5).after_attempt(1, &retry_after(503, "0"), &mut call),
        Some(ms(25))
    );
}

#[test]
fn retry_after_inside_the_window_is_used() {
    let mut call = CallState::default();
    assert_eq!(
        strategy(3, 0.5).after_attempt(1, &retry_after(503, "1500"), &mut call),
        Some(ms(1500))
    );
    assert_eq!(
        strategy(3, 0.5).after_attempt(1, &retry_after(503, "5025"), &mut call),
        Some(ms(5025))
    );
}

#[test]
fn retry_after_above_the_window_is_lowered_to_computed_plus_5s() {
    let mut call = CallState::default();
    assert_eq!(
        strategy(3, 0.5).after_attempt(1, &retry_after(503, "60000"), &mut call),
        Some(ms(5025))
    );
    // Throttling, attempt 2: computed 1 s, window [1 s, 6 s].
    let throttled = AttemptOutcome::Response {
        status: 429,
        code: None,
        retry_after_ms: Some("99999999999"),
    };
    assert_eq!(strategy(3, 0.5).after_attempt(2, &throttled, &mut call), Some(ms(6000)));
}

#[test]
fn unparsable_retry_after_is_ignored() {
    for value in ["", "soon", "-5", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT"] {
        let mut call = CallState::default();
        assert_eq!(
            strategy(3, 0.5).after_attempt(1, &retry_after(503, value), &mut call),
            Some(ms(25)),
            "{value:?}"
        );
    }
}

#[test]
fn retry_after_does_not_make_a_non_retryable_error_retryable() {
    let mut call = CallState::default();
    assert_eq!(
        strategy(3, 0.5).after_attempt(1, &retry_after(400, "100"), &mut call),
        None
    );
}

// Attempts

#[test]
fn three_attempts_by_default() {
    assert_eq!(
        RetryConfig::default(),
        RetryConfig {
            max_attempts: 3,
            mode: RetryMode::Standard
        }
    );
    let s = RetryStrategy::new(RetryConfig::default(), Arc::new(FixedJitter(0.5)));
    assert_eq!(delays(&s, &status(500)), vec![ms(25), ms(50)]);
}

#[test]
fn max_attempts_is_configurable_and_zero_means_one() {
    assert_eq!(delays(&strategy(1, 0.5), &status(500)).len(), 0);
    assert_eq!(delays(&strategy(0, 0.5), &status(500)).len(), 0);
    assert_eq!(delays(&strategy(5, 0.5), &status(500)).len(), 4);
}

#[test]
fn the_last_attempt_costs_no_quota() {
    let s = strategy(2, 0.5);
    assert_eq!(delays(&s, &status(500)).len(), 1);
    assert_eq!(s.quota_balance(), QUOTA_MAX - 14);
}

// Retry quota

#[test]
fn a_transient_retry_costs_14() {
    let s = strategy(3, 0.5);
    let mut call = CallState::default();
    s.after_attempt(1, &status(500), &mut call).unwrap();
    assert_eq!(s.quota_balance(), 486);
}

#[test]
fn a_throttling_retry_costs_5() {
    let s = strategy(3, 0.5);
    let mut call = CallState::default();
    s.after_attempt(1, &THROTTLED, &mut call).unwrap();
    assert_eq!(s.quota_balance(), 495);
}

#[test]
fn success_after_retries_refunds_the_last_retry_only() {
    let s = strategy(3, 0.5);
    let mut call = CallState::default();
    s.after_attempt(1, &status(500), &mut call).unwrap();
    s.after_attempt(2, &THROTTLED, &mut call).unwrap();
    assert_eq!(s.quota_balance(), 500 - 14 - 5);
    assert_eq!(s.after_attempt(3, &AttemptOutcome::Success, &mut call), None);
    assert_eq!(s.quota_balance(), 500 - 14);
}

#[test]
fn first_try_success_adds_1_up_to_500() {
    let s = strategy(3, 0.5);
    let mut call = CallState::default();
    s.after_attempt(1, &status(500), &mut call).unwrap();
    assert_eq!(s.quota_balance(), 486);
    for expected in [487, 488] {
        assert_eq!(
            s.after_attempt(1, &AttemptOutcome::Success, &mut CallState::default()),
            None
        );
        assert_eq!(s.quota_balance(), expected);
    }
    for _ in 0..20 {
        s.after_attempt(1, &AttemptOutcome::Success, &mut CallState::default());
    }
    assert_eq!(s.quota_balance(), QUOTA_MAX);
}

#[test]
fn a_refund_never_lifts_the_quota_above_500() {
    let s = strategy(3, 0.5);
    let mut first = CallState::default();
    s.after_attempt(1, &status(500), &mut first).unwrap();
    for _ in 0..20 {
        s.after_attempt(1, &AttemptOutcome::Success, &mut CallState::default());
    }
    assert_eq!(s.quota_balance(), QUOTA_MAX);
    s.after_attempt(2, &AttemptOutcome::Success, &mut first);
    assert_eq!(s.quota_balance(), QUOTA_MAX);
}

#[test]
fn a_call_that_fails_after_retries_gets_no_refund() {
    let s = strategy(3, 0.5);
    assert_eq!(delays(&s, &status(500)).len(), 2);
    assert_eq!(s.quota_balance(), 500 - 2 * 14);
}

#[test]
fn retries_stop_exactly_when_the_quota_cannot_pay() {
    let s = strategy(u32::MAX, 0.0);
    // 35 transient retries cost 490 and leave 10: not enough for a 36th.
    assert_eq!(delays(&s, &status(500)).len(), 35);
    assert_eq!(s.quota_balance(), 10);
    // 10 still pays for two throttling retries, to exactly 0.
    assert_eq!(delays(&s, &THROTTLED).len(), 2);
    assert_eq!(s.quota_balance(), 0);
    // A first-try success earns 1: still too little for either.
    s.after_attempt(1, &AttemptOutcome::Success, &mut CallState::default());
    assert_eq!(delays(&s, &THROTTLED).len(), 0);
    assert_eq!(s.quota_balance(), 1);
}

#[test]
fn a_balance_of_exactly_14_pays_for_one_more_retry() {
    let s = strategy(u32::MAX, 0.0);
    // 34 transient retries leave 24; 2 throttling retries leave 14.
    let mut call = CallState::default();
    for attempt in 1..=34 {
        s.after_attempt(attempt, &status(500), &mut call).unwrap();
    }
    for attempt in 35..=36 {
        s.after_attempt(attempt, &THROTTLED, &mut call).unwrap();
    }
    assert_eq!(s.quota_balance(), 14);
    assert!(s.after_attempt(37, &status(500), &mut call).is_some());
    assert_eq!(s.quota_balance(), 0);
    assert_eq!(s.after_attempt(38, &status(500), &mut call), None);
}

#[test]
fn clones_share_the_quota() {
    let s = strategy(3, 0.5);
    let other_call_site = s.clone();
    other_call_site
        .after_attempt(1, &status(500), &mut CallState::default())
        .unwrap();
    assert_eq!(s.quota_balance(), 486);
}

// Retry mode

#[test]
fn retry_mode_parses_standard_and_adaptive_and_maps_legacy_to_standard() {
    for value in ["standard", "Standard", " legacy "] {
        assert_eq!(value.parse::<RetryMode>(), Ok(RetryMode::Standard), "{value:?}");
    }
    for value in ["adaptive", " ADAPTIVE "] {
        assert_eq!(value.parse::<RetryMode>(), Ok(RetryMode::Adaptive), "{value:?}");
    }
    let err = "fast".parse::<RetryMode>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown retry mode \"fast\": expected standard, legacy or adaptive"
    );
}

// Jitter and sleep

#[test]
fn random_jitter_stays_in_range_and_is_reproducible_from_a_seed() {
    let a = RandomJitter::with_seed(42);
    let b = RandomJitter::with_seed(42);
    let xs: Vec<f64> = (0..10_000).map(|_| a.next()).collect();
    let ys: Vec<f64> = (0..10_000).map(|_| b.next()).collect();
    assert_eq!(xs, ys);
    assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
    // Spread over the interval, not stuck.
    assert!(xs.iter().any(|&x| x < 0.1) && xs.iter().any(|&x| x > 0.9));
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    assert!((0.45..0.55).contains(&mean), "{mean}");
}

#[test]
fn random_jitter_from_new_is_in_range() {
    let j = RandomJitter::new();
    assert!((0..100).map(|_| j.next()).all(|x| (0.0..1.0).contains(&x)));
}

#[tokio::test]
async fn recording_sleep_records_and_returns_at_once() {
    let sleep = RecordingSleep::new();
    let shared = sleep.clone();
    sleep.sleep(ms(25)).await;
    sleep.sleep(Duration::from_secs(20)).await;
    assert_eq!(shared.delays(), vec![ms(25), Duration::from_secs(20)]);
}

#[tokio::test(start_paused = true)]
async fn tokio_sleep_waits_exactly_the_duration_on_the_tokio_timer() {
    // Paused time: the timer advances only as far as sleepers need, so the durations below are exact.
    let start = tokio::time::Instant::now();
    let early = tokio::time::timeout(Duration::from_millis(4999), TokioSleep.sleep(Duration::from_secs(5))).await;
    assert!(early.is_err(), "the sleep ended before its duration");
    assert_eq!(start.elapsed(), Duration::from_millis(4999));
    let start = tokio::time::Instant::now();
    TokioSleep.sleep(Duration::from_secs(5)).await;
    assert_eq!(start.elapsed(), Duration::from_secs(5));
}

#[tokio::test]
async fn a_call_loop_with_recording_sleep() {
    let s = strategy(3, 0.5);
    let sleep = RecordingSleep::new();
    let outcomes = [status(503), THROTTLED, AttemptOutcome::Success];
    let mut call = CallState::default();
    let mut attempt = 1;
    while let Some(delay) = s.after_attempt(attempt, &outcomes[attempt as usize - 1], &mut call) {
        sleep.sleep(delay).await;
        attempt += 1;
    }
    assert_eq!(attempt, 3);
    assert_eq!(sleep.delays(), vec![ms(25), ms(1000)]);
    assert_eq!(s.quota_balance(), 500 - 14);
}
