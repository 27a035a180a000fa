//! Instances, instance groups and fleets on the manual clock: ListInstances and its filters, AddInstanceGroups,
//! ModifyInstanceGroups, AddInstanceFleet, ModifyInstanceFleet, and the errors of each; DescribeJobFlows over the
//! same clusters.

mod support;

use serde_json::{json, Value};
use std::time::Duration;
use support::{cluster, err, ok, run_job_flow};

const POLL: Duration = Duration::from_secs(30);
const DAY: Duration = Duration::from_secs(86_400);

fn strings(v: &Value, pointer: &str) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|x| {
            x.pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

async fn instances(emulator: &lean_emr_emulator::Emulator, body: Value) -> Value {
    ok(emulator, "ListInstances", body).await["Instances"].clone()
}

async fn group(emulator: &lean_emr_emulator::Emulator, cluster: &str, role: &str) -> Value {
    let groups = ok(emulator, "ListInstanceGroups", json!({"ClusterId": cluster})).await;
    groups["InstanceGroups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["InstanceGroupType"] == role)
        .unwrap_or_else(|| panic!("no {role} group: {groups}"))
        .clone()
}

#[tokio::test]
async fn instances_follow_their_groups_through_resizes() {
    let emulator = support::start_manual();
    let id = cluster(&emulator, run_job_flow("etl", true, &[])).await;

    let all = instances(&emulator, json!({"ClusterId": id})).await;
    assert_eq!(all.as_array().unwrap().len(), 3);
    let first = &all[0];
    let ci = first["Id"].as_str().unwrap();
    assert!(ci.starts_with("ci-") && ci.len() == 16, "{ci}");
    let ec2 = first["Ec2InstanceId"].as_str().unwrap();
    assert!(
        ec2.starts_with("i-") && ec2.len() == 19 && ec2[2..].bytes().all(|b| b.is_ascii_hexdigit()),
        "{ec2}"
    );
    let ip = first["PrivateIpAddress"].as_str().unwrap();
    assert_eq!(
        first["PrivateDnsName"],
        format!("ip-{}.ec2.internal", ip.replace('.', "-"))
    );
    assert_eq!(strings(&all, "/Status/State"), ["PROVISIONING"; 3]);
    assert_eq!(
        strings(&all, "/InstanceType"),
        ["m5.xlarge", "m5.2xlarge", "m5.2xlarge"]
    );
    assert_eq!(
        first["Status"]["Timeline"]["CreationDateTime"].as_f64(),
        Some(1_700_000_000.0)
    );

    emulator.advance(POLL).unwrap();
    assert_eq!(
        strings(&instances(&emulator, json!({"ClusterId": id})).await, "/Status/State"),
        ["BOOTSTRAPPING"; 3]
    );
    emulator.advance(POLL * 2).unwrap();
    let all = instances(&emulator, json!({"ClusterId": id})).await;
    assert_eq!(strings(&all, "/Status/State"), ["RUNNING"; 3]);
    assert_eq!(
        all[0]["Status"]["Timeline"]["ReadyDateTime"].as_f64(),
        Some(1_700_000_060.0)
    );

    // Filters: group type, group id, state.
    let core = group(&emulator, &id, "CORE").await;
    let core_id = core["Id"].as_str().unwrap().to_owned();
    let master_id = group(&emulator, &id, "MASTER").await["Id"].as_str().unwrap().to_owned();
    let cores = instances(&emulator, json!({"ClusterId": id, "InstanceGroupTypes": ["CORE"]})).await;
    assert_eq!(strings(&cores, "/InstanceGroupId"), [core_id.as_str(); 2]);
    let masters = instances(&emulator, json!({"ClusterId": id, "InstanceGroupId": master_id})).await;
    assert_eq!(masters.as_array().unwrap().len(), 1);
    let ended = instances(&emulator, json!({"ClusterId": id, "InstanceStates": ["TERMINATED"]})).await;
    assert_eq!(ended, json!([]));

    // Growing: the requested count at once, the new instances provision and bootstrap, the group is RESIZING.
    ok(
        &emulator,
        "ModifyInstanceGroups",
        json!({"ClusterId": id, "InstanceGroups": [{"InstanceGroupId": core_id, "InstanceCount": 4}]}),
    )
    .await;
    let core = group(&emulator, &id, "CORE").await;
    assert_eq!(
        (
            core["RequestedInstanceCount"].as_i64(),
            core["RunningInstanceCount"].as_i64(),
            core["Status"]["State"].as_str()
        ),
        (Some(4), Some(2), Some("RESIZING"))
    );
    let cores = instances(&emulator, json!({"ClusterId": id, "InstanceGroupTypes": ["CORE"]})).await;
    assert_eq!(
        strings(&cores, "/Status/State"),
        ["RUNNING", "RUNNING", "PROVISIONING", "PROVISIONING"]
    );
    emulator.advance(POLL * 2).unwrap();
    let core = group(&emulator, &id, "CORE").await;
    assert_eq!(
        (core["RunningInstanceCount"].as_i64(), core["Status"]["State"].as_str()),
        (Some(4), Some("RUNNING"))
    );

    // Shrinking: the newest go first, TERMINATED with an end time. ModifyInstanceGroups finds the group without
    // the cluster id too.
    ok(
        &emulator,
        "ModifyInstanceGroups",
        json!({"InstanceGroups": [{"InstanceGroupId": core_id, "InstanceCount": 1}]}),
    )
    .await;
    let cores = instances(&emulator, json!({"ClusterId": id, "InstanceGroupTypes": ["CORE"]})).await;
    assert_eq!(
        strings(&cores, "/Status/State"),
        ["RUNNING", "TERMINATED", "TERMINATED", "TERMINATED"]
    );
    let ended = instances(&emulator, json!({"ClusterId": id, "InstanceStates": ["TERMINATED"]})).await;
    assert_eq!(ended.as_array().unwrap().len(), 3);
    assert!(ended[0]["Status"]["Timeline"]["EndDateTime"].as_f64().is_some());
    assert_eq!(group(&emulator, &id, "CORE").await["RunningInstanceCount"], 1);

    // The errors of ModifyInstanceGroups and ListInstances.
    let refused = err(
        &emulator,
        "ModifyInstanceGroups",
        json!({"ClusterId": id, "InstanceGroups": [{"InstanceGroupId": master_id, "InstanceCount": 3}]}),
    )
    .await;
    assert_eq!(
        refused,
        (
            400,
            "ValidationException".into(),
            "The instance count of the MASTER instance group cannot change.".into()
        )
    );
    let unknown = err(
        &emulator,
        "ModifyInstanceGroups",
        json!({"InstanceGroups": [{"InstanceGroupId": "ig-NOTAGROUP001", "InstanceCount": 3}]}),
    )
    .await;
    assert_eq!(unknown.2, "Instance group id 'ig-NOTAGROUP001' is not valid.");
    let unknown = err(&emulator, "ListInstances", json!({"ClusterId": "j-NOTACLUSTER1"})).await;
    assert_eq!(
        unknown,
        (
            400,
            "InvalidRequestException".into(),
            "Cluster id 'j-NOTACLUSTER1' is not valid.".into()
        )
    );
    let unknown = err(
        &emulator,
        "ListInstances",
        json!({"ClusterId": id, "InstanceGroupId": "ig-NOTAGROUP001"}),
    )
    .await;
    assert_eq!(unknown.1, "InvalidRequestException");

    // AddInstanceGroups: TASK groups, not a second CORE; unknown job flows in the service's words.
    let added = ok(
        &emulator,
        "AddInstanceGroups",
        json!({"JobFlowId": id, "InstanceGroups": [
            {"Name": "Task", "InstanceRole": "TASK", "InstanceType": "r5.xlarge", "InstanceCount": 2, "Market": "SPOT"}
        ]}),
    )
    .await;
    let task_id = added["InstanceGroupIds"][0].as_str().unwrap().to_owned();
    assert!(task_id.starts_with("ig-") && task_id.len() == 16, "{task_id}");
    assert_eq!(added["JobFlowId"], id.as_str());
    assert_eq!(
        added["ClusterArn"],
        format!("arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/{id}")
    );
    let task = group(&emulator, &id, "TASK").await;
    assert_eq!(
        (task["Market"].as_str(), task["Status"]["State"].as_str()),
        (Some("SPOT"), Some("RESIZING"))
    );
    let tasks = instances(&emulator, json!({"ClusterId": id, "InstanceGroupId": task_id})).await;
    assert_eq!(strings(&tasks, "/Market"), ["SPOT", "SPOT"]);
    assert_eq!(strings(&tasks, "/Status/State"), ["PROVISIONING", "PROVISIONING"]);
    let refused = err(
        &emulator,
        "AddInstanceGroups",
        json!({"JobFlowId": id, "InstanceGroups": [
            {"InstanceRole": "CORE", "InstanceType": "m5.xlarge", "InstanceCount": 1}
        ]}),
    )
    .await;
    assert_eq!(
        refused.2,
        "The cluster has a CORE instance group already; only TASK instance groups can be added."
    );
    let unknown = err(
        &emulator,
        "AddInstanceGroups",
        json!({"JobFlowId": "j-NOTACLUSTER1", "InstanceGroups": []}),
    )
    .await;
    assert_eq!(
        unknown,
        (
            400,
            "ValidationException".into(),
            "Specified job flow ID does not exist.".into()
        )
    );

    // Fleet operations on a group cluster.
    let refused = err(
        &emulator,
        "AddInstanceFleet",
        json!({"ClusterId": id, "InstanceFleet": {"InstanceFleetType": "TASK", "TargetSpotCapacity": 1}}),
    )
    .await;
    assert_eq!(refused.1, "InvalidRequestException");
    assert!(
        refused
            .2
            .contains("The AddInstanceFleet operation does not support clusters that use instance groups"),
        "{}",
        refused.2
    );
    let refused = err(
        &emulator,
        "ModifyInstanceFleet",
        json!({"ClusterId": id, "InstanceFleet": {"InstanceFleetId": "if-X", "TargetSpotCapacity": 1}}),
    )
    .await;
    assert!(refused.2.contains("ModifyInstanceFleet"), "{}", refused.2);

    // A cluster that is shutting down: its groups cannot change; once it has ended, its instances have too.
    ok(&emulator, "TerminateJobFlows", json!({"JobFlowIds": [id]})).await;
    let refused = err(
        &emulator,
        "ModifyInstanceGroups",
        json!({"ClusterId": id, "InstanceGroups": [{"InstanceGroupId": core_id, "InstanceCount": 2}]}),
    )
    .await;
    assert_eq!(
        refused,
        (
            400,
            "ValidationException".into(),
            "An instance group may only be modified when the cluster is running or waiting".into()
        )
    );
    emulator.advance(POLL).unwrap();
    let all = instances(&emulator, json!({"ClusterId": id})).await;
    assert_eq!(strings(&all, "/Status/State"), ["TERMINATED"; 7]);
    assert_eq!(all[0]["Status"]["StateChangeReason"]["Code"], "CLUSTER_TERMINATED");
    // Thirty days after they ended, they are not listed any more: the three the resize ended went earlier.
    emulator.advance(DAY * 30).unwrap();
    let listed = instances(&emulator, json!({"ClusterId": id})).await;
    assert_eq!(
        strings(&listed, "/InstanceGroupId")[..],
        [master_id.as_str(), &core_id, &task_id, &task_id]
    );
    emulator.advance(Duration::from_secs(1)).unwrap();
    assert_eq!(instances(&emulator, json!({"ClusterId": id})).await, json!([]));
}

#[tokio::test]
async fn list_instances_pages_at_fifty_and_tells_of_two_thousand_at_most() {
    let emulator = support::start_manual();
    let id = cluster(&emulator, run_job_flow("big", true, &[])).await;
    emulator.advance(POLL * 3).unwrap();
    let groups = ok(&emulator, "ListInstanceGroups", json!({"ClusterId": id})).await;
    let core_id = groups["InstanceGroups"][1]["Id"].clone();
    ok(
        &emulator,
        "ModifyInstanceGroups",
        json!({"InstanceGroups": [{"InstanceGroupId": core_id, "InstanceCount": 2100}]}),
    )
    .await;
    let mut sizes = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    let mut marker = Value::Null;
    loop {
        let page = ok(&emulator, "ListInstances", json!({"ClusterId": id, "Marker": marker})).await;
        let items = page["Instances"].as_array().unwrap();
        sizes.push(items.len());
        ids.extend(items.iter().map(|i| i["Id"].as_str().unwrap().to_owned()));
        match page.get("Marker") {
            Some(m) => marker = m.clone(),
            None => break,
        }
    }
    assert_eq!(sizes, vec![50; 40]);
    assert_eq!(ids.len(), 2_000, "every instance once");
    let bad = err(
        &emulator,
        "ListInstances",
        json!({"ClusterId": id, "Marker": "bm90IGFuIGlk"}),
    )
    .await;
    assert_eq!(bad.1, "InvalidRequestException");
}

#[tokio::test]
async fn fleets_resize_and_group_operations_are_refused_on_them() {
    let emulator = support::start_manual();
    let body = json!({
        "Name": "fleets",
        "ReleaseLabel": "emr-7.5.0",
        "Instances": {
            "InstanceFleets": [
                {"InstanceFleetType": "MASTER", "TargetOnDemandCapacity": 1,
                 "InstanceTypeConfigs": [{"InstanceType": "m5.xlarge"}]},
                {"InstanceFleetType": "CORE", "TargetOnDemandCapacity": 1, "TargetSpotCapacity": 2,
                 "InstanceTypeConfigs": [{"InstanceType": "r5.2xlarge"}, {"InstanceType": "r5.4xlarge"}]}
            ],
            "KeepJobFlowAliveWhenNoSteps": true
        }
    });
    let id = cluster(&emulator, body).await;
    emulator.advance(POLL * 3).unwrap();
    let fleets = ok(&emulator, "ListInstanceFleets", json!({"ClusterId": id})).await["InstanceFleets"].clone();
    let core = fleets
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["InstanceFleetType"] == "CORE")
        .unwrap()
        .clone();
    let core_id = core["Id"].as_str().unwrap().to_owned();
    assert!(core_id.starts_with("if-"), "{core_id}");
    assert_eq!(
        (
            core["ProvisionedOnDemandCapacity"].as_i64(),
            core["ProvisionedSpotCapacity"].as_i64()
        ),
        (Some(1), Some(2))
    );
    let cores = instances(&emulator, json!({"ClusterId": id, "InstanceFleetType": "CORE"})).await;
    assert_eq!(strings(&cores, "/Market"), ["ON_DEMAND", "SPOT", "SPOT"]);
    assert_eq!(strings(&cores, "/InstanceType"), ["r5.2xlarge"; 3]);
    assert_eq!(strings(&cores, "/InstanceFleetId"), [core_id.as_str(); 3]);

    // ModifyInstanceFleet wants both capacities, in the service's words.
    let refused = err(
        &emulator,
        "ModifyInstanceFleet",
        json!({"ClusterId": id, "InstanceFleet": {"InstanceFleetId": core_id, "TargetOnDemandCapacity": 2}}),
    )
    .await;
    assert_eq!(
        refused,
        (
            400,
            "InvalidRequestException".into(),
            format!(
                "The instance fleet ({core_id}) should have both targetOnDemandCapacity and targetSpotCapacity specified."
            )
        )
    );
    ok(
        &emulator,
        "ModifyInstanceFleet",
        json!({"ClusterId": id, "InstanceFleet": {
            "InstanceFleetId": core_id, "TargetOnDemandCapacity": 2, "TargetSpotCapacity": 0}}),
    )
    .await;
    let live = instances(
        &emulator,
        json!({"ClusterId": id, "InstanceFleetId": core_id, "InstanceStates": ["RUNNING", "PROVISIONING"]}),
    )
    .await;
    assert_eq!(strings(&live, "/Market"), ["ON_DEMAND", "ON_DEMAND"]);
    assert_eq!(strings(&live, "/Status/State"), ["RUNNING", "PROVISIONING"]);
    let unknown = err(
        &emulator,
        "ModifyInstanceFleet",
        json!({"ClusterId": id, "InstanceFleet": {
            "InstanceFleetId": "if-NOTAFLEET01", "TargetOnDemandCapacity": 1, "TargetSpotCapacity": 0}}),
    )
    .await;
    assert_eq!(unknown.2, "Instance fleet id 'if-NOTAFLEET01' is not valid.");

    // AddInstanceFleet: a TASK fleet, not a second CORE one.
    let added = ok(
        &emulator,
        "AddInstanceFleet",
        json!({"ClusterId": id, "InstanceFleet": {"Name": "Task", "InstanceFleetType": "TASK", "TargetSpotCapacity": 2,
            "InstanceTypeConfigs": [{"InstanceType": "c5.xlarge"}]}}),
    )
    .await;
    let task_id = added["InstanceFleetId"].as_str().unwrap();
    assert!(task_id.starts_with("if-") && task_id.len() == 16, "{task_id}");
    assert_eq!(added["ClusterId"], id.as_str());
    let tasks = instances(&emulator, json!({"ClusterId": id, "InstanceFleetId": task_id})).await;
    assert_eq!(strings(&tasks, "/InstanceType"), ["c5.xlarge"; 2]);
    let refused = err(
        &emulator,
        "AddInstanceFleet",
        json!({"ClusterId": id, "InstanceFleet": {"InstanceFleetType": "CORE", "TargetOnDemandCapacity": 1}}),
    )
    .await;
    assert_eq!(
        refused.2,
        "The cluster has a CORE instance fleet already; only TASK instance fleets can be added."
    );
    let refused = err(
        &emulator,
        "AddInstanceFleet",
        json!({"ClusterId": id, "InstanceFleet": {"InstanceFleetType": "TASK", "TargetSpotCapacity": 1}}),
    )
    .await;
    assert_eq!(
        refused,
        (
            400,
            "InvalidRequestException".into(),
            "An instance fleet must have at least one InstanceTypeConfigs entry.".into()
        )
    );
    let unknown = err(
        &emulator,
        "AddInstanceFleet",
        json!({"ClusterId": "j-NOTACLUSTER1", "InstanceFleet": {"InstanceFleetType": "TASK"}}),
    )
    .await;
    assert_eq!(unknown.2, "Cluster id 'j-NOTACLUSTER1' is not valid.");

    // Group operations on a fleet cluster, in the service's words for ListInstanceGroups.
    let refused = err(&emulator, "ListInstanceGroups", json!({"ClusterId": id})).await;
    assert_eq!(
        refused,
        (
            400,
            "InvalidRequestException".into(),
            "Instance fleets and instance groups are mutually exclusive. The EMR cluster specified in the request \
             uses instance fleets. The ListInstanceGroups operation does not support clusters that use instance \
             fleets. Use the ListInstanceFleets operation instead."
                .into()
        )
    );
    let refused = err(
        &emulator,
        "ModifyInstanceGroups",
        json!({"ClusterId": id, "InstanceGroups": [{"InstanceGroupId": "ig-X", "InstanceCount": 1}]}),
    )
    .await;
    assert_eq!(refused.1, "ValidationException");
    assert!(
        refused
            .2
            .contains("The ModifyInstanceGroups operation does not support clusters that use instance fleets"),
        "{}",
        refused.2
    );
    let refused = err(
        &emulator,
        "AddInstanceGroups",
        json!({"JobFlowId": id, "InstanceGroups": [{"InstanceRole": "TASK", "InstanceType": "m5.xlarge", "InstanceCount": 1}]}),
    )
    .await;
    assert!(
        refused.2.contains("Use the AddInstanceFleet operation instead."),
        "{}",
        refused.2
    );
}

#[tokio::test]
async fn describe_job_flows_describes_clusters_as_job_flows_and_looks_back_as_the_service_does() {
    let emulator = support::start_manual();
    let kept = cluster(&emulator, run_job_flow("kept", true, &["one"])).await;
    let transient = cluster(&emulator, run_job_flow("transient", false, &["only"])).await;
    emulator.advance(POLL * 6).unwrap();

    let flows = ok(&emulator, "DescribeJobFlows", json!({})).await["JobFlows"].clone();
    assert_eq!(
        strings(&flows, "/JobFlowId"),
        [transient.as_str(), kept.as_str()],
        "newest first"
    );
    assert_eq!(
        strings(&flows, "/ExecutionStatusDetail/State"),
        ["COMPLETED", "WAITING"]
    );
    let k = &flows[1];
    assert_eq!(k["Name"], "kept");
    assert_eq!(k["LogUri"], "s3://logs/emr/");
    assert_eq!(
        k["ExecutionStatusDetail"]["LastStateChangeReason"],
        "Cluster ready after last step completed."
    );
    assert_eq!(
        k["ExecutionStatusDetail"]["CreationDateTime"].as_f64(),
        Some(1_700_000_000.0)
    );
    assert_eq!(
        k["ExecutionStatusDetail"]["ReadyDateTime"].as_f64(),
        Some(1_700_000_060.0)
    );
    let i = &k["Instances"];
    assert_eq!(
        (
            i["MasterInstanceType"].as_str(),
            i["SlaveInstanceType"].as_str(),
            i["InstanceCount"].as_i64(),
            i["KeepJobFlowAliveWhenNoSteps"].as_bool()
        ),
        (Some("m5.xlarge"), Some("m5.2xlarge"), Some(3), Some(true))
    );
    let master = instances(&emulator, json!({"ClusterId": kept, "InstanceGroupTypes": ["MASTER"]})).await;
    assert_eq!(i["MasterInstanceId"], master[0]["Ec2InstanceId"]);
    assert_eq!(i["MasterPublicDnsName"], master[0]["PrivateDnsName"]);
    assert_eq!(strings(&i["InstanceGroups"], "/InstanceRole"), ["MASTER", "CORE"]);
    assert_eq!(i["InstanceGroups"][1]["InstanceRunningCount"], 2);
    assert_eq!(i["InstanceGroups"][1]["State"], "RUNNING");
    assert_eq!(k["Steps"][0]["StepConfig"]["Name"], "one");
    assert_eq!(
        k["Steps"][0]["StepConfig"]["HadoopJarStep"]["Args"],
        json!(["spark-submit", "job.py"])
    );
    assert_eq!(k["Steps"][0]["ExecutionStatusDetail"]["State"], "COMPLETED");
    assert_eq!(
        k["BootstrapActions"][0]["BootstrapActionConfig"],
        json!({"Name": "setup", "ScriptBootstrapAction": {"Path": "s3://b/setup.sh", "Args": ["-x"]}})
    );

    // Filters: ids, states, creation times.
    let by_id = ok(&emulator, "DescribeJobFlows", json!({"JobFlowIds": [kept]})).await;
    assert_eq!(strings(&by_id["JobFlows"], "/JobFlowId"), [kept.as_str()]);
    let completed = ok(&emulator, "DescribeJobFlows", json!({"JobFlowStates": ["COMPLETED"]})).await;
    assert_eq!(strings(&completed["JobFlows"], "/JobFlowId"), [transient.as_str()]);
    let later = ok(&emulator, "DescribeJobFlows", json!({"CreatedAfter": 1_700_000_001})).await;
    assert_eq!(later["JobFlows"], json!([]));
    let earlier = ok(&emulator, "DescribeJobFlows", json!({"CreatedBefore": 1_700_000_000})).await;
    assert_eq!(earlier["JobFlows"].as_array().unwrap().len(), 2);
    let unknown = err(
        &emulator,
        "DescribeJobFlows",
        json!({"JobFlowIds": [kept, "j-NOTACLUSTER1"]}),
    )
    .await;
    assert_eq!(
        unknown,
        (
            400,
            "ValidationException".into(),
            "Specified job flow ID does not exist.".into()
        )
    );

    // Two weeks on, asking nothing finds only the active one; asking by state still finds the other.
    emulator.advance(DAY * 15).unwrap();
    let flows = ok(&emulator, "DescribeJobFlows", json!({})).await;
    assert_eq!(strings(&flows["JobFlows"], "/JobFlowId"), [kept.as_str()]);
    let completed = ok(&emulator, "DescribeJobFlows", json!({"JobFlowStates": ["COMPLETED"]})).await;
    assert_eq!(strings(&completed["JobFlows"], "/JobFlowId"), [transient.as_str()]);
    // Terminated by the user: SHUTTING_DOWN, then TERMINATED.
    ok(&emulator, "TerminateJobFlows", json!({"JobFlowIds": [kept]})).await;
    let by_id = ok(&emulator, "DescribeJobFlows", json!({"JobFlowIds": [kept]})).await;
    assert_eq!(by_id["JobFlows"][0]["ExecutionStatusDetail"]["State"], "SHUTTING_DOWN");
    emulator.advance(POLL).unwrap();
    let by_id = ok(&emulator, "DescribeJobFlows", json!({"JobFlowIds": [kept]})).await;
    assert_eq!(by_id["JobFlows"][0]["ExecutionStatusDetail"]["State"], "TERMINATED");
    // Two months on, nothing at all.
    emulator.advance(DAY * 50).unwrap();
    let old = ok(&emulator, "DescribeJobFlows", json!({"JobFlowIds": [kept, transient]})).await;
    assert_eq!(old["JobFlows"], json!([]));
}
