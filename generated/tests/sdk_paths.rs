//! The paths and constructors aws-sdk-emr programs use: `Client::new(&config)`, `Client::from_conf`,
//! `client.config()`, `error::{ProvideErrorMetadata, DisplayErrorContext, ..}`, `primitives::DateTime`,
//! `config::{Config, Builder, Region}`, enums' `values()` and `FromStr`, `operation::<op>::{.., builders}`,
//! `types::builders`, `types::error`, `client::Waiters`, `waiters::<waiter>`, `operation::RequestId` and the
//! crate-level `Error` that `?` converts into.

use lean_emr::config::{Builder, Config, Credentials, Region};
use lean_emr::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use lean_emr::operation::describe_cluster::builders::{
    DescribeClusterFluentBuilder, DescribeClusterInputBuilder, DescribeClusterOutputBuilder,
};
use lean_emr::operation::describe_cluster::{DescribeCluster, DescribeClusterError, DescribeClusterInput};
use lean_emr::operation::RequestId;
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

/// Calls DescribeCluster against a canned `InvalidRequestException` answer carrying `request_id`.
async fn invalid_request(request_id: &str) -> SdkError<DescribeClusterError> {
    let transport = InMemoryTransport::new();
    let body = r#"{"__type": "InvalidRequestException", "Message": "Cluster id 'j-1' is not valid."}"#;
    transport.push_response(HttpResponse::new(400, body).with_header("x-amzn-RequestId", request_id));
    let client = Client::new(offline(&transport).build());
    client
        .describe_cluster()
        .cluster_id("j-1")
        .send()
        .await
        .expect_err("the canned answer is an error")
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
    let error = invalid_request("rid-1").await;
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
    assert!(matches!(error, SdkError::ServiceError(_)));
    let SdkError::ServiceError(e) = &error else {
        unreachable!()
    };
    assert!(e.err().is_invalid_request_exception());
    assert_eq!(e.raw().map(|raw| raw.status), Some(400));
    assert_eq!(
        error.raw_response().map(|raw| raw.header("x-amzn-RequestId")),
        Some(Some("rid-1"))
    );
}

/// aws-sdk-emr's `ErrorMetadata`, `ProvideErrorMetadata` and `BuildError` are aws-smithy-types' own, and so are
/// lean-emr's: a function written against aws-smithy-types' trait (as code shared with aws-sdk-emr is) takes
/// lean-emr's errors, and the metadata built with aws-smithy-types' builder is the one the errors carry.
#[tokio::test]
async fn error_metadata_and_build_error_are_aws_smithy_types_own() {
    use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata as SmithyProvideErrorMetadata};
    use aws_smithy_types::error::operation::BuildError;
    use lean_emr::types::error::InvalidRequestException;

    fn code_and_message(e: &dyn SmithyProvideErrorMetadata) -> (Option<&str>, Option<&str>) {
        (e.code(), e.message())
    }
    let _: fn(lean_emr::error::ErrorMetadata) -> ErrorMetadata = |meta| meta;
    let _: fn(lean_emr::error::BuildError) -> BuildError = |error| error;
    let _: fn(&dyn ProvideErrorMetadata) -> &dyn SmithyProvideErrorMetadata = |e| e;

    let made = DescribeClusterError::InvalidRequestException(
        InvalidRequestException::builder()
            .message("not valid")
            .meta(
                ErrorMetadata::builder()
                    .code("InvalidRequestException")
                    .message("not valid")
                    .build(),
            )
            .build(),
    );
    assert_eq!(
        code_and_message(&made),
        (Some("InvalidRequestException"), Some("not valid"))
    );

    let error = invalid_request("rid-2").await;
    let expected = (Some("InvalidRequestException"), Some("Cluster id 'j-1' is not valid."));
    assert_eq!(code_and_message(&error), expected, "SdkError");
    assert_eq!(
        code_and_message(error.as_service_error().expect("the service's")),
        expected
    );
    let meta = error
        .as_service_error()
        .map(ProvideErrorMetadata::meta)
        .expect("metadata");
    assert_eq!(meta.extra(lean_emr::runtime::error::AWS_REQUEST_ID), Some("rid-2"));
    assert_eq!(lean_emr::runtime::error::http_status(meta), Some(400));

    // `?` carries aws-smithy-types' BuildError into the crate-level error, as in aws-sdk-emr.
    #[allow(clippy::result_large_err)] // the size of the crate-level error, as a user's function has it
    fn fails() -> Result<(), lean_emr::Error> {
        Err(BuildError::missing_field("ClusterId", "needed"))?
    }
    let crate_error = fails().expect_err("converted");
    assert!(
        crate_error.to_string().contains("ClusterId was missing: needed"),
        "{crate_error}"
    );
}

/// aws-sdk-emr's maps are `HashMap`s, so a program that builds one and hands it over compiles unchanged; the body
/// lists its entries in key order all the same, so what is sent does not depend on the map's iteration order.
#[cfg(feature = "run-job-flow")]
#[tokio::test]
async fn model_maps_are_hash_maps_as_in_aws_sdk_emr_and_are_sent_in_key_order() {
    use lean_emr::types::Configuration;
    use std::collections::HashMap;
    let properties: HashMap<String, String> = ["spark.executor.memory", "spark.driver.memory", "spark.a"]
        .iter()
        .map(|k| (k.to_string(), "2g".to_owned()))
        .collect();
    let replaced = Configuration::builder()
        .classification("spark-defaults")
        .set_properties(Some(properties.clone()))
        .properties("spark.b", "1")
        .build();
    let held: Option<&HashMap<String, String>> = replaced.properties();
    assert_eq!(held.map(HashMap::len), Some(4));
    let transport = InMemoryTransport::new();
    transport.push_response(HttpResponse::new(200, r#"{"JobFlowId": "j-1"}"#));
    let client = Client::new(offline(&transport).build());
    client
        .run_job_flow()
        .name("maps")
        .release_label("emr-7.0.0")
        .instances(lean_emr::types::JobFlowInstancesConfig::builder().build())
        .configurations(replaced)
        .send()
        .await
        .expect("the canned answer is a success");
    let body = String::from_utf8(transport.requests()[0].body.clone()).unwrap();
    let expected = concat!(
        r#""Properties":{"spark.a":"2g","spark.b":"1","#,
        r#""spark.driver.memory":"2g","spark.executor.memory":"2g"}"#
    );
    assert!(body.contains(expected), "{body}");
}

#[test]
fn primitives_and_enums_are_where_aws_sdk_emr_has_them() {
    assert_eq!(DateTime::from_secs(1_700_000_000).secs(), 1_700_000_000);
    assert!(ClusterState::values().contains(&"RUNNING"));
    let state: ClusterState = "RUNNING".parse().unwrap_or_else(|never| match never {});
    assert_eq!(state, ClusterState::Running);
    assert_eq!(state.to_string(), "RUNNING");
}

#[test]
fn aws_config_setting_types_are_where_aws_sdk_emr_has_them() {
    use lean_emr::config::timeout::TimeoutConfig;
    use lean_emr::config::{AppName, BehaviorVersion};
    use std::time::Duration;
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .app_name(AppName::new("inventory").unwrap())
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(20))
                .build(),
        )
        .build();
    assert_eq!(config.region(), Some("eu-west-1"));
    assert!(AppName::new("not valid").is_err());
}

#[test]
fn operation_types_builders_waiters_and_errors_are_where_aws_sdk_emr_has_them() {
    let _: fn(&Client) -> DescribeClusterFluentBuilder = Client::describe_cluster;
    let input: DescribeClusterInputBuilder = DescribeClusterInput::builder().cluster_id("j-1");
    assert_eq!(input.get_cluster_id().as_deref(), Some("j-1"));
    let built: DescribeClusterInput = input.build().expect("an input always builds");
    assert_eq!(built.cluster_id(), Some("j-1"));
    let _: DescribeClusterOutputBuilder = lean_emr::operation::describe_cluster::DescribeClusterOutput::builder();
    let _: lean_emr::types::builders::ClusterBuilder = lean_emr::types::Cluster::builder();
    let error = lean_emr::types::error::InvalidRequestException::builder()
        .message("m")
        .build();
    let _: lean_emr::types::error::builders::InvalidRequestExceptionBuilder =
        lean_emr::types::error::InvalidRequestException::builder();
    assert_eq!(error.message(), Some("m"));
    let _: std::marker::PhantomData<DescribeCluster> = std::marker::PhantomData;
    fn waiters<W: lean_emr::client::Waiters>(w: &W) -> lean_emr::waiters::cluster_running::ClusterRunningFluentBuilder {
        w.wait_until_cluster_running()
    }
    let transport = InMemoryTransport::new();
    let client = Client::new(offline(&transport).build());
    assert_eq!(
        waiters(&client).cluster_id("j-1").get_cluster_id().as_deref(),
        Some("j-1")
    );
    assert_eq!(
        Config::builder().region(Region::new("eu-west-1")).build().region(),
        Some("eu-west-1")
    );
}

#[tokio::test]
async fn question_mark_carries_every_error_into_the_crate_error() {
    async fn name(client: &Client) -> Result<Option<String>, lean_emr::Error> {
        let output = client.describe_cluster().cluster_id("j-1").send().await?;
        Ok(output.cluster().and_then(|c| c.name()).map(str::to_owned))
    }
    let transport = InMemoryTransport::new();
    let body = r#"{"__type": "InvalidRequestException", "Message": "bad"}"#;
    transport.push_response(HttpResponse::new(400, body).with_header("x-amzn-RequestId", "rid-2"));
    let client = Client::new(offline(&transport).build());
    let error = name(&client).await.expect_err("the service error");
    assert!(
        matches!(&error, lean_emr::Error::InvalidRequestException(e) if e.message() == Some("bad")),
        "{error}"
    );
    assert_eq!(error.code(), Some("InvalidRequestException"));
    assert_eq!(error.request_id(), Some("rid-2"));
    assert!(
        error.to_string().contains("rid-2"),
        "Display keeps the request id: {error}"
    );

    // A failure that is not the service's (no ClusterId: the validator) becomes `Unhandled`, saying why.
    async fn invalid(client: &Client) -> Result<(), lean_emr::Error> {
        client.describe_cluster().send().await?;
        Ok(())
    }
    let error = invalid(&client).await.expect_err("ClusterId is required");
    assert!(matches!(&error, lean_emr::Error::Unhandled(_)), "{error}");
    assert!(error.to_string().contains("ClusterId"), "{error}");

    // into_service_error: the operation's error, non-service failures as its Unhandled.
    let error = client
        .describe_cluster()
        .send()
        .await
        .expect_err("ClusterId is required");
    assert!(matches!(error.into_service_error(), DescribeClusterError::Unhandled(_)));
}
