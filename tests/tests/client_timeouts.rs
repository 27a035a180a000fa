//! Timeouts: connect and read (the default transport), attempt (any transport) and operation (the whole call,
//! waits included), plus the response body limit of the default transport.
//!
//! Tests on the in-memory side run on tokio's paused clock, so they wait for nothing. Tests against a loopback
//! server use real sockets, which paused time does not drive: they use tiny timeouts against a server that
//! never answers, and assert on the kind of error only, never on how long it took.

mod support;

use lean_aws_runtime::time::BoxFuture;
use lean_aws_runtime::time::{RecordingSleep, TokioSleep};
use lean_aws_runtime::transport::{
    HttpRequest, HttpResponse, InMemoryTransport, Transport, TransportError, TransportErrorKind,
};
use lean_emr::operation::RequestId;
use lean_emr::SdkError;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use support::resilience::*;
use test_support::{reply, Reply, Server};

/// A transport that accepts every request and never answers.
#[derive(Debug, Clone, Default)]
struct Stalled {
    sent: Arc<AtomicUsize>,
}

impl Transport for Stalled {
    fn send(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        Box::pin(std::future::pending())
    }
}

fn expect_transport(
    err: SdkError<lean_emr::operation::update_studio_session_mapping::UpdateStudioSessionMappingError>,
    kind: TransportErrorKind,
) {
    match err {
        SdkError::DispatchFailure(e) => assert_eq!(e.kind, kind, "{e}"),
        other => panic!("expected a {kind:?} transport error, got {other:?}"),
    }
}

// Client-side timeouts, on paused time.

#[tokio::test(start_paused = true)]
async fn the_attempt_timeout_covers_custom_transports_and_is_retried() {
    let stalled = Stalled::default();
    let sleep = RecordingSleep::new();
    let err = run(base_config()
        .transport(stalled.clone())
        .sleep(sleep.clone())
        .attempt_timeout(ms(100))
        .retry_config(attempts(3)))
    .await
    .expect_err("times out");
    expect_transport(err, TransportErrorKind::Timeout);
    assert_eq!(stalled.sent.load(Ordering::SeqCst), 3, "a timed-out attempt is retried");
    assert_eq!(sleep.delays(), vec![ms(50), ms(100)]);
}

#[tokio::test(start_paused = true)]
async fn the_operation_timeout_covers_attempts_and_the_waits_between_them() {
    // Every attempt fails fast with a 503; only the real waits (50, 100, 200, 400 ms...) can use up 300 ms.
    let transport = InMemoryTransport::new();
    for _ in 0..10 {
        transport.push_response(status(503));
    }
    let err = run(base_config()
        .transport(transport.clone())
        .sleep(TokioSleep)
        .retry_config(attempts(10))
        .operation_timeout(ms(300)))
    .await
    .expect_err("times out");
    assert!(matches!(err, SdkError::TimeoutError(d) if d == ms(300)), "{err:?}");
    assert!(err.to_string().contains("timed out"), "{err}");
    // 0 ms: attempt 1; 50: attempt 2; 150: attempt 3; 350 would be attempt 4.
    assert_eq!(transport.requests().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn the_operation_timeout_stops_a_stalled_transport() {
    let stalled = Stalled::default();
    let err = run(base_config()
        .transport(stalled.clone())
        .sleep(TokioSleep)
        .operation_timeout(ms(250)))
    .await
    .expect_err("times out");
    assert!(matches!(err, SdkError::TimeoutError(d) if d == ms(250)), "{err:?}");
    assert_eq!(stalled.sent.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn without_timeouts_a_fast_call_is_untouched() {
    let transport = InMemoryTransport::new();
    transport.push_response(ok("r"));
    let out = run(base_config()
        .transport(transport)
        .attempt_timeout(ms(100))
        .operation_timeout(ms(100)))
    .await
    .expect("answers at once");
    assert_eq!(out.request_id(), Some("r"));
}

// The default transport (HttpsTransport) against loopback servers, in real time.

fn loopback_client(url: &str) -> lean_aws_runtime::ConfigBuilder {
    base_config()
        .endpoint_url(url)
        .sleep(RecordingSleep::new())
        .retry_config(attempts(1))
}

/// The error of one call against a server that answers with `answer`, through `loopback_client` as `config`
/// changes it. A 5 s operation timeout is the backstop, so that a limit that does not work fails the test
/// (with `SdkError::TimeoutError`) instead of hanging it.
async fn failed_call(
    answer: Reply,
    config: impl FnOnce(lean_aws_runtime::ConfigBuilder) -> lean_aws_runtime::ConfigBuilder,
) -> SdkError<lean_emr::operation::update_studio_session_mapping::UpdateStudioSessionMappingError> {
    let server = Server::start([answer]).await;
    run(config(loopback_client(&server.url())).operation_timeout(Duration::from_secs(5)))
        .await
        .expect_err("fails")
}

#[tokio::test]
async fn the_read_timeout_stops_waiting_for_the_head_or_the_rest_of_the_body() {
    let partial_body = b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{}        ".to_vec();
    for answer in [Reply::Silence, Reply::Stall(partial_body)] {
        let err = failed_call(answer, |c| c.read_timeout(ms(100))).await;
        expect_transport(err, TransportErrorKind::Timeout);
    }
}

#[tokio::test]
async fn every_read_starts_the_read_timeout_again() {
    // 16 pieces 100 ms apart: 1.5 s in all, three times the read timeout, but never 500 ms without a byte.
    let mut pieces = vec![b"HTTP/1.1 200 OK\r\ncontent-length: 15\r\n\r\n".to_vec()];
    pieces.extend((0..15).map(|_| b" ".to_vec()));
    let server = Server::start([Reply::Paced { pieces, every: ms(100) }]).await;
    run(loopback_client(&server.url())
        .read_timeout(ms(500))
        .operation_timeout(Duration::from_secs(10)))
    .await
    .expect("a body that keeps coming is read whole");
}

#[tokio::test]
async fn the_attempt_timeout_stops_waiting_for_a_server_that_never_answers() {
    let server = Server::start([Reply::Silence, Reply::Silence]).await;
    let err = run(loopback_client(&server.url())
        .retry_config(attempts(2))
        .attempt_timeout(ms(100))
        .operation_timeout(Duration::from_secs(5)))
    .await
    .expect_err("times out");
    expect_transport(err, TransportErrorKind::Timeout);
}

#[tokio::test]
async fn the_operation_timeout_stops_waiting_for_a_server_that_never_answers() {
    let server = Server::start([Reply::Silence]).await;
    let err = run(loopback_client(&server.url()).operation_timeout(ms(150)))
        .await
        .expect_err("times out");
    assert!(matches!(err, SdkError::TimeoutError(d) if d == ms(150)), "{err:?}");
}

/// A loopback listener that never completes another handshake: its accept queue is full, so Linux drops the
/// SYN and the client's connect hangs. The listener has a backlog of 0 (room for one connection) and nobody
/// accepts; one connection of our own fills the queue. Dropped at the end of the test.
async fn full_listener() -> (tokio::net::TcpListener, tokio::net::TcpStream, String) {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind("127.0.0.1:0".parse().expect("addr"))
        .expect("bind loopback");
    let addr = socket.local_addr().expect("addr");
    let listener = socket.listen(0).expect("listen");
    let filler = tokio::net::TcpStream::connect(addr)
        .await
        .expect("the one queued connection");
    (listener, filler, format!("http://{addr}"))
}

#[tokio::test]
async fn the_connect_timeout_stops_waiting_for_a_listener_that_never_accepts() {
    let (_listener, _filler, url) = full_listener().await;
    // The 2 s operation timeout is shorter than the 3.1 s default connect timeout: only the configured 100 ms
    // one can end the call with a connect error.
    let err = run(loopback_client(&url)
        .connect_timeout(ms(100))
        .operation_timeout(Duration::from_secs(2)))
    .await
    .expect_err("cannot connect");
    expect_transport(err, TransportErrorKind::Connect);
}

#[tokio::test]
async fn the_default_transport_has_a_connect_timeout() {
    let (_listener, _filler, url) = full_listener().await;
    // Without a connect timeout the kernel would retry the SYN for about two minutes; the default (3.1 s)
    // ends the call well inside this backstop.
    let err = run(loopback_client(&url).operation_timeout(Duration::from_secs(60)))
        .await
        .expect_err("cannot connect");
    expect_transport(err, TransportErrorKind::Connect);
}

#[tokio::test]
async fn a_body_declared_too_large_is_refused() {
    let server = Server::start([reply(200, " ".repeat(4096))]).await;
    let err = run(loopback_client(&server.url()).max_response_body_size(1024))
        .await
        .expect_err("too large");
    expect_transport(err, TransportErrorKind::ResponseTooLarge);
}

#[tokio::test]
async fn a_body_over_the_limit_fails_without_waiting_for_the_rest() {
    // Neither server ever finishes its body: only the limit can end the call before the backstop. The first
    // declares 1 MiB and sends nothing more; the second sends two chunks of 1000 bytes, passing the limit.
    let declared = b"HTTP/1.1 200 OK\r\ncontent-length: 1048576\r\n\r\n".to_vec();
    let mut chunked = String::from("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
    for _ in 0..2 {
        chunked.push_str(&format!("3e8\r\n{}\r\n", " ".repeat(1000)));
    }
    for answer in [Reply::Stall(declared), Reply::Stall(chunked.into_bytes())] {
        let err = failed_call(answer, |c| c.max_response_body_size(1500)).await;
        expect_transport(err, TransportErrorKind::ResponseTooLarge);
    }
}

#[tokio::test]
async fn a_chunked_body_that_grows_too_large_is_cut_off() {
    let server = Server::start([Reply::Chunked(64 * 1024)]).await;
    let err = run(loopback_client(&server.url()).max_response_body_size(10_000))
        .await
        .expect_err("too large");
    expect_transport(err, TransportErrorKind::ResponseTooLarge);
}

#[tokio::test]
async fn a_body_within_the_limit_is_read_whole() {
    for answer in [reply(200, " ".repeat(1024)), Reply::Chunked(3000)] {
        let server = Server::start([answer]).await;
        // White space only: an empty JSON object.
        run(loopback_client(&server.url()).max_response_body_size(3000))
            .await
            .expect("within the limit");
    }
}
