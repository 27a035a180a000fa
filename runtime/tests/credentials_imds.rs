//! `ImdsProvider`: the IMDSv2 token dance, disabling, unreachability and hostile answers.

mod support;

use lean_aws_runtime::credentials::{CredentialsError, ImdsProvider, ProvideCredentials};
use lean_aws_runtime::env::Env;
use lean_aws_runtime::time::BoxFuture;
use lean_aws_runtime::transport::{
    HttpRequest, HttpResponse, InMemoryTransport, Transport, TransportError, TransportErrorKind,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};
use support::https_transport;
use test_support::{reply, Server};

const CREDS_JSON: &str = r#"{"Code":"Success","LastUpdated":"2025-12-31T23:00:00Z","Type":"AWS-HMAC",
    "AccessKeyId":"ASIAIMDS","SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"2026-01-01T00:00:00Z"}"#;

fn in_memory(responses: &[(u16, &str)]) -> (InMemoryTransport, ImdsProvider) {
    let transport = InMemoryTransport::new();
    for (status, body) in responses {
        transport.push_response(HttpResponse::new(*status, *body));
    }
    let provider = ImdsProvider::from_env(Env::default()).with_transport(Arc::new(transport.clone()));
    (transport, provider)
}

fn connect_error() -> TransportError {
    TransportError::new(TransportErrorKind::Connect, "connection refused")
}

fn failed_reason(err: CredentialsError) -> String {
    match err {
        CredentialsError::Failed { reason, .. } => reason,
        other => panic!("expected Failed, got {other:?}"),
    }
}

#[tokio::test]
async fn token_then_role_then_credentials() {
    let server = Server::start(vec![
        reply(200, "imds-session-token"),
        reply(200, "my-role\nignored-second-line\n"),
        reply(200, CREDS_JSON),
    ])
    .await;
    let env = Env::from_pairs([("AWS_EC2_METADATA_SERVICE_ENDPOINT", format!("{}/", server.url()))]);
    let creds = ImdsProvider::from_env(env)
        .with_transport(https_transport())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIAIMDS");
    assert_eq!(creds.secret_access_key(), "imds-secret");
    assert_eq!(creds.session_token(), Some("imds-token"));
    assert_eq!(creds.expiry(), Some(UNIX_EPOCH + Duration::from_secs(1_767_225_600)));

    let requests = server.finish().await;
    let seen: Vec<(&str, &str)> = requests.iter().map(|r| (r.method.as_str(), r.path.as_str())).collect();
    assert_eq!(
        seen,
        [
            ("PUT", "/latest/api/token"),
            ("GET", "/latest/meta-data/iam/security-credentials/"),
            ("GET", "/latest/meta-data/iam/security-credentials/my-role"),
        ]
    );
    assert_eq!(
        requests[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert_eq!(requests[0].header("x-aws-ec2-metadata-token"), None);
    for request in &requests[1..] {
        assert_eq!(request.header("x-aws-ec2-metadata-token"), Some("imds-session-token"));
    }
}

#[tokio::test]
async fn default_endpoint_and_explicit_override() {
    let (transport, provider) = in_memory(&[(200, "t"), (200, "r"), (200, CREDS_JSON)]);
    provider.provide_credentials().await.unwrap();
    assert_eq!(transport.requests()[0].url, "http://169.254.169.254/latest/api/token");

    let (transport, provider) = in_memory(&[(200, "t"), (200, "r"), (200, CREDS_JSON)]);
    provider
        .with_endpoint("http://[fd00:ec2::254]")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        transport.requests()[2].url,
        "http://[fd00:ec2::254]/latest/meta-data/iam/security-credentials/r"
    );
}

#[tokio::test]
async fn disabled_is_not_configured_and_sends_nothing() {
    let transport = InMemoryTransport::new();
    let env = Env::from_pairs([("AWS_EC2_METADATA_DISABLED", "TRUE")]);
    let provider = ImdsProvider::from_env(env).with_transport(Arc::new(transport.clone()));
    let err = provider.provide_credentials().await.unwrap_err();
    assert!(matches!(err, CredentialsError::NotConfigured { .. }), "{err:?}");
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn unreachable_is_not_configured_after_three_attempts() {
    let transport = InMemoryTransport::new();
    transport
        .push_error(connect_error())
        .push_error(connect_error())
        .push_error(connect_error());
    let provider = ImdsProvider::from_env(Env::default()).with_transport(Arc::new(transport.clone()));
    let err = provider.provide_credentials().await.unwrap_err();
    assert!(matches!(err, CredentialsError::NotConfigured { .. }), "{err:?}");
    let requests = transport.requests();
    assert_eq!(requests.len(), 3);
    assert!(
        requests.iter().all(|r| r.method == "PUT"),
        "no IMDSv1 fallback: {requests:?}"
    );
}

/// A transport that never answers, counting the requests it swallowed.
#[derive(Debug, Default)]
struct BlackHole(AtomicUsize);

impl Transport for BlackHole {
    fn send(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(std::future::pending())
    }
}

// Paused tokio time: the 1 s timeouts elapse instantly and deterministically.
#[tokio::test(start_paused = true)]
async fn silent_endpoint_times_out_three_times_and_is_not_configured() {
    let hole = Arc::new(BlackHole::default());
    let provider = ImdsProvider::from_env(Env::default()).with_transport(hole.clone());
    let err = provider.provide_credentials().await.unwrap_err();
    match err {
        CredentialsError::NotConfigured { reason, .. } => {
            assert!(reason.contains("no response within 1000 ms"), "{reason}")
        }
        other => panic!("expected NotConfigured, got {other:?}"),
    }
    assert_eq!(hole.0.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn server_errors_are_retried() {
    let (transport, provider) = in_memory(&[(503, ""), (200, "t"), (500, ""), (200, "r"), (200, CREDS_JSON)]);
    provider.provide_credentials().await.unwrap();
    assert_eq!(transport.requests().len(), 5);
}

#[tokio::test]
async fn no_role_is_not_configured() {
    for role_reply in [(404, "Not Found"), (200, "")] {
        let (_, provider) = in_memory(&[(200, "t"), role_reply]);
        let err = provider.provide_credentials().await.unwrap_err();
        assert!(matches!(err, CredentialsError::NotConfigured { .. }), "{err:?}");
    }
}

#[tokio::test]
async fn token_refused_fails() {
    let (transport, provider) = in_memory(&[(403, "Forbidden")]);
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert!(reason.contains("HTTP 403"), "{reason}");
    assert_eq!(transport.requests().len(), 1, "no IMDSv1 fallback");
}

#[tokio::test]
async fn hostile_answers_fail_without_panicking() {
    let cases: [(&[(u16, &str)], &str); 5] = [
        (&[(200, "t"), (200, "../../latest/user-data")], "invalid role name"),
        (
            &[
                (200, "t"),
                (200, "r"),
                (200, r#"{"Code":"AssumeRoleUnauthorizedAccess"}"#),
            ],
            "reports Code",
        ),
        (
            &[
                (200, "t"),
                (200, "r"),
                (200, r#"{"Code":"Success","SecretAccessKey":"leak"#),
            ],
            "not valid JSON",
        ),
        (
            &[
                (200, "t"),
                (200, "r"),
                (
                    200,
                    r#"{"Code":"Success","AccessKeyId":"A","SecretAccessKey":"s","Expiration":5}"#,
                ),
            ],
            "not a string",
        ),
        (&[(200, "bad\u{0}token")], "unusable token"),
    ];
    for (responses, expected) in cases {
        let (_, provider) = in_memory(responses);
        let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
        assert!(reason.contains(expected), "expected {expected:?} in {reason:?}");
        assert!(!reason.contains("leak"), "{reason}");
    }
}

#[test]
fn request_debug_hides_the_metadata_token() {
    let request =
        HttpRequest::new("GET", "http://169.254.169.254/").with_header("x-aws-ec2-metadata-token", "secret-imds-token");
    assert!(!format!("{request:?}").contains("secret-imds-token"));
}
