//! Decoding real (sloppy) responses, as botocore does: a member the model marks required that the service leaves
//! out or sends as `null` is `None` instead of failing the call; unknown members are ignored; unknown enum values
//! and union members are kept. Checked on several EMR outputs.

mod support;

use lean_aws_runtime::transport::HttpResponse;
use lean_emr::operation::RequestId;
use lean_emr::types::{ClusterState, Credentials, SessionState};
use support::in_memory_client;

fn ok(body: &str) -> HttpResponse {
    HttpResponse::new(200, body).with_header("x-amzn-RequestId", "rid-decoding")
}

#[tokio::test]
#[allow(deprecated)] // DescribeJobFlows is deprecated in the model, and has the deepest required members.
async fn missing_required_members_are_none_at_every_depth() {
    // JobFlowDetail requires JobFlowId, Name, ExecutionStatusDetail (State, CreationDateTime) and Instances
    // (MasterInstanceType, SlaveInstanceType, InstanceCount): the service sent none of them at the top, and
    // only an optional member of each nested structure.
    let body = r#"{"JobFlows": [{"LogUri": "s3://logs/"},
                                {"ExecutionStatusDetail": {"LastStateChangeReason": "why"},
                                 "Instances": {"Ec2KeyName": "key"}}]}"#;
    let (client, _) = in_memory_client(vec![ok(body)]);
    let output = client
        .describe_job_flows()
        .send()
        .await
        .expect("missing required members are not an error");
    let [flow, nested] = output.job_flows() else {
        panic!("expected two job flows, got {:?}", output.job_flows());
    };
    assert_eq!(flow.log_uri(), Some("s3://logs/"));
    assert_eq!(flow.job_flow_id(), None);
    assert_eq!(flow.name(), None);
    assert_eq!(flow.execution_status_detail(), None);
    assert_eq!(flow.instances(), None);

    let status = nested.execution_status_detail().expect("the status was sent");
    assert_eq!(status.last_state_change_reason(), Some("why"));
    assert_eq!(status.state(), None);
    assert_eq!(status.creation_date_time(), None);
    let instances = nested.instances().expect("the instances were sent");
    assert_eq!(instances.ec2_key_name(), Some("key"));
    assert_eq!(instances.master_instance_type(), None);
    assert_eq!(instances.instance_count(), None);
    assert!(instances.instance_groups().is_empty(), "optional members stay unset");
}

#[tokio::test]
async fn null_required_members_are_corrected_like_missing_ones() {
    let body = r#"{"BlockPublicAccessConfiguration": null,
                   "BlockPublicAccessConfigurationMetadata": {"CreationDateTime": null, "CreatedByArn": null}}"#;
    let (client, _) = in_memory_client(vec![ok(body)]);
    let output = client
        .get_block_public_access_configuration()
        .send()
        .await
        .expect("nulls are not an error");
    // A required structure sent as null is missing, like any member.
    assert_eq!(output.block_public_access_configuration(), None);
    let metadata = output
        .block_public_access_configuration_metadata()
        .expect("the metadata was sent");
    assert_eq!(metadata.creation_date_time(), None);
    assert_eq!(metadata.created_by_arn(), None);
}

#[tokio::test]
async fn an_empty_answer_decodes_to_no_members() {
    let (client, _) = in_memory_client(vec![ok("")]);
    let output = client
        .terminate_session()
        .cluster_id("j-1")
        .session_id("s-1")
        .send()
        .await
        .expect("an empty body is {}");
    assert_eq!(output.cluster_id(), None);
    assert_eq!(output.session_id(), None);
    assert_eq!(output.state(), None);
    assert_eq!(output.request_id(), Some("rid-decoding"));
}

#[tokio::test]
async fn unknown_members_are_ignored_and_unknown_enum_values_kept() {
    let body = r#"{"Session": {"Id": "s-1", "ClusterId": "j-1", "Arn": "arn:s", "State": "HIBERNATING",
                   "BrandNewMember": {"nested": [1, 2, 3]}}, "AnotherNewMember": true}"#;
    let (client, _) = in_memory_client(vec![ok(body)]);
    let output = client
        .get_session()
        .cluster_id("j-1")
        .session_id("s-1")
        .send()
        .await
        .expect("unknown members are ignored");
    let session = output.session().expect("the session was sent");
    assert_eq!(session.id(), Some("s-1"));
    let state = session.state().expect("a state");
    assert_eq!(state.as_str(), "HIBERNATING");
    assert!(matches!(state, SessionState::Unknown(_)));

    let body = r#"{"Cluster": {"Id": "j-1", "Status": {"State": "HIBERNATING", "Timeline": null}}}"#;
    let (client, _) = in_memory_client(vec![ok(body)]);
    let output = client
        .describe_cluster()
        .cluster_id("j-1")
        .send()
        .await
        .expect("an unknown state is kept");
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
    let output = client
        .get_cluster_session_credentials()
        .cluster_id("j-1")
        .send()
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
        .describe_job_flows()
        .send()
        .await
        .expect("null elements are dropped");
    let flows = output.job_flows();
    assert_eq!(flows.len(), 1);
    assert_eq!(flows[0].job_flow_id(), Some("j-1"));

    // Leniency is for what is missing, not for what is wrong: a string where a number belongs is malformed.
    let body = r#"{"JobFlows": [{"Instances": {"InstanceCount": "three"}}]}"#;
    let (client, _) = in_memory_client(vec![ok(body)]);
    #[allow(deprecated)]
    let error = client
        .describe_job_flows()
        .send()
        .await
        .expect_err("a wrongly typed member is an error");
    let text = error.to_string();
    assert!(text.contains("JobFlows[0].Instances.InstanceCount"), "{text}");
}
