//! What the generated tests share: a client set up for the in-memory transport, and the suites' comparison rules.
//!
//! The rules follow botocore's runner (`tests/unit/test_protocols.py`): headers are compared case-insensitively
//! and only those the suite lists; `requireHeaders` must be present and `forbidHeaders` absent; the `host` is the
//! URL's authority, followed by the endpoint's base path when the suite's host has one; a body is compared as JSON
//! when the suite's body is JSON, byte for byte otherwise, and not at all when the suite gives none.

use flate2::read::GzDecoder;
use lean_aws_runtime::transport::{HttpResponse, InMemoryTransport};
use lean_aws_runtime::{Config, ConfigBuilder, SdkError};
use serde_json::Value;
use std::fmt::{Debug, Display};
use std::future::Future;
use std::io::Read;
use std::pin::Pin;

/// One case of a suite, as generated: its `id`, why it is skipped (from `skip.txt`), and the case itself, which
/// panics when the result differs from the suite's.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// The case's `id`.
    pub id: &'static str,
    /// Why the case is skipped, if it is.
    pub skip: Option<&'static str>,
    /// Runs the case.
    pub run: fn() -> Pin<Box<dyn Future<Output = ()>>>,
}

/// What running some cases gave.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// The ids of the cases that ran and passed.
    pub passed: Vec<&'static str>,
    /// The cases that ran and failed, with the failure.
    pub failed: Vec<(&'static str, String)>,
    /// The cases not run, with the reason.
    pub skipped: Vec<(&'static str, &'static str)>,
}

/// Runs every case that is not skipped, each on a runtime of its own, and counts what passed: a case passes when
/// it returns, and fails when it panics.
pub fn run_cases(cases: &[Case]) -> Tally {
    let mut tally = Tally::default();
    for case in cases {
        if let Some(reason) = case.skip {
            tally.skipped.push((case.id, reason));
            continue;
        }
        let outcome = std::panic::catch_unwind(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime")
                .block_on((case.run)())
        });
        match outcome {
            Ok(()) => tally.passed.push(case.id),
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "panicked".to_owned());
                tally.failed.push((case.id, message));
            }
        }
    }
    tally
}

/// An in-memory transport that answers `200 {}`.
pub fn transport() -> InMemoryTransport {
    InMemoryTransport::new()
}

/// A configuration that reads nothing from the machine: fixed region, credentials, clock and (empty)
/// environment and files, the given endpoint URL and the in-memory transport, and a single attempt: a suite case
/// is one exchange, so a 5xx case must reach the response path rather than be retried.
pub fn config(transport: &InMemoryTransport, endpoint: &str) -> Config {
    config_builder(transport, endpoint).build()
}

/// [`config`], still open for changes.
pub fn config_builder(transport: &InMemoryTransport, endpoint: &str) -> ConfigBuilder {
    test_support::offline_config()
        .endpoint_url(endpoint)
        .transport(transport.clone())
}

fn parse(what: &str, text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("the suite's {what} is not JSON: {e}"))
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

/// Whether two JSON values are equal, numbers by value: `1` equals `1.0`, and floats within a few ULPs (a
/// timestamp's fraction goes through nanoseconds).
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) => x == y || (x - y).abs() <= 8.0 * f64::EPSILON * x.abs().max(y.abs()),
                _ => x == y,
            },
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_eq(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn assert_json_eq(what: &str, actual: &Value, expected: &Value) {
    assert!(
        json_eq(actual, expected),
        "{what} differs\nactual:\n{}\nexpected:\n{}",
        pretty(actual),
        pretty(expected)
    );
}

/// Checks the one request the call sent against the suite's `serialized` (JSON text).
pub fn check_request<E: Display>(transport: &InMemoryTransport, error: Option<SdkError<E>>, serialized: &str) {
    let expected = parse("serialized", serialized);
    let requests = transport.requests();
    let [request] = requests.as_slice() else {
        match error {
            Some(e) => panic!("expected one request, got {}; the call failed: {e}", requests.len()),
            None => panic!("expected one request, got {}", requests.len()),
        }
    };
    let field = |key: &str| expected.get(key).and_then(Value::as_str);

    if let Some(method) = field("method") {
        assert_eq!(request.method, method, "method");
    }
    let (authority, path_and_query) = split_url(&request.url);
    if let Some(uri) = field("uri") {
        assert_eq!(path_and_query, uri, "URI (path and query)");
    }
    if let Some(host) = field("host") {
        // botocore writes the endpoint's base path after the host: `example.com/custom`.
        let (host_name, base_path) = host.split_once('/').map_or((host, ""), |(h, p)| (h, p));
        assert_eq!(authority, host_name, "host");
        assert_eq!(request.header("host"), Some(host_name), "Host header");
        assert!(
            path_and_query.trim_start_matches('/').starts_with(base_path),
            "the path {path_and_query:?} does not start with the endpoint's base path {base_path:?}"
        );
    }
    for (name, value) in expected.get("headers").and_then(Value::as_object).into_iter().flatten() {
        let value = value
            .as_str()
            .unwrap_or_else(|| panic!("the suite's header {name} is not text"));
        assert_eq!(request.header(name), Some(value), "header {name}");
    }
    for name in expected
        .get("requireHeaders")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = name.as_str().unwrap_or_default();
        assert!(request.header(name).is_some(), "header {name} is required");
        if name.eq_ignore_ascii_case("content-length") {
            assert_eq!(
                request.header(name),
                Some(request.body.len().to_string().as_str()),
                "Content-Length"
            );
        }
    }
    for name in expected
        .get("forbidHeaders")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = name.as_str().unwrap_or_default();
        assert!(request.header(name).is_none(), "header {name} is forbidden");
    }

    let gzip = request
        .header("content-encoding")
        .is_some_and(|e| e.split(',').any(|e| e.trim() == "gzip"));
    let body = if gzip {
        let mut plain = Vec::new();
        GzDecoder::new(request.body.as_slice())
            .read_to_end(&mut plain)
            .expect("a gzip body decompresses");
        plain
    } else {
        request.body.clone()
    };
    match field("body") {
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(expected_body) => {
                let actual: Value = serde_json::from_slice(&body)
                    .unwrap_or_else(|e| panic!("the body is not JSON ({e}): {}", String::from_utf8_lossy(&body)));
                assert_json_eq("body", &actual, &expected_body);
            }
            Err(_) => assert_eq!(String::from_utf8_lossy(&body), text, "body"),
        },
        // No body in the suite: not compared. A compressed body must still hold the JSON document.
        None if gzip => {
            serde_json::from_slice::<Value>(&body).expect("the decompressed body is JSON");
        }
        None => {}
    }
}

/// `(authority, path and query)` of an absolute URL.
fn split_url(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    }
}

/// An in-memory transport that answers with the suite's `response` (JSON text: `status_code`, `headers`, `body`).
pub fn respond(response: &str) -> InMemoryTransport {
    let response = parse("response", response);
    let status = response
        .get("status_code")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .expect("the suite's response has a status code");
    let body = response.get("body").and_then(Value::as_str).unwrap_or("");
    let mut http = HttpResponse::new(status, body);
    for (name, value) in response.get("headers").and_then(Value::as_object).into_iter().flatten() {
        http = http.with_header(name, value.as_str().expect("the suite's headers are text"));
    }
    let transport = InMemoryTransport::new();
    transport.push_response(http);
    transport
}

/// The output of a call that must succeed.
pub fn output<O, E: Display>(result: Result<O, SdkError<E>>) -> O {
    result.unwrap_or_else(|e| panic!("the call failed: {e}"))
}

/// The service error of a call that must fail with one.
pub fn service_error<O: Debug, E: Debug>(result: Result<O, SdkError<E>>) -> E {
    match result {
        Err(SdkError::ServiceError(e)) => e.into_err(),
        Err(other) => panic!("expected a service error, got {other:?}"),
        Ok(output) => panic!("expected a service error, got {output:?}"),
    }
}

/// The members of an output or error that has none.
pub fn no_members() -> Value {
    Value::Object(Default::default())
}

/// Compares an output (as its generated `dump` gives it) with the suite's `result` (JSON text).
pub fn check_result(actual: &Value, result: &str) {
    assert_json_eq("result", actual, &parse("result", result));
}

/// The output's request id must be the response's `x-amzn-RequestId` header, if it has one.
pub fn check_request_id(request_id: Option<&str>, response: &str) {
    let response = parse("response", response);
    let expected = response
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .find(|(name, _)| name.eq_ignore_ascii_case("x-amzn-requestid"))
        .and_then(|(_, value)| value.as_str());
    assert_eq!(request_id, expected, "request id");
}

/// Compares a modelled error with the suite's `errorCode`, `errorMessage` (botocore reads a missing message as
/// empty) and `error` members (JSON text).
pub fn check_error(
    meta: &lean_aws_runtime::ErrorMetadata,
    members: &Value,
    code: &str,
    message: Option<&str>,
    expected_members: &str,
) {
    assert_eq!(meta.code(), Some(code), "error code");
    assert_eq!(meta.message().unwrap_or(""), message.unwrap_or(""), "error message");
    assert_json_eq("error members", members, &parse("error", expected_members));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value() {
        assert!(json_eq(&json!(1), &json!(1.0)));
        assert!(json_eq(&json!(946845296.123), &json!(946845296.0 + 0.123)));
        assert!(!json_eq(&json!(1), &json!(2)));
        assert!(!json_eq(
            &json!(1234567890123456789_i64),
            &json!(1234567890123456788_i64)
        ));
        assert!(!json_eq(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
        assert!(!json_eq(&json!("1"), &json!(1)));
    }

    #[test]
    fn urls_split_into_authority_and_path() {
        assert_eq!(split_url("https://example.com"), ("example.com", "/"));
        assert_eq!(split_url("https://example.com/custom/"), ("example.com", "/custom/"));
        assert_eq!(split_url("https://foo.example.com/?a=b"), ("foo.example.com", "/?a=b"));
        assert_eq!(split_url("https://example.com?a=b"), ("example.com", "?a=b"));
    }

    #[test]
    fn a_failing_case_is_counted_as_failed_not_passed() {
        let cases = [
            Case {
                id: "Passes",
                skip: None,
                run: || Box::pin(async {}),
            },
            Case {
                id: "Fails",
                skip: None,
                run: || Box::pin(async { assert_eq!(1 + 1, 3, "the body differs") }),
            },
            Case {
                id: "Skipped",
                skip: Some("cannot apply"),
                run: || Box::pin(async { panic!("a skipped case is not run") }),
            },
        ];
        let tally = run_cases(&cases);
        assert_eq!(tally.passed, ["Passes"]);
        assert_eq!(tally.failed.len(), 1);
        assert_eq!(tally.failed[0].0, "Fails");
        assert!(tally.failed[0].1.contains("the body differs"), "{:?}", tally.failed);
        assert_eq!(tally.skipped, [("Skipped", "cannot apply")]);
    }
}
