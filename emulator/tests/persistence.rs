//! `--state FILE`: written atomically after every change, read at start, so that a restart loses nothing.

mod support;

use lean_emr::operation::create_studio_session_mapping::CreateStudioSessionMappingInput;
use lean_emr::operation::describe_studio::DescribeStudioInput;
use lean_emr::operation::get_studio_session_mapping::GetStudioSessionMappingInput;
use lean_emr::types::IdentityType;
use std::path::PathBuf;

/// A fresh folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("lean-emr-emulator-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_survives_a_restart() {
    let dir = TempDir::new("restart");
    let file = dir.0.join("state.json");
    let get = |studio: &str| {
        GetStudioSessionMappingInput::builder()
            .studio_id(studio)
            .identity_type(IdentityType::Group)
            .identity_name("analysts")
    };

    let (studio, mapping, described) = {
        let emulator = lean_emr_emulator::start(support::settings().state_file(&file)).unwrap();
        let client = support::client(&emulator);
        let studio = support::create_studio(&client, "kept").await;
        CreateStudioSessionMappingInput::builder()
            .studio_id(&studio)
            .identity_type(IdentityType::Group)
            .identity_name("analysts")
            .session_policy_arn(support::POLICY)
            .send_with(&client)
            .await
            .unwrap();
        let mapping = get(&studio).send_with(&client).await.unwrap().session_mapping;
        let described = DescribeStudioInput::builder()
            .studio_id(&studio)
            .send_with(&client)
            .await
            .unwrap()
            .studio;
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            emulator.state(),
            "the file has every change"
        );
        (studio, mapping, described)
        // The emulator stops here.
    };
    let files: Vec<_> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files, ["state.json"], "no temporary file is left behind");

    let emulator = lean_emr_emulator::start(support::settings().state_file(&file)).unwrap();
    let client = support::client(&emulator);
    assert_eq!(get(&studio).send_with(&client).await.unwrap().session_mapping, mapping);
    let again = DescribeStudioInput::builder()
        .studio_id(&studio)
        .send_with(&client)
        .await
        .unwrap()
        .studio;
    assert_eq!(again, described);
    // Ids from a counter that starts again do not collide with the studios the file brought back.
    let second = support::create_studio(&client, "new").await;
    assert_ne!(second, studio);
}

#[tokio::test]
async fn a_state_file_that_is_not_the_emulators_stops_the_start_and_says_why() {
    let dir = TempDir::new("corrupt");
    let file = dir.0.join("state.json");
    std::fs::write(&file, "{\"studios\": 5}").unwrap();
    let e = lean_emr_emulator::start(support::settings().state_file(&file)).unwrap_err();
    let text = e.to_string();
    assert!(
        text.starts_with("state file: ") && text.contains("state.json"),
        "{text}"
    );
}

/// What the instance, policy and security configuration operations answer about `cluster`.
async fn snapshot(emulator: &lean_emr_emulator::Emulator, cluster: &str) -> Vec<serde_json::Value> {
    use serde_json::json;
    let mut answers = Vec::new();
    for (operation, body) in [
        ("ListInstances", json!({"ClusterId": cluster})),
        ("ListInstanceGroups", json!({"ClusterId": cluster})),
        ("GetManagedScalingPolicy", json!({"ClusterId": cluster})),
        ("GetAutoTerminationPolicy", json!({"ClusterId": cluster})),
        ("GetBlockPublicAccessConfiguration", json!({})),
        ("DescribeSecurityConfiguration", json!({"Name": "kept"})),
        ("ListSecurityConfigurations", json!({})),
        ("DescribeJobFlows", json!({"JobFlowIds": [cluster]})),
        ("DescribeCluster", json!({"ClusterId": cluster})),
    ] {
        answers.push(support::ok(emulator, operation, body).await);
    }
    answers
}

/// The settings of one start on `file`: each start is given a new manual clock at the same instant, as a fresh
/// process with a manual clock would be.
fn restarted(file: &std::path::Path) -> lean_emr_emulator::Settings {
    let clock = lean_aws_runtime::clock::ManualClock::from_epoch_secs(1_700_000_000);
    support::settings().state_file(file).manual_clock(clock)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_policies_and_security_configurations_survive_a_restart() {
    use serde_json::json;
    let dir = TempDir::new("policies");
    let file = dir.0.join("state.json");
    let settings = || restarted(&file);
    let (cluster, before) = {
        let emulator = lean_emr_emulator::start(settings()).unwrap();
        support::ok(
            &emulator,
            "CreateSecurityConfiguration",
            json!({"Name": "kept", "SecurityConfiguration": "{ \"EncryptionConfiguration\": {} }"}),
        )
        .await;
        let mut body = support::run_job_flow("kept", true, &["one"]);
        body["SecurityConfiguration"] = json!("kept");
        let cluster = support::cluster(&emulator, body).await;
        let groups = support::ok(&emulator, "ListInstanceGroups", json!({"ClusterId": cluster})).await;
        let core = groups["InstanceGroups"][1]["Id"].clone();
        emulator.advance(std::time::Duration::from_secs(90)).unwrap();
        support::ok(
            &emulator,
            "ModifyInstanceGroups",
            json!({"InstanceGroups": [{"InstanceGroupId": core, "InstanceCount": 3}]}),
        )
        .await;
        support::ok(
            &emulator,
            "PutAutoScalingPolicy",
            json!({"ClusterId": cluster, "InstanceGroupId": core, "AutoScalingPolicy": {
                "Constraints": {"MinCapacity": 1, "MaxCapacity": 5},
                "Rules": [{"Name": "out", "Action": {"SimpleScalingPolicyConfiguration": {"ScalingAdjustment": 1}},
                    "Trigger": {"CloudWatchAlarmDefinition": {"ComparisonOperator": "LESS_THAN",
                        "MetricName": "YARNMemoryAvailablePercentage", "Period": 300, "Threshold": 15.5}}}]}}),
        )
        .await;
        support::ok(
            &emulator,
            "PutManagedScalingPolicy",
            json!({"ClusterId": cluster, "ManagedScalingPolicy": {"ComputeLimits": {
                "UnitType": "InstanceFleetUnits", "MinimumCapacityUnits": 1, "MaximumCapacityUnits": 8}}}),
        )
        .await;
        support::ok(
            &emulator,
            "PutAutoTerminationPolicy",
            json!({"ClusterId": cluster, "AutoTerminationPolicy": {"IdleTimeout": 7200}}),
        )
        .await;
        support::ok(
            &emulator,
            "PutBlockPublicAccessConfiguration",
            json!({"BlockPublicAccessConfiguration": {"BlockPublicSecurityGroupRules": false}}),
        )
        .await;
        let before = snapshot(&emulator, &cluster).await;
        assert_eq!(std::fs::read_to_string(&file).unwrap(), emulator.state());
        (cluster, before)
    };
    // The restart resumes the manual clock 90 s on, where it stood.
    let emulator = lean_emr_emulator::start(settings()).unwrap();
    let after = snapshot(&emulator, &cluster).await;
    assert_eq!(after, before);
    // The things kept are what was put, not defaults.
    assert_eq!(after[3], json!({"AutoTerminationPolicy": {"IdleTimeout": 7200}}));
    assert_eq!(
        after[4]["BlockPublicAccessConfiguration"]["BlockPublicSecurityGroupRules"],
        false
    );
    assert_eq!(after[0]["Instances"].as_array().unwrap().len(), 4);
    // Ids from a counter that starts again skip every id the file brought back: clusters, steps, groups, instances.
    let second = support::cluster(&emulator, support::run_job_flow("second", true, &["two"])).await;
    assert_ne!(second, cluster);
    let old: std::collections::BTreeSet<String> = after[0]["Instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["Id"].as_str().unwrap().to_owned())
        .collect();
    let new = support::ok(&emulator, "ListInstances", json!({"ClusterId": second})).await;
    for i in new["Instances"].as_array().unwrap() {
        assert!(!old.contains(i["Id"].as_str().unwrap()), "{i}");
    }
    let groups = support::ok(&emulator, "ListInstanceGroups", json!({"ClusterId": second})).await;
    for g in groups["InstanceGroups"].as_array().unwrap() {
        assert!(!after[1].to_string().contains(g["Id"].as_str().unwrap()), "{g}");
    }
    assert_eq!(
        snapshot(&emulator, &cluster).await[..2],
        after[..2],
        "the first cluster is as it was"
    );
}

#[tokio::test]
async fn a_state_file_from_before_instances_gets_them_as_old_as_their_cluster() {
    use serde_json::json;
    let dir = TempDir::new("old");
    let file = dir.0.join("state.json");
    // As the emulator wrote it before it kept instances, policies and security configurations.
    let old = json!({"version": 1, "studios": [], "mappings": [], "clusters": [{
        "id": "j-OLDCLUSTER001", "arn": "arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-OLDCLUSTER001",
        "name": "old", "release_label": "emr-7.5.0", "log_uri": null, "service_role": null, "job_flow_role": null,
        "applications": [], "keep_alive": true, "termination_protected": false, "visible_to_all_users": true,
        "unhealthy_node_replacement": false, "step_concurrency_level": 1, "instance_collection_type": "INSTANCE_GROUP",
        "instance_groups": [
            {"id": "ig-OLDMASTER001", "name": null, "role": "MASTER", "instance_type": "m5.xlarge",
             "instance_count": 1, "market": "ON_DEMAND"},
            {"id": "ig-OLDCORE00001", "name": null, "role": "CORE", "instance_type": "m5.xlarge",
             "instance_count": 2, "market": "ON_DEMAND"}],
        "instance_fleets": [], "bootstrap_actions": [], "tags": [], "state": "WAITING", "reason_code": null,
        "reason_message": null, "created": 1_700_000_000_000_i64, "ready": 1_700_000_060_000_i64, "ended": null,
        "since": 1_700_000_090_000_i64, "last_change": 1_700_000_090_000_i64, "fails_to_bootstrap": false,
        "steps": []}]});
    std::fs::write(&file, old.to_string()).unwrap();
    let clock = lean_aws_runtime::clock::ManualClock::from_epoch_secs(1_700_000_600);
    let emulator = lean_emr_emulator::start(support::settings().state_file(&file).manual_clock(clock)).unwrap();
    let listed = support::ok(&emulator, "ListInstances", json!({"ClusterId": "j-OLDCLUSTER001"})).await;
    let listed = listed["Instances"].as_array().unwrap();
    assert_eq!(listed.len(), 3);
    for i in listed {
        assert_eq!(i["Status"]["State"], "RUNNING", "{i}");
        assert_eq!(
            i["Status"]["Timeline"]["CreationDateTime"].as_f64(),
            Some(1_700_000_000.0)
        );
    }
    let groups = support::ok(&emulator, "ListInstanceGroups", json!({"ClusterId": "j-OLDCLUSTER001"})).await;
    assert_eq!(groups["InstanceGroups"][1]["RunningInstanceCount"], 2);
    // Given once and kept: the file has them now, and a second look finds the same ones.
    let again = support::ok(&emulator, "ListInstances", json!({"ClusterId": "j-OLDCLUSTER001"})).await;
    assert_eq!(again["Instances"].as_array().unwrap(), listed);
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains(listed[0]["Id"].as_str().unwrap()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_manual_clock_resumes_where_it_stood() {
    use serde_json::json;
    let dir = TempDir::new("manual-clock");
    let file = dir.0.join("state.json");
    let settings = || restarted(&file);
    let (cluster, before) = {
        let emulator = lean_emr_emulator::start(settings()).unwrap();
        let cluster = support::cluster(&emulator, support::run_job_flow("clock", true, &["one"])).await;
        for _ in 0..5 {
            emulator.advance(std::time::Duration::from_secs(30)).unwrap();
        }
        let before = support::ok(&emulator, "DescribeCluster", json!({"ClusterId": cluster})).await;
        (cluster, before)
    };
    let kept: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(kept["manual_clock_ms"], json!(1_700_000_150_000_i64), "{kept}");
    let emulator = lean_emr_emulator::start(settings()).unwrap();
    let after = support::ok(&emulator, "DescribeCluster", json!({"ClusterId": cluster})).await;
    assert_eq!(after, before, "the cluster is where the clock left it");
    // And the clock goes on from there: a step added now is created at the saved instant.
    let added = support::ok(
        &emulator,
        "AddJobFlowSteps",
        json!({"JobFlowId": cluster, "Steps": [{"Name": "two", "ActionOnFailure": "CONTINUE",
            "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["true"]}}]}),
    )
    .await;
    let step = added["StepIds"][0].clone();
    let described = support::ok(&emulator, "DescribeStep", json!({"ClusterId": cluster, "StepId": step})).await;
    assert_eq!(
        described["Step"]["Status"]["Timeline"]["CreationDateTime"],
        json!(1_700_000_150),
        "{described}"
    );
}
