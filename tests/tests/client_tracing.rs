//! What the client logs: a span per call and per attempt with the fields people filter on, headers at DEBUG
//! with the signature and session token redacted, bodies at TRACE, and never a secret at any level.

mod support;

use lean_aws_runtime::retry::RecordingSleep;
use lean_aws_runtime::transport::InMemoryTransport;
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use support::resilience::*;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A subscriber that enables everything and writes every span, field and event it sees as a line of text.
#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

impl Capture {
    fn text(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    fn push(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={}", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let mut fields = Fields(format!(
            "span#{id} {} {}",
            span.metadata().level(),
            span.metadata().name()
        ));
        span.record(&mut fields);
        self.push(fields.0);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut fields = Fields(format!("record span#{}", span.into_u64()));
        values.record(&mut fields);
        self.push(fields.0);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(format!("event {}", event.metadata().level()));
        event.record(&mut fields);
        self.push(fields.0);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

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
            .block_on(client.update_studio_session_mapping(input()))
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
