//! What the client logs: a span per call and per attempt with the fields people filter on, headers at DEBUG
//! with the signature and session token redacted, bodies at TRACE, and never a secret at any level.

mod support;

use lean_aws_runtime::time::RecordingSleep;
use lean_aws_runtime::transport::InMemoryTransport;
use support::capture::Capture;
use support::resilience::*;

/// Runs one call that is retried once (a 503, then a 200) with everything captured at every level.
fn captured_call() -> (String, Vec<lean_aws_runtime::transport::HttpRequest>) {
    let capture = Capture::default();
    let transport = InMemoryTransport::new();
    transport
        .push_response(
            status(503)
                .with_header("x-amzn-RequestId", "req-first")
                .with_header("x-amz-security-token", "echoed-by-a-proxy"),
        )
        .push_response(
            HttpResponse::new(200, r#"{"note":"response body"}"#).with_header("x-amzn-RequestId", "req-second"),
        );
    let sleep = RecordingSleep::new();
    let client = lean_emr::Client::new(config(&transport, &sleep).build());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    tracing::subscriber::with_default(capture.clone(), || {
        runtime
            .block_on(support::valid_builder().send_with(&client))
            .expect("succeeds");
    });
    (capture.text(), transport.requests())
}

use lean_aws_runtime::transport::HttpResponse;

#[test]
fn secrets_never_appear_in_the_logs_at_any_level() {
    let (text, requests) = captured_call();
    assert!(!text.is_empty());
    assert!(!text.contains(SECRET_KEY), "secret access key logged:\n{text}");
    assert!(!text.contains(SESSION_TOKEN), "session token logged:\n{text}");
    assert!(
        !text.contains("echoed-by-a-proxy"),
        "a response's security token logged:\n{text}"
    );
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let authorization = request.header("authorization").expect("signed");
        let signature = authorization.rsplit("Signature=").next().expect("a signature");
        assert_eq!(signature.len(), 64, "{authorization}");
        assert!(!text.contains(signature), "signature logged:\n{text}");
        assert!(!text.contains(authorization), "authorization header logged:\n{text}");
    }
    assert!(text.contains("** redacted **"), "{text}");
}

#[test]
fn spans_carry_the_call_and_each_attempt() {
    let (text, requests) = captured_call();
    let invocation_id = requests[0].header("amz-sdk-invocation-id").expect("sent");
    assert!(
        text.contains(&format!(
            "INFO call service=EMR operation=UpdateStudioSessionMapping invocation_id={invocation_id}"
        )),
        "{text}"
    );
    assert!(text.contains("DEBUG attempt attempt=1"), "{text}");
    assert!(text.contains("DEBUG attempt attempt=2"), "{text}");
    assert!(text.contains(" status=503"), "{text}");
    assert!(text.contains(" status=200"), "{text}");
    assert!(text.contains(" request_id=req-first"), "{text}");
    assert!(text.contains(" request_id=req-second"), "{text}");
    assert!(text.contains("retrying"), "{text}");
}

#[test]
fn headers_are_logged_at_debug_and_bodies_only_at_trace() {
    let (text, _) = captured_call();
    let debug_lines: Vec<&str> = text.lines().filter(|l| l.starts_with("event DEBUG")).collect();
    assert!(
        debug_lines
            .iter()
            .any(|l| l.contains("x-amz-date") && l.contains("x-amz-target")),
        "{text}"
    );
    assert!(
        debug_lines
            .iter()
            .any(|l| l.contains("\"authorization\", \"** redacted **\"")),
        "{text}"
    );
    assert!(
        debug_lines
            .iter()
            .any(|l| l.contains("\"x-amz-security-token\", \"** redacted **\"")),
        "{text}"
    );
    for line in text
        .lines()
        .filter(|l| l.contains("response body") || l.contains("alice@example.com"))
    {
        assert!(line.starts_with("event TRACE"), "a body outside TRACE: {line}");
    }
    assert!(
        text.lines()
            .any(|l| l.starts_with("event TRACE") && l.contains("alice@example.com")),
        "{text}"
    );
}
