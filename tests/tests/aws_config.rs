//! aws-config interop (feature `aws-config`): a client built from an `aws_types::SdkConfig`, as a program that
//! loads its settings with aws-config for other services builds it, takes its region, endpoint, credentials
//! provider (asked once and cached), retry settings, timeouts and app name.

use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::app_name::AppName;
use aws_types::region::Region;
use aws_types::SdkConfig;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use test_support::{reply, Server};

/// An aws-config credentials provider that counts how often it is asked.
#[derive(Debug, Clone, Default)]
struct Counting(Arc<AtomicUsize>);

impl ProvideCredentials for Counting {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        self.0.fetch_add(1, Ordering::SeqCst);
        let expiry = SystemTime::now() + Duration::from_secs(3600);
        future::ProvideCredentials::ready(Ok(aws_credential_types::Credentials::new(
            "AKIDAWSCONFIG",
            "secret-from-aws-config",
            Some("token-from-aws-config".to_owned()),
            Some(expiry),
            "test",
        )))
    }
}

fn sdk_config(endpoint: &str, provider: Counting) -> SdkConfig {
    SdkConfig::builder()
        .region(Region::new("eu-west-3"))
        .endpoint_url(endpoint)
        .credentials_provider(SharedCredentialsProvider::new(provider))
        .retry_config(RetryConfig::adaptive().with_max_attempts(2))
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(25))
                .build(),
        )
        .app_name(AppName::new("nightly-etl").unwrap())
        .build()
}

#[tokio::test]
async fn a_client_from_sdk_config_signs_with_its_credentials_and_sends_to_its_endpoint() {
    let listing = r#"{"Clusters":[{"Id":"j-1","Name":"etl"}]}"#;
    let server = Server::start([reply(200, listing), reply(200, listing)]).await;
    let provider = Counting::default();
    let sdk = sdk_config(&server.url(), provider.clone());
    let client = lean_emr::Client::new(&sdk);
    for _ in 0..2 {
        let output = client.list_clusters().send().await.expect("the listing");
        assert_eq!(output.clusters()[0].id(), Some("j-1"));
    }
    assert_eq!(
        provider.0.load(Ordering::SeqCst),
        1,
        "credentials are cached until near their expiry"
    );
    let requests = server.finish().await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let authorization = request.header("authorization").unwrap();
        assert!(
            authorization.contains("Credential=AKIDAWSCONFIG/")
                && authorization.contains("/eu-west-3/elasticmapreduce/aws4_request"),
            "{authorization}"
        );
        assert_eq!(request.header("x-amz-security-token"), Some("token-from-aws-config"));
        assert!(
            request.header("user-agent").unwrap().ends_with(" app/nightly-etl"),
            "{:?}",
            request.header("user-agent")
        );
    }
}

#[test]
fn retry_settings_and_timeouts_come_across() {
    let config = lean_aws_runtime::Config::from(&sdk_config("http://127.0.0.1:9", Counting::default()));
    let debug = format!("{config:?}");
    for expected in [
        "region: Some(\"eu-west-3\")",
        "RetryConfig { max_attempts: 2, mode: Adaptive }",
        "operation_timeout: Some(25s)",
        "app_id: Some(\"nightly-etl\")",
    ] {
        assert!(debug.contains(expected), "{expected} in {debug}");
    }
    assert!(!debug.contains("secret-from-aws-config"), "{debug}");
}
