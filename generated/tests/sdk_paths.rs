//! The paths and constructors aws-sdk-emr programs use: `Client::new(&config)`, `Client::from_conf`,
//! `client.config()`, `error::{ProvideErrorMetadata, DisplayErrorContext, ..}`, `primitives::DateTime`,
//! `config::{Config, Builder}`, and enums' `values()` and `FromStr`.

use lean_emr::config::{Builder, Config, Credentials};
use lean_emr::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use lean_emr::operations::{DescribeClusterError, DescribeClusterInput};
use lean_emr::primitives::DateTime;
use lean_emr::runtime::env::Env;
use lean_emr::runtime::profile::Fs;
use lean_emr::runtime::transport::{HttpResponse, InMemoryTransport};
use lean_emr::types::ClusterState;
use lean_emr::Client;

fn offline(transport: &InMemoryTransport) -> Builder {
    Config::builder()
        .env(Env::from_pairs::<&str, &str>([]))
        .fs(Fs::from_files::<&str, &str>([]))
        .region("eu-west-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
        .transport(transport.clone())
}

#[test]
fn clients_are_made_from_a_config_or_a_reference_to_one() {
    let transport = InMemoryTransport::new();
    let config = offline(&transport).endpoint_url("http://127.0.0.1:1").build();
    let by_reference = Client::new(&config);
    let by_value = Client::from_conf(config.clone());
    for client in [by_reference, by_value, Client::new(config)] {
        assert_eq!(client.config().region(), Some("eu-west-1"));
        assert_eq!(client.config().endpoint_url(), Some("http://127.0.0.1:1"));
    }
}

#[tokio::test]
async fn service_errors_give_code_message_and_request_id_through_provide_error_metadata() {
    let transport = InMemoryTransport::new();
    let body = r#"{"__type": "InvalidRequestException", "Message": "Cluster id 'j-1' is not valid."}"#;
    transport.push_response(HttpResponse::new(400, body).with_header("x-amzn-RequestId", "rid-1"));
    let client = Client::new(offline(&transport).build());
    let input = DescribeClusterInput::builder()
        .cluster_id("j-1")
        .build()
        .expect("complete");
    let error = client
        .describe_cluster(input)
        .await
        .expect_err("the canned answer is an error");
    let service: &DescribeClusterError = error.as_service_error().expect("a service error");
    assert!(matches!(service, DescribeClusterError::InvalidRequestException(_)));
    assert!(service.is_invalid_request_exception());
    assert!(!service.is_internal_server_exception());
    assert_eq!(service.code(), Some("InvalidRequestException"));
    assert_eq!(service.message(), Some("Cluster id 'j-1' is not valid."));
    assert_eq!(service.request_id(), Some("rid-1"));
    let shown = DisplayErrorContext(&error).to_string();
    assert!(
        shown.contains("InvalidRequestException") && shown.contains("rid-1"),
        "{shown}"
    );
    assert!(matches!(error, SdkError::Service(_)));
}

#[test]
fn primitives_and_enums_are_where_aws_sdk_emr_has_them() {
    assert_eq!(DateTime::from_secs(1_700_000_000).secs(), 1_700_000_000);
    assert!(ClusterState::values().contains(&"RUNNING"));
    let state: ClusterState = "RUNNING".parse().unwrap_or_else(|never| match never {});
    assert_eq!(state, ClusterState::Running);
    assert_eq!(state.to_string(), "RUNNING");
}
