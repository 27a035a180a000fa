//! Behaviour the suites touch but do not pin down, tested through the same generated modules: host labels that
//! would change the request's host, timestamps beyond their format, and the request-compression threshold and
//! switches.

use crate::harness;
use lean_aws_runtime::env::Env;
use lean_aws_runtime::transport::HttpRequest;
use lean_aws_runtime::validate::Rule;
use lean_aws_runtime::{SdkError, ValidationMode};

#[tokio::test]
async fn hostile_host_labels_are_refused_before_anything_is_sent() {
    for mode in [ValidationMode::Full, ValidationMode::Essential] {
        for label in ["evil.com/x", "a.b", "", "-a", "bär", "x:1@evil.com"] {
            let transport = harness::transport();
            let config = harness::config_builder(&transport, "https://example.com").validation(mode);
            let client = crate::suites::input_02::Client::new(config.build());
            match client.endpoint_with_host_label_operation().label(label).send().await {
                Err(SdkError::Validation(e)) => {
                    assert_eq!(e.violations.len(), 1, "{e}");
                    assert_eq!(e.violations[0].path, "label");
                    assert_eq!(e.violations[0].rule, Rule::HostLabel);
                }
                other => panic!("{mode:?} {label:?}: expected a validation error, got {other:?}"),
            }
            assert!(transport.requests().is_empty(), "{label:?} was sent");
        }
    }
}

async fn put(config: lean_aws_runtime::ConfigBuilder, data: &str) -> Result<(), String> {
    let client = crate::suites::input_11::Client::new(config.build());
    client
        .put_with_content_encoding()
        .data(data)
        .send()
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

fn sent(transport: &lean_aws_runtime::transport::InMemoryTransport) -> HttpRequest {
    let requests = transport.requests();
    assert_eq!(requests.len(), 1);
    requests[0].clone()
}

/// The size of `{"data":"…"}` for a value of `n` bytes.
fn data_of_body_size(n: usize) -> String {
    "x".repeat(n - r#"{"data":""}"#.len())
}

#[tokio::test]
async fn bodies_are_compressed_from_10240_bytes_on() {
    for (size, compressed) in [(10_239, false), (10_240, true)] {
        let transport = harness::transport();
        put(
            harness::config_builder(&transport, "https://example.com"),
            &data_of_body_size(size),
        )
        .await
        .unwrap();
        let request = sent(&transport);
        assert_eq!(request.header("content-encoding").is_some(), compressed, "{size} bytes");
        assert_eq!(
            request.header("content-length"),
            Some(request.body.len().to_string().as_str())
        );
        if !compressed {
            assert_eq!(request.body.len(), size);
        }
    }
}

#[tokio::test]
async fn the_threshold_and_the_switch_come_from_config_then_environment() {
    let small = data_of_body_size(100);
    // (environment, Config::request_min_compression_size_bytes, Config::disable_request_compression, compressed?)
    type Case = (&'static [(&'static str, &'static str)], Option<u32>, Option<bool>, bool);
    let cases: [Case; 5] = [
        (&[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "100")], None, None, true),
        (&[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "101")], None, None, false),
        (
            &[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "101")],
            Some(0),
            None,
            true,
        ),
        (&[("AWS_DISABLE_REQUEST_COMPRESSION", "true")], Some(0), None, false),
        (
            &[("AWS_DISABLE_REQUEST_COMPRESSION", "true")],
            Some(0),
            Some(false),
            true,
        ),
    ];
    for (env, min_size, disable, compressed) in cases {
        let transport = harness::transport();
        let mut config = harness::config_builder(&transport, "https://example.com").env(Env::from_pairs(env.to_vec()));
        if let Some(bytes) = min_size {
            config = config.request_min_compression_size_bytes(bytes);
        }
        if let Some(disable) = disable {
            config = config.disable_request_compression(disable);
        }
        put(config, &small).await.unwrap();
        let encoding = sent(&transport).header("content-encoding").map(str::to_owned);
        assert_eq!(
            encoding.as_deref(),
            compressed.then_some("gzip"),
            "{env:?} {min_size:?} {disable:?}"
        );
    }
}

#[tokio::test]
async fn unusable_compression_settings_are_reported_and_nothing_is_sent() {
    let env_cases = [
        ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "lots"),
        ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "10485761"),
        ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "-1"),
        ("AWS_DISABLE_REQUEST_COMPRESSION", "yes"),
    ];
    for (name, value) in env_cases {
        let transport = harness::transport();
        let config = harness::config_builder(&transport, "https://example.com").env(Env::from_pairs([(name, value)]));
        let error = put(config, "x").await.unwrap_err();
        assert!(error.contains(name), "{error}");
        assert!(transport.requests().is_empty());
    }
    let transport = harness::transport();
    let config =
        harness::config_builder(&transport, "https://example.com").request_min_compression_size_bytes(10_485_761);
    let error = put(config, "x").await.unwrap_err();
    assert!(error.contains("request_min_compression_size_bytes"), "{error}");
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn timestamps_their_format_cannot_write_are_refused_naming_the_member_before_anything_is_sent() {
    use lean_aws_runtime::DateTime;
    // 10000-01-01T00:00:00Z: ISO 8601 and HTTP dates have four-digit years. Epoch seconds take it.
    let year_10000 = DateTime::from_secs(253_402_300_800);
    let transport = harness::transport();
    let client = crate::suites::input_07::Client::new(harness::config(&transport, "https://example.com"));
    let call = client
        .kitchen_sink_operation()
        .iso8601_timestamp(year_10000)
        .httpdate_timestamp(year_10000)
        .timestamp(year_10000);
    match call.send().await {
        Err(SdkError::Validation(e)) => {
            let paths: Vec<String> = e.violations.iter().map(|v| v.path.to_string()).collect();
            assert_eq!(paths, ["HttpdateTimestamp", "Iso8601Timestamp"], "{e}");
            assert_eq!(e.violations[0].rule, Rule::TimestampRange { format: "rfc822" });
            assert_eq!(e.violations[1].rule, Rule::TimestampRange { format: "iso8601" });
            assert!(e.to_string().contains("9999-12-31T23:59:59Z"), "{e}");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(transport.requests().is_empty(), "nothing is sent");
}
