//! Clock skew correction through the client, beyond the vendored suite (`clock_skew_suite.rs`): it is retried
//! once per call, shared by the calls and clones of a client, and can be switched off.

mod support;

use lean_aws_runtime::clock::FixedClock;
use lean_aws_runtime::config::ConfigError;
use lean_aws_runtime::env::Env;
use lean_aws_runtime::skew::ClockSkew;
use lean_aws_runtime::time::RecordingSleep;
use lean_aws_runtime::transport::{HttpResponse, InMemoryTransport};
use lean_aws_runtime::{Client, ConfigBuilder, SdkError};
use lean_emr::operation::update_studio_session_mapping::UpdateStudioSessionMapping;
use support::resilience::*;

/// 2026-01-01T00:00:00Z: what the client's (fixed) clock reads.
const NOW: u64 = 1_767_225_600;

fn client(config: ConfigBuilder) -> Client {
    Client::new(&lean_emr::service::SERVICE, config.build())
}

fn skewed_config(transport: &InMemoryTransport) -> ConfigBuilder {
    config(transport, &RecordingSleep::new()).clock(FixedClock::from_epoch_secs(NOW))
}

/// A `RequestTimeTooSkewed` refusal from a service whose clock reads `date`.
fn too_skewed(date: &str) -> HttpResponse {
    error(403, "RequestTimeTooSkewed").with_header("Date", date)
}

fn dates(transport: &InMemoryTransport) -> Vec<String> {
    transport
        .requests()
        .iter()
        .map(|r| r.header("x-amz-date").expect("signed").to_owned())
        .collect()
}

const FIVE_MINUTES_AHEAD: &str = "Thu, 01 Jan 2026 00:05:00 GMT";

#[tokio::test]
async fn a_skewed_refusal_is_retried_once_with_the_corrected_time() {
    let transport = InMemoryTransport::new();
    transport
        .push_response(too_skewed(FIVE_MINUTES_AHEAD))
        .push_response(too_skewed("Thu, 01 Jan 2026 00:10:00 GMT"))
        .push_response(ok("never sent"));
    let client = client(skewed_config(&transport));
    let err = client
        .invoke::<UpdateStudioSessionMapping>(&input())
        .await
        .expect_err("the second refusal is not retried as clock skew again");
    assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
    assert_eq!(dates(&transport), ["20260101T000000Z", "20260101T000500Z"]);
    assert_eq!(client.clock_skew(), ClockSkew::from_millis(600_000));
}

#[tokio::test]
async fn the_skew_carries_over_to_later_calls_and_clones() {
    let transport = InMemoryTransport::new();
    transport
        .push_response(ok("first").with_header("Date", FIVE_MINUTES_AHEAD))
        .push_response(ok("second"))
        .push_response(ok("third"));
    let client = client(skewed_config(&transport));
    let clone = client.clone();
    client.invoke::<UpdateStudioSessionMapping>(&input()).await.unwrap();
    client.invoke::<UpdateStudioSessionMapping>(&input()).await.unwrap();
    clone.invoke::<UpdateStudioSessionMapping>(&input()).await.unwrap();
    assert_eq!(
        dates(&transport),
        ["20260101T000000Z", "20260101T000500Z", "20260101T000500Z"]
    );
    assert_eq!(clone.clock_skew(), ClockSkew::from_millis(300_000));
}

#[tokio::test]
async fn correction_can_be_switched_off_in_code_or_the_environment() {
    let off_in_code = |t: &InMemoryTransport| skewed_config(t).disable_clock_skew_correction(true);
    let off_in_env =
        |t: &InMemoryTransport| skewed_config(t).env(Env::from_pairs([("AWS_DISABLE_CLOCK_SKEW_CORRECTION", "true")]));
    let on_in_code_beats_env = |t: &InMemoryTransport| off_in_env(t).disable_clock_skew_correction(false);
    for (config, corrected) in [
        (&off_in_code as &dyn Fn(&InMemoryTransport) -> ConfigBuilder, false),
        (&off_in_env, false),
        (&on_in_code_beats_env, true),
    ] {
        let transport = InMemoryTransport::new();
        transport
            .push_response(too_skewed(FIVE_MINUTES_AHEAD))
            .push_response(ok("r"));
        let client = client(config(&transport));
        let result = client.invoke::<UpdateStudioSessionMapping>(&input()).await;
        assert_eq!(result.is_ok(), corrected, "{result:?}");
        let expected_skew = if corrected { 300_000 } else { 0 };
        assert_eq!(client.clock_skew(), ClockSkew::from_millis(expected_skew));
        assert_eq!(transport.requests().len(), if corrected { 2 } else { 1 });
    }
}

#[tokio::test]
async fn an_unreadable_switch_is_a_config_error_naming_it() {
    let transport = InMemoryTransport::new();
    let config = skewed_config(&transport).env(Env::from_pairs([("AWS_DISABLE_CLOCK_SKEW_CORRECTION", "sometimes")]));
    let err = client(config)
        .invoke::<UpdateStudioSessionMapping>(&input())
        .await
        .unwrap_err();
    match err {
        SdkError::Config(ConfigError::Invalid { setting, .. }) => {
            assert_eq!(setting, "AWS_DISABLE_CLOCK_SKEW_CORRECTION")
        }
        other => panic!("{other:?}"),
    }
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn other_refusals_and_small_skews_are_not_retried_as_clock_skew() {
    for response in [
        error(403, "AccessDeniedException").with_header("Date", FIVE_MINUTES_AHEAD),
        too_skewed("Thu, 01 Jan 2026 00:03:00 GMT"),
    ] {
        let transport = InMemoryTransport::new();
        transport.push_response(response).push_response(ok("r"));
        let result = client(skewed_config(&transport))
            .invoke::<UpdateStudioSessionMapping>(&input())
            .await;
        assert!(result.is_err());
        assert_eq!(transport.requests().len(), 1);
    }
}
