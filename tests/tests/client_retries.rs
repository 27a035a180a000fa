//! Retries through the whole client: what is retried, how long it waits (recorded, never slept), how many
//! attempts, the quota the calls of one client share, and where the retry settings come from.

mod support;

use lean_aws_runtime::config::ConfigError;
use lean_aws_runtime::env::Env;
use lean_aws_runtime::error::http_status;
use lean_aws_runtime::retry::FixedJitter;
use lean_aws_runtime::retry::{RetryConfig, QUOTA_MAX, RETRY_COST, THROTTLING_RETRY_COST};
use lean_aws_runtime::time::RecordingSleep;
use lean_aws_runtime::transport::{HttpResponse, InMemoryTransport, TransportError, TransportErrorKind};
use lean_aws_runtime::ProvideErrorMetadata;
use lean_emr::operation::update_studio_session_mapping::{UpdateStudioSessionMapping, UpdateStudioSessionMappingError};
use lean_emr::operation::RequestId;
use lean_emr::SdkError;
use std::time::Duration;
use support::resilience::*;

/// The runtime client under `lean_emr::Client`, for reading the retry quota.
fn runtime_client(config: lean_aws_runtime::ConfigBuilder) -> lean_aws_runtime::Client {
    lean_aws_runtime::Client::new(&lean_emr::service::SERVICE, config.build())
}

type Outcome = Result<
    lean_emr::operation::update_studio_session_mapping::UpdateStudioSessionMappingOutput,
    SdkError<UpdateStudioSessionMappingError>,
>;

async fn call(client: &lean_aws_runtime::Client) -> Outcome {
    client.invoke::<UpdateStudioSessionMapping>(&input()).await
}

fn connect_error() -> TransportError {
    TransportError::new(TransportErrorKind::Connect, "connection refused")
}

#[tokio::test]
async fn a_503_then_a_200_succeeds_on_the_second_attempt() {
    let transport = InMemoryTransport::new();
    transport.push_response(status(503)).push_response(ok("req-2"));
    let sleep = RecordingSleep::new();
    let out = run(config(&transport, &sleep).jitter(FixedJitter(0.5)))
        .await
        .expect("the second attempt succeeds");
    assert_eq!(out.request_id(), Some("req-2"));
    assert_eq!(transport.requests().len(), 2);
    // 0.5 × 50 ms before attempt 2.
    assert_eq!(sleep.delays(), vec![ms(25)]);
}

#[tokio::test]
async fn every_attempt_is_signed_again_with_the_clock_time() {
    let transport = InMemoryTransport::new();
    transport
        .push_response(status(500))
        .push_response(status(502))
        .push_response(ok("r"));
    let sleep = RecordingSleep::new();
    run(config(&transport, &sleep)).await.expect("third attempt succeeds");
    let requests = transport.requests();
    assert_eq!(requests.len(), 3);
    let dates: Vec<&str> = requests
        .iter()
        .map(|r| r.header("x-amz-date").expect("signed"))
        .collect();
    // SteppingClock: one second per signature.
    assert_eq!(dates, ["20231114T221320Z", "20231114T221321Z", "20231114T221322Z"]);
    let signatures: Vec<&str> = requests
        .iter()
        .map(|r| r.header("authorization").expect("signed"))
        .collect();
    assert_ne!(signatures[0], signatures[1]);
    assert_ne!(signatures[1], signatures[2]);
    for r in &requests {
        assert_eq!(
            r.headers.iter().filter(|(n, _)| n == "authorization").count(),
            1,
            "one signature per attempt"
        );
        assert_eq!(r.header("x-amz-security-token"), Some(SESSION_TOKEN));
    }
}

#[tokio::test]
async fn invalid_request_exception_is_not_retried() {
    let transport = InMemoryTransport::new();
    transport
        .push_response(error(400, "InvalidRequestException"))
        .push_response(ok("never"));
    let sleep = RecordingSleep::new();
    let client = runtime_client(config(&transport, &sleep));
    let err = call(&client).await.expect_err("a client error");
    match err.into_service_error() {
        UpdateStudioSessionMappingError::InvalidRequestException(e) => {
            assert_eq!(http_status(&e.meta), Some(400));
            assert_eq!(e.request_id(), Some("req-400"));
        }
        other => panic!("expected InvalidRequestException, got {other:?}"),
    }
    assert_eq!(transport.requests().len(), 1);
    assert!(sleep.delays().is_empty());
    assert_eq!(
        client.retry_quota(),
        Some(QUOTA_MAX),
        "a non-retryable error costs nothing"
    );
}

#[tokio::test]
async fn throttling_is_retried_with_a_one_second_base() {
    let transport = InMemoryTransport::new();
    transport
        .push_response(error(400, "ThrottlingException"))
        .push_response(error(400, "ThrottlingException"))
        .push_response(ok("r"));
    let sleep = RecordingSleep::new();
    let client = runtime_client(config(&transport, &sleep));
    call(&client).await.expect("third attempt succeeds");
    assert_eq!(sleep.delays(), vec![ms(1000), ms(2000)]);
    // Two throttling retries paid, the last one refunded on success.
    assert_eq!(client.retry_quota(), Some(QUOTA_MAX - THROTTLING_RETRY_COST));
}

/// The wait before the second attempt when the first gets `first` and the second succeeds.
async fn wait_after(first: HttpResponse) -> Vec<Duration> {
    let transport = InMemoryTransport::new();
    transport.push_response(first).push_response(ok("r"));
    let sleep = RecordingSleep::new();
    run(config(&transport, &sleep)).await.expect("retried");
    assert_eq!(transport.requests().len(), 2);
    sleep.delays()
}

#[tokio::test]
async fn a_throttling_code_in_the_header_with_a_namespace_is_recognised() {
    let throttled = status(400).with_header("X-Amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/");
    assert_eq!(wait_after(throttled).await, vec![ms(1000)]);
}

#[tokio::test]
async fn retry_after_header_sets_the_wait() {
    let busy = status(503).with_header("x-amz-retry-after", "1500");
    assert_eq!(wait_after(busy).await, vec![ms(1500)]);
}

#[tokio::test]
async fn connect_errors_are_retried() {
    let transport = InMemoryTransport::new();
    transport
        .push_error(connect_error())
        .push_error(connect_error())
        .push_response(ok("r"));
    let sleep = RecordingSleep::new();
    let out = run(config(&transport, &sleep)).await.expect("retried");
    assert_eq!(out.request_id(), Some("r"));
    assert_eq!(sleep.delays(), vec![ms(50), ms(100)]);
}

#[tokio::test]
async fn the_last_transport_error_is_returned_when_attempts_run_out() {
    let transport = InMemoryTransport::new();
    for _ in 0..3 {
        transport.push_error(connect_error());
    }
    let sleep = RecordingSleep::new();
    let err = run(config(&transport, &sleep)).await.expect_err("fails");
    match err {
        SdkError::DispatchFailure(e) => assert_eq!(e.kind, TransportErrorKind::Connect),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(transport.requests().len(), 3);
}

#[tokio::test]
async fn a_request_error_is_not_retried() {
    let transport = InMemoryTransport::new();
    transport.push_error(TransportError::new(TransportErrorKind::Request, "bad header"));
    let sleep = RecordingSleep::new();
    let err = run(config(&transport, &sleep)).await.expect_err("fails");
    assert!(
        matches!(err, SdkError::DispatchFailure(ref e) if e.kind == TransportErrorKind::Request),
        "{err:?}"
    );
    assert_eq!(transport.requests().len(), 1);
}

#[tokio::test]
async fn max_attempts_is_respected_with_exact_delays() {
    let transport = InMemoryTransport::new();
    for _ in 0..10 {
        transport.push_response(error(500, "InternalServerError"));
    }
    let sleep = RecordingSleep::new();
    let err = run(config(&transport, &sleep).retry_config(attempts(5)))
        .await
        .expect_err("every attempt fails");
    assert!(
        matches!(
            err.as_service_error(),
            Some(UpdateStudioSessionMappingError::InternalServerError(_))
        ),
        "{err:?}"
    );
    assert_eq!(transport.requests().len(), 5);
    assert_eq!(sleep.delays(), vec![ms(50), ms(100), ms(200), ms(400)]);
}

#[tokio::test]
async fn one_attempt_means_no_retries() {
    let transport = InMemoryTransport::new();
    transport.push_response(status(503)).push_response(ok("never"));
    let sleep = RecordingSleep::new();
    let err = run(config(&transport, &sleep).retry_config(attempts(1)))
        .await
        .expect_err("no retry");
    assert_eq!(err.as_service_error().and_then(|e| http_status(e.meta())), Some(503));
    assert_eq!(transport.requests().len(), 1);
}

#[tokio::test]
async fn the_default_is_three_attempts() {
    let transport = InMemoryTransport::new();
    for _ in 0..5 {
        transport.push_response(status(503));
    }
    let sleep = RecordingSleep::new();
    let _ = run(config(&transport, &sleep)).await;
    assert_eq!(transport.requests().len(), 3);
}

#[tokio::test]
async fn the_quota_is_shared_by_the_calls_of_one_client() {
    let transport = InMemoryTransport::new();
    let sleep = RecordingSleep::new();
    let client = runtime_client(config(&transport, &sleep).retry_config(attempts(2)));

    // A retry that ends in success is refunded.
    transport.push_response(status(503)).push_response(ok("a"));
    call(&client).await.expect("succeeds");
    assert_eq!(client.retry_quota(), Some(QUOTA_MAX));

    // A retry that ends in failure is paid.
    transport.push_response(status(503)).push_response(status(503));
    call(&client).await.expect_err("fails");
    assert_eq!(client.retry_quota(), Some(QUOTA_MAX - RETRY_COST));

    // A first-try success earns one back.
    transport.push_response(ok("b"));
    call(&client).await.expect("succeeds");
    let mut balance = QUOTA_MAX - RETRY_COST + 1;
    assert_eq!(client.retry_quota(), Some(balance));

    // Clones share the quota; failing calls drain it until a retry can no longer be paid.
    let clone = client.clone();
    let mut failed_calls = 0;
    while balance >= RETRY_COST {
        transport.push_response(status(503)).push_response(status(503));
        call(&clone).await.expect_err("fails");
        balance -= RETRY_COST;
        failed_calls += 1;
        assert_eq!(client.retry_quota(), Some(balance));
    }
    assert_eq!(failed_calls, 34);
    assert_eq!(balance, 11);

    // Now a retryable error is returned at once, and costs nothing.
    let before = transport.requests().len();
    transport.push_response(status(503));
    let err = call(&client).await.expect_err("no retry without quota");
    assert_eq!(err.as_service_error().and_then(|e| http_status(e.meta())), Some(503));
    assert_eq!(transport.requests().len(), before + 1);
    assert_eq!(client.retry_quota(), Some(11));
    // A cheaper throttling retry can still be paid.
    transport
        .push_response(error(429, "TooManyRequestsException"))
        .push_response(ok("c"));
    call(&client).await.expect("throttling retry fits the quota");
    assert_eq!(client.retry_quota(), Some(11));

    // Another client has its own quota.
    let other = runtime_client(config(&transport, &sleep));
    assert_eq!(other.retry_quota(), Some(QUOTA_MAX));
}

#[tokio::test]
async fn a_too_large_body_from_any_transport_is_refused_and_not_retried() {
    let transport = InMemoryTransport::new();
    transport.push_response(HttpResponse::new(200, vec![b' '; 1025]));
    let sleep = RecordingSleep::new();
    let err = run(config(&transport, &sleep).max_response_body_size(1024))
        .await
        .expect_err("too large");
    assert!(
        matches!(err, SdkError::DispatchFailure(ref e) if e.kind == TransportErrorKind::ResponseTooLarge),
        "{err:?}"
    );
    assert_eq!(transport.requests().len(), 1);
}

// Where the settings come from.

fn with_env(
    transport: &InMemoryTransport,
    sleep: &RecordingSleep,
    vars: &[(&str, &str)],
) -> lean_aws_runtime::ConfigBuilder {
    config(transport, sleep).env(Env::from_pairs(vars.iter().copied()))
}

/// How many attempts a call makes when every one gets a 503, with `vars` set and, if given, `explicit` settings.
async fn attempts_made(vars: &[(&str, &str)], explicit: Option<RetryConfig>) -> usize {
    let transport = InMemoryTransport::new();
    for _ in 0..10 {
        transport.push_response(status(503));
    }
    let sleep = RecordingSleep::new();
    let mut config = with_env(&transport, &sleep, vars);
    if let Some(retry) = explicit {
        config = config.retry_config(retry);
    }
    let err = run(config).await.expect_err("every attempt gets a 503");
    assert_eq!(
        err.as_service_error().and_then(|e| http_status(e.meta())),
        Some(503),
        "{err:?}"
    );
    transport.requests().len()
}

#[tokio::test]
async fn aws_max_attempts_is_read_from_the_environment() {
    let vars = [("AWS_MAX_ATTEMPTS", "5"), ("AWS_RETRY_MODE", "standard")];
    assert_eq!(attempts_made(&vars, None).await, 5);
}

#[tokio::test]
async fn explicit_retry_config_wins_over_the_environment() {
    let vars = [("AWS_MAX_ATTEMPTS", "5"), ("AWS_RETRY_MODE", "nonsense")];
    assert_eq!(attempts_made(&vars, Some(attempts(2))).await, 2);
}

#[tokio::test]
async fn legacy_and_adaptive_modes_make_the_standard_attempts() {
    // Adaptive adds a rate limiter (tests/tests/client_adaptive_retries.rs); attempts and backoff are standard's.
    for mode in ["legacy", "ADAPTIVE"] {
        assert_eq!(attempts_made(&[("AWS_RETRY_MODE", mode)], None).await, 3, "{mode}");
    }
}

#[tokio::test]
async fn invalid_retry_variables_are_reported_on_call_naming_the_variable() {
    let cases = [
        ("AWS_MAX_ATTEMPTS", "three"),
        ("AWS_MAX_ATTEMPTS", "0"),
        ("AWS_MAX_ATTEMPTS", "-1"),
        ("AWS_RETRY_MODE", "aggressive"),
    ];
    for (var, value) in cases {
        let transport = InMemoryTransport::new();
        let sleep = RecordingSleep::new();
        let client = runtime_client(with_env(&transport, &sleep, &[(var, value)]));
        assert_eq!(client.retry_quota(), None);
        let err = call(&client).await.expect_err("invalid setting");
        match err {
            SdkError::Config(ConfigError::Invalid {
                ref setting,
                ref reason,
            }) => {
                assert_eq!(setting, var);
                assert!(reason.contains(value), "{reason}");
            }
            ref other => panic!("{var}={value}: expected ConfigError::Invalid, got {other:?}"),
        }
        assert!(err.to_string().contains(var), "{err}");
        assert!(transport.requests().is_empty(), "nothing is sent");
    }
}

#[test]
fn retry_settings_fall_back_to_the_profile_hook() {
    use lean_aws_runtime::config::resolve::resolve_retry_config;
    use lean_aws_runtime::profile::ProfileSet;
    let profiles =
        ProfileSet::parse(Some("[default]\nmax_attempts = 7\nretry_mode = adaptive\n"), None).expect("parses");
    let profile = profiles.profile("default");
    let none = Env::from_pairs::<&str, &str>([]);
    let adaptive = |max_attempts| RetryConfig {
        max_attempts,
        mode: lean_aws_runtime::retry::RetryMode::Adaptive,
    };
    assert_eq!(resolve_retry_config(None, &none, profile), Ok(adaptive(7)));
    let env = Env::from_pairs([("AWS_MAX_ATTEMPTS", "2")]);
    assert_eq!(
        resolve_retry_config(None, &env, profile),
        Ok(adaptive(2)),
        "the environment wins (for the attempts; the mode still comes from the profile)"
    );
    assert_eq!(
        resolve_retry_config(Some(attempts(4)), &env, profile),
        Ok(attempts(4)),
        "code wins"
    );
    assert_eq!(resolve_retry_config(None, &none, None), Ok(RetryConfig::default()));
    let bad = ProfileSet::parse(Some("[default]\nmax_attempts = lots\n"), None).expect("parses");
    match resolve_retry_config(None, &none, bad.profile("default")) {
        Err(ConfigError::Invalid { setting, .. }) => assert_eq!(setting, "max_attempts in profile \"default\""),
        other => panic!("expected an invalid setting, got {other:?}"),
    }
}

#[test]
fn retry_defaults_are_three_attempts_standard() {
    assert_eq!(RetryConfig::default(), attempts(3));
    let _unused: Duration = ms(0);
}
