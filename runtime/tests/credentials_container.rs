//! `ContainerProvider`: ECS relative URIs, full URIs and their allow-list, authorization tokens.

mod support;

use lean_aws_runtime::credentials::{ContainerProvider, CredentialsError, ProvideCredentials};
use lean_aws_runtime::env::Env;
use lean_aws_runtime::transport::{HttpResponse, InMemoryTransport, TransportError, TransportErrorKind};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};
use support::https_transport;
use test_support::{missing_path, reply, Server, TempFile};

const CREDS_JSON: &str = r#"{"AccessKeyId":"ASIACONT","SecretAccessKey":"cont-secret","Token":"cont-token",
    "Expiration":"2026-01-01T00:00:00Z","RoleArn":"arn:aws:iam::123:role/task"}"#;

fn failed_reason(err: CredentialsError) -> String {
    match err {
        CredentialsError::Failed { reason, .. } => reason,
        other => panic!("expected Failed, got {other:?}"),
    }
}

#[tokio::test]
async fn full_uri_on_loopback_with_token_variable() {
    let server = Server::start(vec![reply(200, CREDS_JSON)]).await;
    let env = Env::from_pairs([
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/v1/credentials?x=1", server.url()),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic env-token".to_owned()),
    ]);
    let creds = ContainerProvider::from_env(env)
        .with_transport(https_transport())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIACONT");
    assert_eq!(creds.secret_access_key(), "cont-secret");
    assert_eq!(creds.session_token(), Some("cont-token"));
    assert_eq!(creds.expiry(), Some(UNIX_EPOCH + Duration::from_secs(1_767_225_600)));

    let requests = server.finish().await;
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        ("GET", "/v1/credentials?x=1")
    );
    assert_eq!(requests[0].header("authorization"), Some("Basic env-token"));
}

#[tokio::test]
async fn token_file_wins_over_token_variable() {
    let file = TempFile::new("file-token\n");
    let server = Server::start(vec![reply(200, CREDS_JSON)]).await;
    let env = Env::from_pairs([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/creds", server.url())),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "env-token".to_owned()),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file.path_str()),
    ]);
    ContainerProvider::from_env(env)
        .with_transport(https_transport())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(server.finish().await[0].header("authorization"), Some("file-token"));
}

#[tokio::test]
async fn unreadable_token_file_fails() {
    let env = Env::from_pairs([
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://127.0.0.1/creds".to_owned(),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", missing_path()),
    ]);
    let transport = InMemoryTransport::new();
    let provider = ContainerProvider::from_env(env).with_transport(Arc::new(transport.clone()));
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert!(
        reason.contains("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
        "{reason}"
    );
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn relative_uri_goes_to_the_ecs_agent_and_wins_over_full_uri() {
    let transport = InMemoryTransport::new();
    transport.push_response(HttpResponse::new(200, CREDS_JSON));
    let env = Env::from_pairs([
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1/other"),
    ]);
    let provider = ContainerProvider::from_env(env).with_transport(Arc::new(transport.clone()));
    provider.provide_credentials().await.unwrap();
    let requests = transport.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].url.as_str()),
        ("GET", "http://169.254.170.2/v2/credentials/abc")
    );
    assert_eq!(requests[0].header("authorization"), None);
}

#[tokio::test]
async fn disallowed_full_uri_hosts_fail_before_any_request() {
    for uri in [
        "http://example.com/creds",
        "http://169.254.169.254/creds",
        "http://127.0.0.1.nip.io/creds",
    ] {
        let transport = InMemoryTransport::new();
        let env = Env::from_pairs([("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri)]);
        let provider = ContainerProvider::from_env(env).with_transport(Arc::new(transport.clone()));
        let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
        assert!(reason.contains("is not allowed"), "{uri}: {reason}");
        assert!(transport.requests().is_empty(), "{uri}");
    }
}

#[tokio::test]
async fn eks_pod_identity_and_https_full_uris_are_allowed() {
    for uri in [
        "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/v1/credentials",
        "https://creds.example/x",
    ] {
        let transport = InMemoryTransport::new();
        transport.push_response(HttpResponse::new(200, CREDS_JSON));
        let env = Env::from_pairs([("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri)]);
        let provider = ContainerProvider::from_env(env).with_transport(Arc::new(transport.clone()));
        provider
            .provide_credentials()
            .await
            .unwrap_or_else(|e| panic!("{uri}: {e}"));
        assert_eq!(transport.requests()[0].url, uri);
    }
}

#[tokio::test]
async fn not_configured_without_uri_variables() {
    let provider = ContainerProvider::from_env(Env::from_pairs([("AWS_CONTAINER_AUTHORIZATION_TOKEN", "t")]));
    let err = provider.provide_credentials().await.unwrap_err();
    assert!(matches!(err, CredentialsError::NotConfigured { .. }), "{err:?}");
}

#[tokio::test]
async fn malformed_json_and_error_statuses_fail() {
    let server = Server::start(vec![
        reply(200, r#"{"AccessKeyId":"A","SecretAccessKey":"do-not-leak"#),
        reply(200, "[1,2]"),
        reply(403, r#"{"code":"AccessDenied","message":"bad token"}"#),
    ])
    .await;
    let env = Env::from_pairs([("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/c", server.url()))]);
    let provider = ContainerProvider::from_env(env).with_transport(https_transport());
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert!(
        reason.contains("not valid JSON") && !reason.contains("do-not-leak"),
        "{reason}"
    );
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert!(reason.contains("not an object"), "{reason}");
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert!(
        reason.contains("answered HTTP 403") && reason.contains("bad token"),
        "{reason}"
    );
    server.finish().await;
}

#[tokio::test]
async fn transport_failures_are_retried_then_fail() {
    let transport = InMemoryTransport::new();
    let refused = TransportError::new(TransportErrorKind::Connect, "refused");
    transport
        .push_error(refused.clone())
        .push_response(HttpResponse::new(200, CREDS_JSON));
    let env = Env::from_pairs([("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://localhost:8080/c")]);
    let provider = ContainerProvider::from_env(env).with_transport(Arc::new(transport.clone()));
    provider.provide_credentials().await.unwrap();
    assert_eq!(transport.requests().len(), 2);

    transport.push_error(refused.clone()).push_error(refused);
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert!(reason.contains("refused"), "{reason}");
    assert_eq!(transport.requests().len(), 4);
}

#[tokio::test]
async fn token_with_control_characters_fails_without_quoting_it() {
    let file = TempFile::new("secret-part\r\ninjected: header");
    let env = Env::from_pairs([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1/c".to_owned()),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file.path_str()),
    ]);
    let provider = ContainerProvider::from_env(env).with_transport(Arc::new(InMemoryTransport::new()));
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert!(
        reason.contains("control characters") && !reason.contains("secret-part"),
        "{reason}"
    );
}

#[tokio::test]
async fn debug_and_request_debug_hide_the_token() {
    let transport = InMemoryTransport::new();
    transport.push_response(HttpResponse::new(200, CREDS_JSON));
    let env = Env::from_pairs([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1/c"),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "super-secret-token"),
    ]);
    let provider = ContainerProvider::from_env(env).with_transport(Arc::new(transport.clone()));
    assert!(!format!("{provider:?}").contains("super-secret-token"));
    provider.provide_credentials().await.unwrap();
    let shown = format!("{:?}", transport.requests());
    assert!(!shown.contains("super-secret-token"), "{shown}");
}
