//! Feature `serde` against botocore: the service's JSON form, as boto3's parameter dictionaries have it.
//!
//! `serde_botocore.py` makes random valid inputs of every operation from the model (seeded: the same on every
//! run), checked by botocore's validator and serialized by botocore's awsJson serializer, and random response
//! bodies of every operation with an output. Here:
//!
//! * inputs: botocore's parameters are read through serde into the operation's input builder, which serde writes
//!   back as the same parameters; sent (`send_with`) over an in-memory transport, the body must equal botocore's;
//! * outputs: a body is decoded by lean-emr, written by serde (which must give the body back: enum values and
//!   union members no model lists included) and read back by serde, equal to what lean-emr decoded.
//!
//! JSON is compared as values, with every number as an `f64`: botocore writes a float member's `3.0` where
//! lean-emr writes `3`, the same number on the wire.
//!
//! The Python comes from `LEAN_EMR_BOTO3_PYTHON` (`.ci/run` points it at the virtual environment it installs
//! boto3 into), else `python3`. Where neither has botocore the test says so and passes, unless `CI` or
//! `LEAN_EMR_BOTO3_PYTHON` is set: then a missing botocore is a failure.

use lean_aws_runtime::transport::InMemoryTransport;
use lean_aws_runtime::Operation;
use lean_emr::operation::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn python() -> Option<String> {
    test_support::python_with("botocore", "serde botocore test")
}

/// The script's cases: `{"inputs": [{"operation", "params", "body"}], "outputs": [{"operation", "body"}]}`.
fn cases(python: &str) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/serde_botocore.py");
    let output = Command::new(python).arg(script).output().expect("python runs");
    assert!(
        output.status.success(),
        "serde_botocore.py failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the script prints JSON")
}

/// `v` with every number as an `f64`.
fn numbers_as_f64(v: Value) -> Value {
    match v {
        Value::Number(n) => serde_json::json!(n.as_f64().expect("a finite number")),
        Value::Array(items) => Value::Array(items.into_iter().map(numbers_as_f64).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, numbers_as_f64(v))).collect()),
        other => other,
    }
}

fn same_json(ours: Value, theirs: Value, what: &str) {
    assert_eq!(numbers_as_f64(ours), numbers_as_f64(theirs), "{what}");
}

/// One input case: `params` through serde into the builder `B`, written back, then sent with `send`.
async fn input_case<B>(operation: &str, params: &Value, body: &str, send: impl AsyncFnOnce(B, &lean_emr::Client))
where
    B: Serialize + DeserializeOwned,
{
    let builder: B = serde_json::from_value(params.clone())
        .unwrap_or_else(|e| panic!("{operation}: serde cannot read botocore's parameters: {e}\n{params}"));
    let written = serde_json::to_value(&builder).expect("serde writes the builder");
    same_json(
        written,
        params.clone(),
        &format!("{operation}: the builder written back by serde"),
    );
    // Answers `{}`: the sparsest output, which every operation decodes.
    let transport = InMemoryTransport::new();
    let client = lean_emr::Client::new(test_support::offline_config().transport(transport.clone()).build());
    send(builder, &client).await;
    let requests = transport.requests();
    let [request] = requests.as_slice() else {
        panic!("{operation}: one request expected, {} sent", requests.len())
    };
    let ours: Value = serde_json::from_slice(&request.body).expect("lean-emr sends JSON");
    let theirs: Value = serde_json::from_str(body).expect("botocore sends JSON");
    same_json(
        ours,
        theirs,
        &format!("{operation}: lean-emr's body against botocore's, for {params}"),
    );
}

/// One output case: `body` decoded by lean-emr, written by serde (giving `body` back) and read back by serde.
fn output_case<O: Operation>(body: &str)
where
    O::Output: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let operation = O::NAME;
    let body: Value = serde_json::from_str(body).expect("the script writes JSON");
    let decoded = O::deserialize_output(&body, None).unwrap_or_else(|e| panic!("{operation}: {e}\n{body}"));
    let written = serde_json::to_value(&decoded).expect("serde writes the output");
    same_json(
        written.clone(),
        body.clone(),
        &format!("{operation}: the output written by serde"),
    );
    let read: O::Output = serde_json::from_value(written).unwrap_or_else(|e| panic!("{operation}: {e}"));
    assert_eq!(read, decoded, "{operation}: the output read back by serde");
}

/// The operations, as `module: Marker, InputBuilder;`: `$run!` gets the whole list.
macro_rules! operations {
    ($run:ident) => {
        $run! {
            add_instance_fleet: AddInstanceFleet, AddInstanceFleetInputBuilder;
            add_instance_groups: AddInstanceGroups, AddInstanceGroupsInputBuilder;
            add_job_flow_steps: AddJobFlowSteps, AddJobFlowStepsInputBuilder;
            add_tags: AddTags, AddTagsInputBuilder;
            cancel_steps: CancelSteps, CancelStepsInputBuilder;
            create_persistent_app_ui: CreatePersistentAppUi, CreatePersistentAppUiInputBuilder;
            create_security_configuration: CreateSecurityConfiguration, CreateSecurityConfigurationInputBuilder;
            create_studio: CreateStudio, CreateStudioInputBuilder;
            create_studio_session_mapping: CreateStudioSessionMapping, CreateStudioSessionMappingInputBuilder;
            delete_security_configuration: DeleteSecurityConfiguration, DeleteSecurityConfigurationInputBuilder;
            delete_studio: DeleteStudio, DeleteStudioInputBuilder;
            delete_studio_session_mapping: DeleteStudioSessionMapping, DeleteStudioSessionMappingInputBuilder;
            describe_cluster: DescribeCluster, DescribeClusterInputBuilder;
            describe_job_flows: DescribeJobFlows, DescribeJobFlowsInputBuilder;
            describe_notebook_execution: DescribeNotebookExecution, DescribeNotebookExecutionInputBuilder;
            describe_persistent_app_ui: DescribePersistentAppUi, DescribePersistentAppUiInputBuilder;
            describe_release_label: DescribeReleaseLabel, DescribeReleaseLabelInputBuilder;
            describe_security_configuration: DescribeSecurityConfiguration, DescribeSecurityConfigurationInputBuilder;
            describe_step: DescribeStep, DescribeStepInputBuilder;
            describe_studio: DescribeStudio, DescribeStudioInputBuilder;
            get_auto_termination_policy: GetAutoTerminationPolicy, GetAutoTerminationPolicyInputBuilder;
            get_block_public_access_configuration: GetBlockPublicAccessConfiguration, GetBlockPublicAccessConfigurationInputBuilder;
            get_cluster_session_credentials: GetClusterSessionCredentials, GetClusterSessionCredentialsInputBuilder;
            get_managed_scaling_policy: GetManagedScalingPolicy, GetManagedScalingPolicyInputBuilder;
            get_on_cluster_app_ui_presigned_url: GetOnClusterAppUiPresignedUrl, GetOnClusterAppUiPresignedUrlInputBuilder;
            get_persistent_app_ui_presigned_url: GetPersistentAppUiPresignedUrl, GetPersistentAppUiPresignedUrlInputBuilder;
            get_session: GetSession, GetSessionInputBuilder;
            get_session_endpoint: GetSessionEndpoint, GetSessionEndpointInputBuilder;
            get_studio_session_mapping: GetStudioSessionMapping, GetStudioSessionMappingInputBuilder;
            list_bootstrap_actions: ListBootstrapActions, ListBootstrapActionsInputBuilder;
            list_clusters: ListClusters, ListClustersInputBuilder;
            list_instance_fleets: ListInstanceFleets, ListInstanceFleetsInputBuilder;
            list_instance_groups: ListInstanceGroups, ListInstanceGroupsInputBuilder;
            list_instances: ListInstances, ListInstancesInputBuilder;
            list_notebook_executions: ListNotebookExecutions, ListNotebookExecutionsInputBuilder;
            list_release_labels: ListReleaseLabels, ListReleaseLabelsInputBuilder;
            list_security_configurations: ListSecurityConfigurations, ListSecurityConfigurationsInputBuilder;
            list_sessions: ListSessions, ListSessionsInputBuilder;
            list_steps: ListSteps, ListStepsInputBuilder;
            list_studio_session_mappings: ListStudioSessionMappings, ListStudioSessionMappingsInputBuilder;
            list_studios: ListStudios, ListStudiosInputBuilder;
            list_supported_instance_types: ListSupportedInstanceTypes, ListSupportedInstanceTypesInputBuilder;
            modify_cluster: ModifyCluster, ModifyClusterInputBuilder;
            modify_instance_fleet: ModifyInstanceFleet, ModifyInstanceFleetInputBuilder;
            modify_instance_groups: ModifyInstanceGroups, ModifyInstanceGroupsInputBuilder;
            put_auto_scaling_policy: PutAutoScalingPolicy, PutAutoScalingPolicyInputBuilder;
            put_auto_termination_policy: PutAutoTerminationPolicy, PutAutoTerminationPolicyInputBuilder;
            put_block_public_access_configuration: PutBlockPublicAccessConfiguration, PutBlockPublicAccessConfigurationInputBuilder;
            put_managed_scaling_policy: PutManagedScalingPolicy, PutManagedScalingPolicyInputBuilder;
            remove_auto_scaling_policy: RemoveAutoScalingPolicy, RemoveAutoScalingPolicyInputBuilder;
            remove_auto_termination_policy: RemoveAutoTerminationPolicy, RemoveAutoTerminationPolicyInputBuilder;
            remove_managed_scaling_policy: RemoveManagedScalingPolicy, RemoveManagedScalingPolicyInputBuilder;
            remove_tags: RemoveTags, RemoveTagsInputBuilder;
            run_job_flow: RunJobFlow, RunJobFlowInputBuilder;
            set_keep_job_flow_alive_when_no_steps: SetKeepJobFlowAliveWhenNoSteps, SetKeepJobFlowAliveWhenNoStepsInputBuilder;
            set_termination_protection: SetTerminationProtection, SetTerminationProtectionInputBuilder;
            set_unhealthy_node_replacement: SetUnhealthyNodeReplacement, SetUnhealthyNodeReplacementInputBuilder;
            set_visible_to_all_users: SetVisibleToAllUsers, SetVisibleToAllUsersInputBuilder;
            start_notebook_execution: StartNotebookExecution, StartNotebookExecutionInputBuilder;
            start_session: StartSession, StartSessionInputBuilder;
            stop_notebook_execution: StopNotebookExecution, StopNotebookExecutionInputBuilder;
            terminate_job_flows: TerminateJobFlows, TerminateJobFlowsInputBuilder;
            terminate_session: TerminateSession, TerminateSessionInputBuilder;
            update_studio: UpdateStudio, UpdateStudioInputBuilder;
            update_studio_session_mapping: UpdateStudioSessionMapping, UpdateStudioSessionMappingInputBuilder;
        }
    };
}

macro_rules! dispatch {
    ($($module:ident: $op:ident, $builder:ident;)*) => {
        /// The model's names of the operations (`<Op as Operation>::NAME`).
        const OPERATIONS: &[&str] = &[$(<$module::$op as Operation>::NAME),*];

        async fn input(operation: &str, params: &Value, body: &str) {
            $(if operation == <$module::$op as Operation>::NAME {
                return input_case::<$module::builders::$builder>(operation, params, body, async |b, client| {
                    b.send_with(client).await.unwrap_or_else(|e| panic!("{operation}: {e}"));
                })
                .await;
            })*
            panic!("botocore has an operation this test does not know: {operation}")
        }

        fn output(operation: &str, body: &str) {
            $(if operation == <$module::$op as Operation>::NAME {
                return output_case::<$module::$op>(body);
            })*
            panic!("botocore has an operation this test does not know: {operation}")
        }
    };
}

operations!(dispatch);

#[tokio::test]
async fn botocores_parameters_read_through_serde_send_botocores_body_and_outputs_round_trip() {
    let Some(python) = python() else { return };
    let cases = cases(&python);
    let inputs = cases["inputs"].as_array().expect("inputs");
    let outputs = cases["outputs"].as_array().expect("outputs");
    let covered: BTreeSet<&str> = inputs.iter().map(|c| c["operation"].as_str().unwrap()).collect();
    assert_eq!(
        covered,
        OPERATIONS.iter().copied().collect(),
        "every operation, and only those, has cases"
    );
    for case in inputs {
        let body = case["body"].as_str().expect("body");
        input(case["operation"].as_str().unwrap(), &case["params"], body).await;
    }
    for case in outputs {
        output(
            case["operation"].as_str().unwrap(),
            case["body"].as_str().expect("body"),
        );
    }
    eprintln!(
        "serde against botocore {}: {} inputs and {} outputs of {} operations",
        cases["botocore"].as_str().unwrap_or("?"),
        inputs.len(),
        outputs.len(),
        OPERATIONS.len()
    );
}

/// A client whose requests are kept, answering `{}`.
fn recording_client() -> (lean_emr::Client, InMemoryTransport) {
    let transport = InMemoryTransport::new();
    let client = lean_emr::Client::new(test_support::offline_config().transport(transport.clone()).build());
    (client, transport)
}

/// The issue's use, without Python: a cluster definition kept as JSON (`aws emr run-job-flow --cli-input-json`'s
/// form) loads into the input builder and is sent as it is; a `null` member is read as absent and not sent.
#[tokio::test]
async fn a_cluster_definition_kept_as_json_is_sent_as_it_is() {
    let definition = r#"{
        "Name": "nightly-etl",
        "ReleaseLabel": "emr-7.1.0",
        "LogUri": null,
        "Instances": {
            "InstanceGroups": [
                {"Name": "primary", "InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1},
                {"Name": "core", "InstanceRole": "CORE", "InstanceType": "m5.xlarge", "InstanceCount": 2,
                 "Market": "SPOT"}
            ],
            "KeepJobFlowAliveWhenNoSteps": false
        },
        "Applications": [{"Name": "Spark"}],
        "Tags": [{"Key": "team", "Value": "data"}],
        "JobFlowRole": "EMR_EC2_DefaultRole",
        "ServiceRole": "EMR_DefaultRole"
    }"#;
    let (client, transport) = recording_client();
    let builder: run_job_flow::builders::RunJobFlowInputBuilder = serde_json::from_str(definition).unwrap();
    assert_eq!(builder.get_log_uri(), &None);
    let instances = builder.get_instances().as_ref().unwrap();
    assert_eq!(
        instances.instance_groups()[1].market,
        Some(lean_emr::types::MarketType::Spot)
    );
    builder.send_with(&client).await.expect("sent");
    let sent: Value = serde_json::from_slice(&transport.requests()[0].body).unwrap();
    let mut expected: Value = serde_json::from_str(definition).unwrap();
    expected.as_object_mut().unwrap().remove("LogUri");
    same_json(sent, expected, "the request body");
}

/// Timestamps are epoch seconds both ways, enum values the model does not list come back as they went in, and
/// a `None` member is not written.
#[test]
fn timestamps_unknown_enum_values_and_absent_members_in_the_services_form() {
    let text = serde_json::json!({
        "Id": "j-1",
        "Status": {
            "State": "HIBERNATING",
            "Timeline": {"CreationDateTime": 1_700_000_000, "ReadyDateTime": 1_700_000_300.5}
        }
    });
    let cluster: lean_emr::types::Cluster = serde_json::from_value(text.clone()).unwrap();
    let status = cluster.status.as_ref().unwrap();
    assert!(matches!(&status.state, Some(lean_emr::types::ClusterState::Unknown(v)) if v.as_str() == "HIBERNATING"));
    let timeline = status.timeline.as_ref().unwrap();
    assert_eq!(
        timeline.creation_date_time,
        Some(lean_emr::primitives::DateTime::from_secs(1_700_000_000))
    );
    assert_eq!(serde_json::to_value(&cluster).unwrap(), text);
}
