//! The client resolves its endpoint through the model's rule set, fed from config and environment.

mod support;

use lean_aws_runtime::env::Env;
use lean_aws_runtime::transport::InMemoryTransport;
use lean_aws_runtime::SdkError;
use support::*;

async fn sent_url(config: lean_aws_runtime::ConfigBuilder) -> Result<String, String> {
    let transport = InMemoryTransport::new();
    let client = lean_emr::Client::new(config.transport(transport.clone()).build());
    match valid_builder().send_with(&client).await {
        Ok(_) => Ok(transport.requests()[0].url.clone()),
        Err(e) => {
            assert!(
                transport.requests().is_empty(),
                "nothing may be sent when no endpoint resolves"
            );
            Err(e.to_string())
        }
    }
}

#[tokio::test]
async fn fips_and_dual_stack_from_config() {
    let url = sent_url(offline_config(None).use_fips(true)).await.unwrap();
    assert_eq!(url, "https://elasticmapreduce-fips.us-east-1.amazonaws.com/");
    let url = sent_url(offline_config(None).use_dual_stack(true)).await.unwrap();
    assert_eq!(url, "https://elasticmapreduce.us-east-1.api.aws/");
}

#[tokio::test]
async fn fips_and_dual_stack_from_environment() {
    let env = Env::from_pairs([
        ("AWS_USE_FIPS_ENDPOINT", "true"),
        ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
    ]);
    let url = sent_url(offline_config(None).env(env)).await.unwrap();
    assert_eq!(url, "https://elasticmapreduce-fips.us-east-1.api.aws/");
}

#[tokio::test]
async fn other_partitions_and_unknown_regions() {
    let url = sent_url(offline_config(None).region("cn-north-1")).await.unwrap();
    assert_eq!(url, "https://elasticmapreduce.cn-north-1.amazonaws.com.cn/");
    let url = sent_url(offline_config(None).region("us-gov-west-1")).await.unwrap();
    assert_eq!(url, "https://elasticmapreduce.us-gov-west-1.amazonaws.com/");
    let url = sent_url(offline_config(None).region("mars-east-1")).await.unwrap();
    assert_eq!(url, "https://elasticmapreduce.mars-east-1.amazonaws.com/");
}

#[tokio::test]
async fn explicit_endpoint_wins_over_the_environment() {
    let env = Env::from_pairs([
        ("AWS_ENDPOINT_URL_EMR", "https://from-env.example"),
        ("AWS_ENDPOINT_URL", "https://x"),
    ]);
    let url = sent_url(
        offline_config(None)
            .env(env.clone())
            .endpoint_url("https://explicit.example"),
    )
    .await
    .unwrap();
    assert_eq!(url, "https://explicit.example/");
    let url = sent_url(offline_config(None).env(env)).await.unwrap();
    assert_eq!(url, "https://from-env.example/");
}

#[tokio::test]
async fn error_rules_fail_before_any_request() {
    let err = sent_url(offline_config(None).use_fips(true).endpoint_url("https://example.com"))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        "endpoint resolution failed: Invalid Configuration: FIPS and custom endpoint are not supported"
    );
}

#[tokio::test]
async fn missing_region_says_where_it_looked() {
    let transport = InMemoryTransport::new();
    let config = lean_aws_runtime::Config::builder()
        .env(Env::from_pairs::<&str, &str>([]))
        .fs(lean_aws_runtime::profile::Fs::from_files::<&str, &str>([]))
        .credentials(lean_aws_runtime::Credentials::new(ACCESS_KEY, SECRET_KEY, None))
        .transport(transport.clone())
        .build();
    let err = valid_builder()
        .send_with(&lean_emr::Client::new(config))
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Config(_)), "{err:?}");
    let text = err.to_string();
    for place in ["Config::region", "AWS_REGION", "AWS_DEFAULT_REGION"] {
        assert!(text.contains(place), "{text}");
    }
    assert!(transport.requests().is_empty());
}
