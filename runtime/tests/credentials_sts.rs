//! STS-backed providers: `AssumeRoleProvider` and `WebIdentityProvider`, against a loopback STS.

mod support;

use lean_aws_runtime::clock::FixedClock;
use lean_aws_runtime::credentials::{
    AssumeRoleProvider, Credentials, CredentialsError, ProvideCredentials, StsClient, WebIdentityProvider,
};
use lean_aws_runtime::env::Env;
use lean_aws_runtime::transport::{HttpResponse, InMemoryTransport};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};
use support::https_transport;
use test_support::{missing_path, reply, Server, TempFile};

/// 2026-01-01T00:00:00Z
const NOW: u64 = 1_767_225_600;

fn success(action: &str) -> String {
    format!(
        r#"<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <{action}Result>
    <AssumedRoleUser><AssumedRoleId>AROA1:s</AssumedRoleId><Arn>arn:aws:sts::123:assumed-role/r/s</Arn></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
      <SecretAccessKey>se&lt;cret&amp;&#x21;</SecretAccessKey>
      <SessionToken>session&#47;token</SessionToken>
      <Expiration>2026-01-01T01:00:00Z</Expiration>
    </Credentials>
  </{action}Result>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</{action}Response>"#
    )
}

const ERROR_XML: &str = r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole &amp; more</Message></Error>
  <RequestId>4c0a-req</RequestId>
</ErrorResponse>"#;

fn sts(url: &str) -> StsClient {
    StsClient::new(Some("eu-west-1".into()))
        .with_endpoint(url)
        .with_transport(https_transport())
        .with_clock(Arc::new(FixedClock::from_epoch_secs(NOW)))
}

fn source_creds() -> Arc<dyn ProvideCredentials> {
    Arc::new(Credentials::new(
        "AKIDSOURCE",
        "source-secret",
        Some("source-token".into()),
    ))
}

fn assert_parsed(creds: &Credentials) {
    assert_eq!(creds.access_key_id(), "ASIAEXAMPLE");
    assert_eq!(creds.secret_access_key(), "se<cret&!");
    assert_eq!(creds.session_token(), Some("session/token"));
    assert_eq!(creds.expiry(), Some(UNIX_EPOCH + Duration::from_secs(NOW + 3600)));
}

fn failed_reason(err: CredentialsError) -> String {
    match err {
        CredentialsError::Failed { reason, .. } => reason,
        other => panic!("expected Failed, got {other:?}"),
    }
}

#[tokio::test]
async fn assume_role_sends_a_signed_form_post_and_parses_credentials() {
    let server = Server::start(vec![reply(200, success("AssumeRole"))]).await;
    let provider = AssumeRoleProvider::new("arn:aws:iam::123:role/r", source_creds(), sts(&server.url()))
        .with_session_name("my session")
        .with_external_id("ext-1")
        .with_duration(Duration::from_secs(900));
    let creds = provider.provide_credentials().await.unwrap();
    assert_parsed(&creds);

    let requests = server.finish().await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!((request.method.as_str(), request.path.as_str()), ("POST", "/"));
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded; charset=utf-8")
    );
    assert_eq!(
        request.body_text(),
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123%3Arole%2Fr\
         &RoleSessionName=my%20session&ExternalId=ext-1&DurationSeconds=900"
    );
    assert_eq!(request.header("x-amz-date"), Some("20260101T000000Z"));
    assert_eq!(request.header("x-amz-security-token"), Some("source-token"));
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDSOURCE/20260101/eu-west-1/sts/aws4_request, "),
        "{authorization}"
    );
    assert!(
        authorization.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token"),
        "{authorization}"
    );
}

#[tokio::test]
async fn assume_role_error_response_names_code_message_and_request_id() {
    let server = Server::start(vec![reply(403, ERROR_XML)]).await;
    let provider = AssumeRoleProvider::new("arn:aws:iam::123:role/r", source_creds(), sts(&server.url()));
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert_eq!(
        reason,
        "HTTP 403: AccessDenied: User is not authorized to perform: sts:AssumeRole & more (request id 4c0a-req)"
    );
    server.finish().await;
}

#[tokio::test]
async fn assume_role_signing_is_deterministic_with_a_fixed_clock() {
    // Same inputs, same clock: same signature. Guards against hidden reads of the wall clock.
    let transport = InMemoryTransport::new();
    transport.push_response(HttpResponse::new(200, success("AssumeRole")));
    transport.push_response(HttpResponse::new(200, success("AssumeRole")));
    let client = StsClient::new(None)
        .with_transport(Arc::new(transport.clone()))
        .with_clock(Arc::new(FixedClock::from_epoch_secs(NOW)));
    let provider = AssumeRoleProvider::new("arn:aws:iam::123:role/r", source_creds(), client)
        .with_session_name("s")
        .with_clock(Arc::new(FixedClock::from_epoch_secs(NOW)));
    provider.provide_credentials().await.unwrap();
    provider.provide_credentials().await.unwrap();
    let requests = transport.requests();
    assert_eq!(requests[0].url, "https://sts.amazonaws.com/");
    assert_eq!(requests[0].header("authorization"), requests[1].header("authorization"));
    assert!(requests[0]
        .header("authorization")
        .unwrap()
        .contains("/20260101/us-east-1/sts/aws4_request"));
}

#[tokio::test]
async fn assume_role_without_source_credentials_fails() {
    let source = Arc::new(lean_aws_runtime::credentials::EnvironmentProvider::new(
        Env::from_pairs(Vec::<(String, String)>::new()),
    ));
    let transport = InMemoryTransport::new();
    let client = StsClient::new(None).with_transport(Arc::new(transport.clone()));
    let provider = AssumeRoleProvider::new("arn:aws:iam::123:role/r", source, client).with_session_name("s");
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert!(reason.contains("no source credentials"), "{reason}");
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn malformed_success_body_fails_without_quoting_it() {
    let transport = InMemoryTransport::new();
    transport.push_response(HttpResponse::new(
        200,
        "<AssumeRoleResponse><Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>leaked-secret\
         </SecretAccessKey><Expiration>2026-01-01T01:00:00Z</Expiration></Credentials></AssumeRoleResponse>",
    ));
    transport.push_response(HttpResponse::new(
        200,
        "<Credentials><SecretAccessKey>x&bogus;</SecretAccessKey>",
    ));
    let client = StsClient::new(None).with_transport(Arc::new(transport));
    let provider = AssumeRoleProvider::new("arn:aws:iam::123:role/r", source_creds(), client);
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert_eq!(reason, "the response has no <SessionToken>");
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert_eq!(reason, "the response has no <Credentials> element");
}

#[tokio::test]
async fn bad_endpoint_fails_without_panicking() {
    let client = StsClient::new(None)
        .with_endpoint("not a url")
        .with_transport(Arc::new(InMemoryTransport::new()));
    let provider = AssumeRoleProvider::new("arn:aws:iam::123:role/r", source_creds(), client);
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert!(reason.contains("is not an http(s) URL"), "{reason}");
}

#[test]
fn assume_role_debug_hides_external_id_and_source_secrets() {
    let provider = AssumeRoleProvider::new("arn:aws:iam::123:role/r", source_creds(), StsClient::new(None))
        .with_external_id("very-secret-external-id");
    let shown = format!("{provider:?}");
    for secret in ["very-secret-external-id", "source-secret", "source-token"] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
    assert!(shown.contains("arn:aws:iam::123:role/r"), "{shown}");
}

#[tokio::test]
async fn web_identity_from_env_posts_unsigned_form_with_token() {
    let token = TempFile::new("eyJhbGciOi.token+value\n");
    let server = Server::start(vec![reply(200, success("AssumeRoleWithWebIdentity"))]).await;
    let env = Env::from_pairs([
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token.path_str()),
        ("AWS_ROLE_ARN", "arn:aws:iam::123:role/web".to_owned()),
        ("AWS_REGION", "eu-west-1".to_owned()),
        ("AWS_ENDPOINT_URL_STS", server.url()),
    ]);
    let provider = WebIdentityProvider::from_env(env)
        .with_sts(sts(&server.url()))
        .with_clock(Arc::new(FixedClock::from_epoch_secs(NOW)));
    assert_parsed(&provider.provide_credentials().await.unwrap());

    let requests = server.finish().await;
    let request = &requests[0];
    assert_eq!((request.method.as_str(), request.path.as_str()), ("POST", "/"));
    assert_eq!(request.header("authorization"), None);
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded; charset=utf-8")
    );
    assert_eq!(
        request.body_text(),
        format!(
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123%3Arole%2Fweb\
             &RoleSessionName=lean-aws-{}000&WebIdentityToken=eyJhbGciOi.token%2Bvalue",
            NOW
        )
    );
}

#[tokio::test]
async fn web_identity_from_env_uses_region_endpoint_and_session_name_variables() {
    let token = TempFile::new("tok");
    let server = Server::start(vec![reply(200, success("AssumeRoleWithWebIdentity"))]).await;
    let env = Env::from_pairs([
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token.path_str()),
        ("AWS_ROLE_ARN", "arn:aws:iam::123:role/web".to_owned()),
        ("AWS_ROLE_SESSION_NAME", "from-env".to_owned()),
        ("AWS_REGION", "eu-west-1".to_owned()),
        ("AWS_ENDPOINT_URL_STS", server.url()),
    ]);
    // The environment's STS settings, with only the transport swapped for a proxy-free one.
    let sts = StsClient::from_env(&env).with_transport(https_transport());
    assert_eq!(sts.endpoint(), server.url());
    assert_eq!(sts.signing_region(), "eu-west-1");
    let provider = WebIdentityProvider::from_env(env).with_sts(sts);
    provider.provide_credentials().await.unwrap();
    let body = server.finish().await[0].body_text();
    assert!(body.contains("&RoleSessionName=from-env&"), "{body}");
}

#[tokio::test]
async fn web_identity_new_with_plain_values() {
    let token = TempFile::new("tok");
    let transport = InMemoryTransport::new();
    transport.push_response(HttpResponse::new(200, success("AssumeRoleWithWebIdentity")));
    let client = StsClient::new(Some("us-west-2".into())).with_transport(Arc::new(transport.clone()));
    let provider = WebIdentityProvider::new(token.path(), "arn:aws:iam::123:role/web", client).with_session_name("s");
    assert_parsed(&provider.provide_credentials().await.unwrap());
    assert_eq!(transport.requests()[0].url, "https://sts.us-west-2.amazonaws.com/");
}

#[tokio::test]
async fn web_identity_not_configured_without_token_file_variable() {
    let provider = WebIdentityProvider::from_env(Env::from_pairs([("AWS_ROLE_ARN", "arn:aws:iam::1:role/r")]));
    let err = provider.provide_credentials().await.unwrap_err();
    assert!(matches!(err, CredentialsError::NotConfigured { .. }), "{err:?}");
}

#[tokio::test]
async fn web_identity_fails_without_role_or_with_unreadable_token_file() {
    let token = TempFile::new("tok");
    let provider = WebIdentityProvider::from_env(Env::from_pairs([("AWS_WEB_IDENTITY_TOKEN_FILE", token.path_str())]));
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert!(reason.contains("AWS_ROLE_ARN is not"), "{reason}");

    let missing = missing_path();
    let provider = WebIdentityProvider::from_env(Env::from_pairs([
        ("AWS_WEB_IDENTITY_TOKEN_FILE", missing.as_str()),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/r"),
    ]))
    .with_sts(StsClient::new(None).with_transport(Arc::new(InMemoryTransport::new())));
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert!(
        reason.contains("cannot read the token file") && reason.contains(&missing),
        "{reason}"
    );
}

#[tokio::test]
async fn web_identity_sts_error_is_failed() {
    let token = TempFile::new("tok");
    let server = Server::start(vec![reply(
        400,
        ERROR_XML.replace("AccessDenied", "InvalidIdentityToken"),
    )])
    .await;
    let provider = WebIdentityProvider::new(token.path(), "arn:aws:iam::1:role/r", sts(&server.url()));
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert!(reason.starts_with("HTTP 400: InvalidIdentityToken: "), "{reason}");
    server.finish().await;
}

#[test]
fn web_identity_debug_hides_environment_values() {
    let provider = WebIdentityProvider::from_env(Env::from_pairs([("AWS_SECRET_ACCESS_KEY", "env-secret")]));
    let shown = format!("{provider:?}");
    assert!(!shown.contains("env-secret"), "{shown}");
}
