//! Decoding real (sloppy) responses, as Smithy's client error correction asks: a member the model marks required
//! that the service leaves out or sends as `null` gets its zero value instead of failing the call; unknown members
//! are ignored; unknown enum values and union members are kept. Checked on several EMR outputs.

mod support;

use lean_aws_runtime::transport::HttpResponse;
use lean_emr::operations::{
    DescribeClusterInput, DescribeJobFlowsInput, GetBlockPublicAccessConfigurationInput,
    GetClusterSessionCredentialsInput, GetSessionInput, TerminateSessionInput,
};
use lean_emr::runtime::DateTime;
use lean_emr::types::{ClusterState, Credentials, JobFlowExecutionState, SessionState};
use support::in_memory_client;

fn ok(body: &str) -> HttpResponse {
    HttpResponse::new(200, body).with_header("x-amzn-RequestId", "rid-decoding")
}

#[tokio::test]
#[allow(deprecated)] // DescribeJobFlows is deprecated in the model, and has the deepest required members.
async fn missing_required_members_get_zero_values_at_every_depth() {
    // JobFlowDetail requires JobFlowId, Name, ExecutionStatusDetail (State, CreationDateTime) and Instances
    // (MasterInstanceType, SlaveInstanceType, InstanceCount): the service sent none of them.
    let (client, _) = in_memory_client(vec![ok(r#"{"JobFlows": [{"LogUri": "s3://logs/"}]}"#)]);
    let output = client
        .describe_job_flows(DescribeJobFlowsInput::builder().build())
        .await
        .expect("missing required members are not an error");
    let flow = &output.job_flows.expect("the list was sent")[0];
    assert_eq!(flow.log_uri.as_deref(), Some("s3://logs/"));
    assert_eq!(flow.job_flow_id, "");
    assert_eq!(flow.name, "");
    assert_eq!(flow.execution_status_detail.state, JobFlowExecutionState::from(""));
    assert_eq!(flow.execution_status_detail.state.as_str(), "");
    assert_eq!(flow.execution_status_detail.creation_date_time, DateTime::from_secs(0));
    assert_eq!(flow.instances.master_instance_type, "");
    assert_eq!(flow.instances.instance_count, 0);
    assert_eq!(flow.instances.instance_groups, None, "optional members stay unset");
}

#[tokio::test]
async fn null_required_members_are_corrected_like_missing_ones() {
    let body = r#"{"BlockPublicAccessConfiguration": null,
                   "BlockPublicAccessConfigurationMetadata": {"CreationDateTime": null, "CreatedByArn": null}}"#;
    let (client, _) = in_memory_client(vec![ok(body)]);
    let output = client
        .get_block_public_access_configuration(GetBlockPublicAccessConfigurationInput::builder().build())
        .await
        .expect("nulls are not an error");
    // A required structure sent as null is the structure corrected the same way.
    assert!(
        !output
            .block_public_access_configuration
            .block_public_security_group_rules
    );
    assert_eq!(
        output
            .block_public_access_configuration
            .permitted_public_security_group_rule_ranges,
        None
    );
    let metadata = &output.block_public_access_configuration_metadata;
    assert_eq!(metadata.creation_date_time, DateTime::from_secs(0));
    assert_eq!(metadata.created_by_arn, "");
}

#[tokio::test]
async fn an_empty_answer_decodes_to_zero_values() {
    let (client, _) = in_memory_client(vec![ok("")]);
    let input = TerminateSessionInput::builder()
        .cluster_id("j-1")
        .session_id("s-1")
        .build()
        .unwrap();
    let output = client.terminate_session(input).await.expect("an empty body is {}");
    assert_eq!(output.cluster_id, "");
    assert_eq!(output.session_id, "");
    assert_eq!(output.state, SessionState::from(""));
    assert_eq!(output.request_id(), Some("rid-decoding"));
}

#[tokio::test]
async fn unknown_members_are_ignored_and_unknown_enum_values_kept() {
    let body = r#"{"Session": {"Id": "s-1", "ClusterId": "j-1", "Arn": "arn:s", "State": "HIBERNATING",
                   "BrandNewMember": {"nested": [1, 2, 3]}}, "AnotherNewMember": true}"#;
    let (client, _) = in_memory_client(vec![ok(body)]);
    let input = GetSessionInput::builder()
        .cluster_id("j-1")
        .session_id("s-1")
        .build()
        .unwrap();
    let output = client.get_session(input).await.expect("unknown members are ignored");
    assert_eq!(output.session.id, "s-1");
    assert_eq!(output.session.state.as_str(), "HIBERNATING");
    assert!(matches!(output.session.state, SessionState::Unknown(_)));

    let body = r#"{"Cluster": {"Id": "j-1", "Status": {"State": "HIBERNATING", "Timeline": null}}}"#;
    let (client, _) = in_memory_client(vec![ok(body)]);
    let input = DescribeClusterInput::builder().cluster_id("j-1").build().unwrap();
    let output = client.describe_cluster(input).await.expect("an unknown state is kept");
    let state = output
        .cluster
        .and_then(|c| c.status)
        .and_then(|s| s.state)
        .expect("a state");
    assert_eq!(state.as_str(), "HIBERNATING");
    assert_ne!(state, ClusterState::Running);
}

#[tokio::test]
async fn unknown_union_members_are_kept_with_their_name_but_debug_hides_the_value() {
    let body = r#"{"Credentials": {"KerberosTicket": {"Ticket": "s3cr3t-ticket"}}, "ExpiresAt": 1700000000}"#;
    let (client, _) = in_memory_client(vec![ok(body)]);
    let input = GetClusterSessionCredentialsInput::builder()
        .cluster_id("j-1")
        .build()
        .unwrap();
    let output = client
        .get_cluster_session_credentials(input)
        .await
        .expect("an unknown member is kept");
    let Some(Credentials::Unknown(member)) = &output.credentials else {
        panic!("expected the unknown member, got {:?}", output.credentials);
    };
    assert_eq!(member.name(), "KerberosTicket");
    assert_eq!(member.value()["Ticket"], "s3cr3t-ticket");
    let debug = format!("{output:?}");
    assert!(debug.contains("KerberosTicket"), "{debug}");
    assert!(!debug.contains("s3cr3t-ticket"), "{debug}");
}

#[tokio::test]
async fn null_list_elements_are_dropped_and_a_wrong_type_is_still_an_error_naming_the_member() {
    let body = r#"{"JobFlows": [null, {"JobFlowId": "j-1"}, null]}"#;
    let (client, _) = in_memory_client(vec![ok(body)]);
    #[allow(deprecated)]
    let output = client
        .describe_job_flows(DescribeJobFlowsInput::builder().build())
        .await
        .expect("null elements are dropped");
    let flows = output.job_flows.expect("the list was sent");
    assert_eq!(flows.len(), 1);
    assert_eq!(flows[0].job_flow_id, "j-1");

    // Leniency is for what is missing, not for what is wrong: a string where a number belongs is malformed.
    let body = r#"{"JobFlows": [{"Instances": {"InstanceCount": "three"}}]}"#;
    let (client, _) = in_memory_client(vec![ok(body)]);
    #[allow(deprecated)]
    let error = client
        .describe_job_flows(DescribeJobFlowsInput::builder().build())
        .await
        .expect_err("a wrongly typed member is an error");
    let text = error.to_string();
    assert!(text.contains("JobFlows[0].Instances.InstanceCount"), "{text}");
}
