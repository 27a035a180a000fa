//! The mock client (feature `test-util`): rules per operation that match on the typed input and answer with an
//! output, a modelled error or an HTTP response (read by the real parser), once, n times or for ever; inputs are
//! validated and serialized as for sending; a call no rule answers names the operation and the rules tried.

use lean_aws_runtime::transport::HttpResponse;
use lean_emr::mock::{Mocks, Rule};
use lean_emr::operation::describe_cluster::{DescribeCluster, DescribeClusterError, DescribeClusterOutput};
use lean_emr::operation::list_clusters::{ListClusters, ListClustersOutput};
use lean_emr::operation::RequestId;
use lean_emr::types::error::InvalidRequestException;
use lean_emr::types::{Cluster, ClusterSummary};
use lean_emr::SdkError;

fn named(name: &str) -> DescribeClusterOutput {
    DescribeClusterOutput::builder()
        .cluster(Cluster::builder().id("j-1").name(name).build())
        .build()
}

#[tokio::test]
async fn a_rule_answers_the_inputs_it_matches_once_by_default() {
    let rule = Rule::<DescribeCluster>::new()
        .match_requests(|input| input.cluster_id() == Some("j-1"))
        .then_output(|| named("nightly"));
    let client = lean_emr::mock::client(Mocks::new().with(&rule));

    let output = client
        .describe_cluster()
        .cluster_id("j-1")
        .send()
        .await
        .expect("the rule answers");
    assert_eq!(output.cluster().and_then(|c| c.name()), Some("nightly"));
    assert_eq!(rule.num_calls(), 1);

    let error = client
        .describe_cluster()
        .cluster_id("j-1")
        .send()
        .await
        .expect_err("used up");
    assert!(
        matches!(&error, SdkError::Mock(e) if e.operation == "DescribeCluster"),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "no mock rule answers DescribeCluster: tried rule 1 (it was used up after 1 call)"
    );
    let other = client
        .describe_cluster()
        .cluster_id("j-2")
        .send()
        .await
        .expect_err("no match");
    assert!(
        other
            .to_string()
            .contains("rule 1 (its matcher did not match the input)"),
        "{other}"
    );
}

#[tokio::test]
async fn rules_are_tried_in_order_and_answer_n_times_or_for_ever() {
    let first = Rule::<DescribeCluster>::new().then_output(|| named("first")).times(2);
    let then = Rule::<DescribeCluster>::new().then_output(|| named("then")).forever();
    let client = lean_emr::mock::client(Mocks::new().with(&first).with(&then));
    let mut names = Vec::new();
    for _ in 0..5 {
        let output = client
            .describe_cluster()
            .cluster_id("j-1")
            .send()
            .await
            .expect("answered");
        names.push(output.cluster().and_then(|c| c.name()).unwrap_or_default().to_owned());
    }
    assert_eq!(names, ["first", "first", "then", "then", "then"]);
    assert_eq!((first.num_calls(), then.num_calls()), (2, 3));
}

#[tokio::test]
async fn a_modelled_error_is_the_services_error() {
    let rule = Rule::<DescribeCluster>::new().then_error(|| {
        DescribeClusterError::InvalidRequestException(
            InvalidRequestException::builder()
                .message("Cluster id 'j-X' is not valid.")
                .error_code("INVALID")
                .build(),
        )
    });
    let client = lean_emr::mock::client(Mocks::new().with(&rule));
    let error = client
        .describe_cluster()
        .cluster_id("j-X")
        .send()
        .await
        .expect_err("the error");
    let service = error.into_service_error();
    assert!(service.is_invalid_request_exception(), "{service:?}");
    let DescribeClusterError::InvalidRequestException(e) = service else {
        unreachable!()
    };
    assert_eq!(e.message(), Some("Cluster id 'j-X' is not valid."));
}

#[tokio::test]
async fn an_http_response_goes_through_the_real_parser() {
    let rule = Rule::<DescribeCluster>::new()
        .then_http_response(|| {
            HttpResponse::new(
                200,
                r#"{"Cluster":{"Id":"j-1","Status":{"State":"RUNNING"},"Unknown":1}}"#,
            )
            .with_header("x-amzn-RequestId", "rid-mock")
        })
        .times(1);
    let error_rule = Rule::<DescribeCluster>::new().then_http_response(|| {
        HttpResponse::new(
            400,
            r#"{"__type":"InvalidRequestException","Message":"no such cluster"}"#,
        )
    });
    let malformed =
        Rule::<DescribeCluster>::new().then_http_response(|| HttpResponse::new(200, r#"{"Cluster":{"Id":7}}"#));
    let client = lean_emr::mock::client(Mocks::new().with(&rule).with(&error_rule).with(&malformed));

    let output = client
        .describe_cluster()
        .cluster_id("j-1")
        .send()
        .await
        .expect("parsed");
    let state = output.cluster().and_then(|c| c.status()).and_then(|s| s.state());
    assert_eq!(state.map(|s| s.as_str()), Some("RUNNING"));
    assert_eq!(output.request_id(), Some("rid-mock"));

    let error = client
        .describe_cluster()
        .cluster_id("j-1")
        .send()
        .await
        .expect_err("the error body");
    assert_eq!(
        lean_emr::error::ProvideErrorMetadata::code(&error),
        Some("InvalidRequestException")
    );

    let error = client
        .describe_cluster()
        .cluster_id("j-1")
        .send()
        .await
        .expect_err("malformed");
    assert!(
        matches!(&error, SdkError::ResponseError(e) if e.message.contains("Cluster.Id")),
        "{error}"
    );
}

#[tokio::test]
async fn inputs_are_still_validated_and_nothing_is_answered_for_a_bad_one() {
    let rule = Rule::<DescribeCluster>::new().then_output(|| named("x")).forever();
    let client = lean_emr::mock::client(Mocks::new().with(&rule));
    let error = client
        .describe_cluster()
        .send()
        .await
        .expect_err("ClusterId is required");
    assert!(matches!(&error, SdkError::Validation(_)), "{error}");
    assert_eq!(rule.num_calls(), 0, "the rule was not asked");
}

#[tokio::test]
async fn an_operation_without_rules_names_itself_and_paginators_page_through_rules() {
    let client = lean_emr::mock::client(Mocks::new());
    let error = client.list_clusters().send().await.expect_err("no rules");
    assert_eq!(
        error.to_string(),
        "no mock rule answers ListClusters: there is no rule for it"
    );

    let summary = |id: &str| ClusterSummary::builder().id(id).build();
    let first = Rule::<ListClusters>::new()
        .match_requests(|input| input.marker().is_none())
        .then_output(move || {
            ListClustersOutput::builder()
                .clusters(summary("j-1"))
                .marker("m-1")
                .build()
        });
    let last = Rule::<ListClusters>::new()
        .match_requests(|input| input.marker() == Some("m-1"))
        .then_output(|| {
            ListClustersOutput::builder()
                .clusters(ClusterSummary::builder().id("j-2").build())
                .build()
        });
    let client = lean_emr::mock::client(Mocks::new().with(&first).with(&last));
    let ids: Vec<String> = client
        .list_clusters()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .expect("two pages")
        .iter()
        .map(|c| c.id().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(ids, ["j-1", "j-2"]);
}
