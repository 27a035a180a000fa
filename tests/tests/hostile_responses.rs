//! Whatever comes back (any status from 100 to 599, any headers, any bytes), the response path neither panics
//! nor hangs: it returns the output or a typed error. Property tests with a fixed seed and a bounded number of
//! cases, so every run checks the same inputs.

mod support;

use lean_aws_runtime::error::http_status;
use lean_aws_runtime::operation::parse_response;
use lean_aws_runtime::time::RecordingSleep;
use lean_aws_runtime::transport::{HttpResponse, InMemoryTransport, TransportErrorKind};
use lean_aws_runtime::ProvideErrorMetadata;
use lean_emr::operation::update_studio_session_mapping::{UpdateStudioSessionMapping, UpdateStudioSessionMappingError};
use lean_emr::operation::RequestId;
use lean_emr::SdkError;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use std::time::Duration;
use support::resilience::*;
use test_support::{Reply, Server};

/// A runner that draws the same cases on every run and writes no regression files.
fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("x-amzn-RequestId".to_owned()),
        Just("X-Amzn-ErrorType".to_owned()),
        Just("x-amz-retry-after".to_owned()),
        Just("content-type".to_owned()),
        Just("content-length".to_owned()),
        "[A-Za-z-]{1,20}",
    ]
}

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,40}",
        (any::<i64>()).prop_map(|n| n.to_string()),
        Just(u64::MAX.to_string()),
        Just("99999999999999999999999".to_owned()),
        Just("ThrottlingException:http://x#y".to_owned()),
        Just(":#".to_owned()),
    ]
}

/// Error-like JSON: known and unknown codes and messages of every JSON type.
fn json_body() -> impl Strategy<Value = Vec<u8>> {
    let scalar = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into)),
        any::<String>().prop_map(serde_json::Value::from),
        Just(serde_json::Value::from("InvalidRequestException")),
        Just(serde_json::Value::from("com.amazonaws.emr#InternalServerError")),
        Just(serde_json::Value::from("ThrottlingException")),
    ];
    let value = scalar.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            vec(
                (
                    prop_oneof![
                        Just("__type".to_owned()),
                        Just("message".to_owned()),
                        Just("code".to_owned()),
                        Just("Message".to_owned()),
                        Just("errorMessage".to_owned()),
                        any::<String>()
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|pairs| serde_json::Value::Object(pairs.into_iter().collect())),
        ]
    });
    value.prop_map(|v| serde_json::to_vec(&v).expect("a Value serializes"))
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..512),
        json_body(),
        "[ -~\\s]{0,200}".prop_map(String::into_bytes),
        // Deep nesting and other shapes that have broken parsers.
        (1usize..20_000).prop_map(|n| "[".repeat(n).into_bytes()),
        (1usize..2_000).prop_map(|n| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n)).into_bytes()),
        Just(b"\xEF\xBB\xBF{}".to_vec()),
        Just(b"{\"__type\":\"\xFF\xFE\"}".to_vec()),
    ]
}

fn response() -> impl Strategy<Value = HttpResponse> {
    (100u16..=599, vec((header_name(), header_value()), 0..6), body()).prop_map(|(status, headers, body)| {
        headers
            .into_iter()
            .fold(HttpResponse::new(status, body), |r, (n, v)| r.with_header(n, v))
    })
}

#[test]
fn parse_response_returns_the_output_or_a_typed_error() {
    runner(2_000)
        .run(&response(), |response| {
            match parse_response::<UpdateStudioSessionMapping>(&response) {
                Ok(out) => {
                    prop_assert!((200..300).contains(&response.status));
                    prop_assert_eq!(out.request_id(), response.header("x-amzn-requestid"));
                }
                Err(SdkError::ServiceError(e)) => {
                    prop_assert!(!(200..300).contains(&response.status));
                    prop_assert_eq!(http_status(e.err().meta()), Some(response.status));
                    prop_assert_eq!(e.raw().map(|raw| raw.status), Some(response.status));
                    let _ = e.to_string();
                }
                Err(SdkError::ResponseError(e)) => {
                    prop_assert!((200..300).contains(&response.status));
                    prop_assert_eq!(e.status, response.status);
                    let _ = e.to_string();
                }
                Err(other) => return Err(TestCaseError::fail(format!("unexpected error {other:?}"))),
            }
            Ok(())
        })
        .expect("no case fails");
}

#[test]
fn the_client_survives_any_sequence_of_responses() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runner(500)
        .run(&vec(response(), 3), |responses| {
            let transport = InMemoryTransport::new();
            for r in &responses {
                transport.push_response(r.clone());
            }
            let sleep = RecordingSleep::new();
            let result = runtime.block_on(run(config(&transport, &sleep).max_response_body_size(4096)));
            let sent = transport.requests().len();
            // Three attempts at most (the default), and one response queued for each.
            prop_assert!((1..=3).contains(&sent), "{sent} attempts");
            let last = &responses[sent - 1];
            match result {
                Ok(_) => prop_assert!((200..300).contains(&last.status)),
                Err(SdkError::ServiceError(e)) => prop_assert_eq!(http_status(e.err().meta()), Some(last.status)),
                Err(SdkError::ResponseError(e)) => prop_assert_eq!(e.status, last.status),
                Err(SdkError::DispatchFailure(e)) => {
                    prop_assert_eq!(e.kind, TransportErrorKind::ResponseTooLarge);
                    prop_assert!(last.body.len() > 4096);
                }
                Err(other) => return Err(TestCaseError::fail(format!("unexpected error {other:?}"))),
            }
            let delays = sleep.delays();
            prop_assert_eq!(delays.len(), sent - 1);
            // At most 20 s of backoff plus 5 s granted by x-amz-retry-after.
            prop_assert!(delays.iter().all(|d| *d <= Duration::from_secs(25)), "{delays:?}");
            Ok(())
        })
        .expect("no case fails");
}

#[test]
fn unknown_and_garbled_errors_are_unhandled_with_their_status() {
    for body in [
        &b"<html>502 Bad Gateway</html>"[..],
        b"",
        b"null",
        b"[1,2]",
        b"{\"__type\":42}",
    ] {
        let response = HttpResponse::new(502, body.to_vec());
        match parse_response::<UpdateStudioSessionMapping>(&response) {
            Err(e)
                if matches!(
                    e.as_service_error(),
                    Some(UpdateStudioSessionMappingError::Unhandled(_))
                ) =>
            {
                assert_eq!(http_status(e.meta()), Some(502));
                assert_eq!(e.code(), None);
            }
            other => panic!("{body:?}: expected an unhandled error, got {other:?}"),
        }
    }
}

// The same through the real transport, from a loopback server that answers badly.

async fn through_https_transport(raw: impl Into<Vec<u8>>) -> Result<(), SdkError<UpdateStudioSessionMappingError>> {
    let server = Server::start([Reply::Raw(raw.into())]).await;
    let config = base_config()
        .endpoint_url(server.url())
        .sleep(RecordingSleep::new())
        .retry_config(lean_aws_runtime::retry::RetryConfig {
            max_attempts: 1,
            mode: lean_aws_runtime::retry::RetryMode::Standard,
        })
        .operation_timeout(Duration::from_secs(5));
    run(config).await.map(|_| ())
}

#[tokio::test]
async fn non_utf8_headers_and_a_binary_body_from_a_real_server_are_an_unhandled_error() {
    let raw = b"HTTP/1.1 599 Whatever\r\nx-amzn-RequestId: \xff\xfe-id\r\nX-Amzn-ErrorType: \xc3\x28\r\ncontent-length: 4\r\n\r\n\x00\xff\x01\x02";
    match through_https_transport(raw).await {
        Err(SdkError::ServiceError(e)) => {
            let e = e.err();
            assert_eq!(http_status(e.meta()), Some(599));
            assert_eq!(e.request_id(), Some("\u{FFFD}\u{FFFD}-id"), "lossy, not dropped");
        }
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_garbled_status_line_is_a_transport_error() {
    for raw in [
        &b"HTTP/1.1 9999 No\r\n\r\n"[..],
        b"SMTP ready\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n{}",
    ] {
        match through_https_transport(raw).await {
            Err(SdkError::DispatchFailure(e)) => assert!(e.kind != TransportErrorKind::ResponseTooLarge, "{e}"),
            other => panic!(
                "{:?}: expected a transport error, got {other:?}",
                String::from_utf8_lossy(raw)
            ),
        }
    }
}

#[tokio::test]
async fn a_redirect_is_an_error_with_its_status_and_is_not_followed() {
    // As the AWS SDKs do: a signed request is never re-sent elsewhere, and the answer says where it was sent.
    let elsewhere = Server::start([Reply::Silence]).await;
    let raw = format!(
        "HTTP/1.1 307 Temporary Redirect\r\nlocation: {}/\r\nx-amzn-RequestId: r-307\r\ncontent-length: 0\r\n\r\n",
        elsewhere.url()
    );
    match through_https_transport(raw).await {
        Err(SdkError::ServiceError(e)) => {
            let e = e.err();
            assert_eq!(http_status(e.meta()), Some(307));
            assert_eq!(e.request_id(), Some("r-307"));
        }
        other => panic!("expected a service error, got {other:?}"),
    }
    assert!(elsewhere.finish().await.is_empty(), "the redirect was not followed");
}
