//! What a rule set's endpoint asks for besides its URL is applied to the request, or the call fails naming it:
//! `headers` go on the request (and are signed); `authSchemes` pick SigV4 and may override the signing name and
//! region, as aws-sdk-rust reads them; an unknown property, auth scheme or SigV4 setting is an endpoint error and
//! nothing is sent.

mod support;

use lean_aws_runtime::clock::FixedClock;
use lean_aws_runtime::env::Env;
use lean_aws_runtime::profile::Fs;
use lean_aws_runtime::transport::{HttpRequest, InMemoryTransport};
use lean_aws_runtime::{Client, Config, Credentials, ErrorMetadata, SdkError, ServiceMeta};
use serde_json::{json, Value};
use std::sync::OnceLock;
use support::{Empty, ListClusters};

/// A service whose rule set always resolves to one endpoint: `https://example.com` with `endpoint`'s other keys.
fn service(endpoint: Value) -> &'static ServiceMeta {
    let mut endpoint = endpoint;
    endpoint["url"] = json!("https://example.com");
    let rules = json!({"version": "1.0",
        "parameters": {"Region": {"builtIn": "AWS::Region", "required": false, "type": "String"}},
        "rules": [{"conditions": [], "type": "endpoint", "endpoint": endpoint}]});
    Box::leak(Box::new(ServiceMeta {
        service_id: "Test",
        env_suffix: "TEST",
        signing_name: "testservice",
        target_prefix: "Test",
        json_version: "1.1",
        user_agent: "test/0",
        endpoint_rule_set: Box::leak(rules.to_string().into_boxed_str()),
        partitions: r#"{"partitions": []}"#,
        resolver: OnceLock::new(),
    }))
}

/// One call to a service whose endpoint is `endpoint`: what was sent, or why not.
async fn call(endpoint: Value) -> (Result<(), SdkError<ErrorMetadata>>, Vec<HttpRequest>) {
    let transport = InMemoryTransport::new();
    let config = Config::builder()
        .env(Env::from_pairs::<&str, &str>([]))
        .fs(Fs::from_files::<&str, &str>([]))
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
        .clock(FixedClock::from_epoch_secs(1_767_225_600))
        .transport(transport.clone())
        .build();
    let result = Client::new(service(endpoint), config)
        .invoke::<ListClusters>(&Empty)
        .await;
    (result, transport.requests())
}

/// The credential scope and signed headers of a signed request.
fn scope_and_signed_headers(request: &HttpRequest) -> (String, String) {
    let auth = request.header("authorization").expect("signed");
    let field = |name: &str| {
        auth.split(&format!("{name}="))
            .nth(1)
            .and_then(|rest| rest.split(',').next())
            .unwrap_or_default()
            .to_owned()
    };
    let credential = field("Credential");
    let scope = credential.split_once('/').map_or(String::new(), |(_, s)| s.to_owned());
    (scope, field("SignedHeaders"))
}

#[tokio::test]
async fn endpoint_headers_are_sent_and_signed() {
    let (result, sent) = call(json!({"headers": {"x-amz-test": ["one", "two"], "X-Partition": ["aws"]}})).await;
    result.expect("sent");
    let request = &sent[0];
    let values: Vec<&str> = request
        .headers
        .iter()
        .filter(|(n, _)| n == "x-amz-test")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(values, ["one", "two"]);
    assert_eq!(request.header("x-partition"), Some("aws"));
    let (_, signed) = scope_and_signed_headers(request);
    assert!(
        signed.contains(";x-amz-test;") && signed.contains(";x-partition"),
        "{signed}"
    );
}

#[tokio::test]
async fn sigv4_auth_schemes_override_the_signing_name_and_region() {
    let (result, sent) = call(json!({"properties": {"authSchemes": [
        {"name": "sigv4", "signingName": "othername", "signingRegion": "eu-west-9", "disableDoubleEncoding": true}
    ]}}))
    .await;
    result.expect("sent");
    let (scope, _) = scope_and_signed_headers(&sent[0]);
    assert_eq!(scope, "20260101/eu-west-9/othername/aws4_request");

    // Without overrides the client's own region and the service's signing name are used.
    let (result, sent) = call(json!({"properties": {"authSchemes": [{"name": "sigv4"}]}})).await;
    result.expect("sent");
    assert_eq!(
        scope_and_signed_headers(&sent[0]).0,
        "20260101/us-east-1/testservice/aws4_request"
    );

    // The schemes are in order of preference: the first one this client supports is used.
    let (result, sent) = call(json!({"properties": {"authSchemes": [
        {"name": "sigv4a", "signingRegionSet": ["*"]},
        {"name": "sigv4", "signingRegion": "eu-west-9"}
    ]}}))
    .await;
    result.expect("sent");
    assert_eq!(
        scope_and_signed_headers(&sent[0]).0,
        "20260101/eu-west-9/testservice/aws4_request"
    );
}

#[tokio::test]
async fn what_cannot_be_applied_is_an_endpoint_error_naming_it_and_nothing_is_sent() {
    for (endpoint, named) in [
        (json!({"properties": {"backend": "S3Express"}}), "`backend`"),
        (
            json!({"properties": {"authSchemes": [{"name": "sigv4a", "signingRegionSet": ["*"]}]}}),
            "sigv4a",
        ),
        (
            json!({"properties": {"authSchemes": [{"name": "sigv4", "signingRegionSet": ["*"]}]}}),
            "`signingRegionSet`",
        ),
        (
            json!({"properties": {"authSchemes": [{"name": "sigv4", "signingRegion": 1}]}}),
            "`signingRegion`",
        ),
        (
            json!({"properties": {"authSchemes": [{"signingName": "x"}]}}),
            "without a `name`",
        ),
        (json!({"headers": {"Authorization": ["x"]}}), "`authorization`"),
        (json!({"headers": {"x-amz-target": ["Other.Op"]}}), "`x-amz-target`"),
    ] {
        let (result, sent) = call(endpoint.clone()).await;
        match result {
            Err(SdkError::Endpoint(e)) => assert!(e.message.contains(named), "{endpoint}: {e}"),
            other => panic!("{endpoint}: expected an endpoint error, got {other:?}"),
        }
        assert!(sent.is_empty(), "{endpoint}: sent");
    }
}
