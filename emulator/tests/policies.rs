//! Policies and security configurations: automatic scaling on instance groups, managed scaling, auto-termination
//! (which ends an idle cluster), block public access, and security configurations through `lean-emr`; each with
//! its errors.

mod support;

use lean_emr::operation::create_security_configuration::CreateSecurityConfigurationError;
use lean_emr::operation::describe_security_configuration::DescribeSecurityConfigurationError;
use lean_emr::types::{BlockPublicAccessConfiguration, PortRange};
use serde_json::{json, Value};
use std::time::Duration;
use support::{cluster, err, ok, run_job_flow};

const POLL: Duration = Duration::from_secs(30);

fn scaling_policy(min: i32, max: i32) -> Value {
    json!({
        "Constraints": {"MinCapacity": min, "MaxCapacity": max},
        "Rules": [{
            "Name": "scale-out",
            "Action": {"SimpleScalingPolicyConfiguration": {"AdjustmentType": "CHANGE_IN_CAPACITY", "ScalingAdjustment": 1, "CoolDown": 300}},
            "Trigger": {"CloudWatchAlarmDefinition": {
                "ComparisonOperator": "LESS_THAN", "MetricName": "YARNMemoryAvailablePercentage", "Period": 300,
                "Threshold": 15.5, "EvaluationPeriods": 1, "Statistic": "AVERAGE", "Unit": "PERCENT"
            }}
        }]
    })
}

async fn core_group(emulator: &lean_emr_emulator::Emulator, cluster: &str) -> Value {
    let groups = ok(emulator, "ListInstanceGroups", json!({"ClusterId": cluster})).await;
    groups["InstanceGroups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["InstanceGroupType"] == "CORE")
        .unwrap()
        .clone()
}

#[tokio::test]
async fn automatic_scaling_policies_attach_to_core_and_task_groups() {
    let emulator = support::start_manual();
    let id = cluster(&emulator, run_job_flow("scaled", true, &[])).await;
    let core = core_group(&emulator, &id).await;
    let core_id = core["Id"].as_str().unwrap().to_owned();
    assert!(core.get("AutoScalingPolicy").is_none());

    let put = ok(
        &emulator,
        "PutAutoScalingPolicy",
        json!({"ClusterId": id, "InstanceGroupId": core_id, "AutoScalingPolicy": scaling_policy(2, 6)}),
    )
    .await;
    assert_eq!(
        (put["ClusterId"].as_str(), put["InstanceGroupId"].as_str()),
        (Some(id.as_str()), Some(core_id.as_str()))
    );
    assert_eq!(
        put["ClusterArn"],
        format!("arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/{id}")
    );
    assert_eq!(put["AutoScalingPolicy"]["Status"]["State"], "PENDING");
    assert_eq!(
        put["AutoScalingPolicy"]["Constraints"],
        scaling_policy(2, 6)["Constraints"]
    );
    // ListInstanceGroups shows it with every member it was put with; it attaches once the cluster is ready.
    let listed = core_group(&emulator, &id).await["AutoScalingPolicy"].clone();
    assert_eq!(listed["Rules"], scaling_policy(2, 6)["Rules"]);
    assert_eq!(listed["Status"]["State"], "PENDING");
    emulator.advance(POLL * 2).unwrap();
    let listed = core_group(&emulator, &id).await["AutoScalingPolicy"].clone();
    assert_eq!(listed["Status"]["State"], "ATTACHED");
    assert_eq!(listed["Status"]["StateChangeReason"]["Code"], "USER_REQUEST");

    // Not on the MASTER group, not with MinCapacity above MaxCapacity, not on a cluster or group that is not there.
    let master = ok(&emulator, "ListInstanceGroups", json!({"ClusterId": id})).await["InstanceGroups"][0]["Id"].clone();
    let refused = err(
        &emulator,
        "PutAutoScalingPolicy",
        json!({"ClusterId": id, "InstanceGroupId": master, "AutoScalingPolicy": scaling_policy(1, 2)}),
    )
    .await;
    assert_eq!(
        refused,
        (
            400,
            "ValidationException".into(),
            "An automatic scaling policy can only be put on a CORE or TASK instance group.".into()
        )
    );
    let refused = err(
        &emulator,
        "PutAutoScalingPolicy",
        json!({"ClusterId": id, "InstanceGroupId": core_id, "AutoScalingPolicy": scaling_policy(5, 2)}),
    )
    .await;
    assert_eq!(refused.2, "MinCapacity must not be more than MaxCapacity.");
    let unknown = err(
        &emulator,
        "PutAutoScalingPolicy",
        json!({"ClusterId": "j-NOTACLUSTER1", "InstanceGroupId": core_id, "AutoScalingPolicy": scaling_policy(1, 2)}),
    )
    .await;
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
        "RemoveAutoScalingPolicy",
        json!({"ClusterId": id, "InstanceGroupId": "ig-NOTAGROUP001"}),
    )
    .await;
    assert_eq!(unknown.2, "Instance group id 'ig-NOTAGROUP001' is not valid.");

    ok(
        &emulator,
        "RemoveAutoScalingPolicy",
        json!({"ClusterId": id, "InstanceGroupId": core_id}),
    )
    .await;
    assert!(core_group(&emulator, &id).await.get("AutoScalingPolicy").is_none());

    // A TASK group added with a policy has it; when the cluster shuts down it is DETACHED.
    let added = ok(
        &emulator,
        "AddInstanceGroups",
        json!({"JobFlowId": id, "InstanceGroups": [{"InstanceRole": "TASK", "InstanceType": "m5.xlarge",
            "InstanceCount": 1, "AutoScalingPolicy": scaling_policy(0, 4)}]}),
    )
    .await;
    let task_id = added["InstanceGroupIds"][0].clone();
    ok(&emulator, "TerminateJobFlows", json!({"JobFlowIds": [id]})).await;
    let groups = ok(&emulator, "ListInstanceGroups", json!({"ClusterId": id})).await;
    let task = groups["InstanceGroups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["Id"] == task_id)
        .unwrap()
        .clone();
    assert_eq!(task["AutoScalingPolicy"]["Status"]["State"], "DETACHED");
    assert_eq!(task["AutoScalingPolicy"]["Constraints"]["MaxCapacity"], 4);
}

#[tokio::test]
async fn managed_scaling_and_auto_termination_policies_are_kept_and_an_idle_cluster_ends() {
    let emulator = support::start_manual();
    let id = cluster(&emulator, run_job_flow("managed", true, &[])).await;

    let none = ok(&emulator, "GetManagedScalingPolicy", json!({"ClusterId": id})).await;
    assert_eq!(none, json!({}));
    let policy = json!({"ComputeLimits": {"UnitType": "Instances", "MinimumCapacityUnits": 2,
        "MaximumCapacityUnits": 10, "MaximumOnDemandCapacityUnits": 5, "MaximumCoreCapacityUnits": 3},
        "ScalingStrategy": "ADVANCED", "UtilizationPerformanceIndex": 50});
    ok(
        &emulator,
        "PutManagedScalingPolicy",
        json!({"ClusterId": id, "ManagedScalingPolicy": policy}),
    )
    .await;
    let got = ok(&emulator, "GetManagedScalingPolicy", json!({"ClusterId": id})).await;
    assert_eq!(got["ManagedScalingPolicy"], policy);
    let bad =
        json!({"ComputeLimits": {"UnitType": "Instances", "MinimumCapacityUnits": 12, "MaximumCapacityUnits": 10}});
    let refused = err(
        &emulator,
        "PutManagedScalingPolicy",
        json!({"ClusterId": id, "ManagedScalingPolicy": bad}),
    )
    .await;
    assert_eq!(refused.1, "ValidationException");
    assert!(
        refused
            .2
            .starts_with("MinimumCapacityUnits must not be more than MaximumCapacityUnits"),
        "{}",
        refused.2
    );
    assert_eq!(
        ok(&emulator, "GetManagedScalingPolicy", json!({"ClusterId": id})).await["ManagedScalingPolicy"],
        policy,
        "a refused policy changes nothing"
    );
    let unknown = err(
        &emulator,
        "GetManagedScalingPolicy",
        json!({"ClusterId": "j-NOTACLUSTER1"}),
    )
    .await;
    assert_eq!(
        (unknown.1.as_str(), unknown.2.as_str()),
        ("InvalidRequestException", "Cluster id 'j-NOTACLUSTER1' is not valid.")
    );
    ok(&emulator, "RemoveManagedScalingPolicy", json!({"ClusterId": id})).await;
    assert_eq!(
        ok(&emulator, "GetManagedScalingPolicy", json!({"ClusterId": id})).await,
        json!({})
    );

    // Auto-termination: kept, bounded, and it ends the cluster once it has waited idle for the timeout.
    assert_eq!(
        ok(&emulator, "GetAutoTerminationPolicy", json!({"ClusterId": id})).await,
        json!({})
    );
    let refused = err(
        &emulator,
        "PutAutoTerminationPolicy",
        json!({"ClusterId": id, "AutoTerminationPolicy": {"IdleTimeout": 59}}),
    )
    .await;
    assert_eq!(
        refused,
        (
            400,
            "ValidationException".into(),
            "IdleTimeout must be from 60 to 604800 seconds.".into()
        )
    );
    ok(
        &emulator,
        "PutAutoTerminationPolicy",
        json!({"ClusterId": id, "AutoTerminationPolicy": {"IdleTimeout": 120}}),
    )
    .await;
    let got = ok(&emulator, "GetAutoTerminationPolicy", json!({"ClusterId": id})).await;
    assert_eq!(got, json!({"AutoTerminationPolicy": {"IdleTimeout": 120}}));
    // WAITING at 90 s; idle for 120 s after that, it shuts down.
    emulator.advance(POLL * 3).unwrap();
    let state = |c: Value| c["Cluster"]["Status"].clone();
    assert_eq!(
        state(ok(&emulator, "DescribeCluster", json!({"ClusterId": id})).await)["State"],
        "WAITING"
    );
    emulator.advance(Duration::from_secs(119)).unwrap();
    assert_eq!(
        state(ok(&emulator, "DescribeCluster", json!({"ClusterId": id})).await)["State"],
        "WAITING"
    );
    emulator.advance(Duration::from_secs(1)).unwrap();
    let status = state(ok(&emulator, "DescribeCluster", json!({"ClusterId": id})).await);
    assert_eq!(status["State"], "TERMINATING");
    assert_eq!(
        status["StateChangeReason"]["Message"],
        "Terminated by the auto-termination policy: idle for its IdleTimeout"
    );
    let refused = err(
        &emulator,
        "PutAutoTerminationPolicy",
        json!({"ClusterId": id, "AutoTerminationPolicy": {"IdleTimeout": 600}}),
    )
    .await;
    assert_eq!(
        refused.2,
        "A job flow that is shutting down, terminated, or finished may not be modified."
    );

    // RunJobFlow takes both policies; Remove takes them away.
    let mut body = run_job_flow("with-policies", true, &[]);
    body["AutoTerminationPolicy"] = json!({"IdleTimeout": 3600});
    body["ManagedScalingPolicy"] = policy.clone();
    let second = cluster(&emulator, body).await;
    assert_eq!(
        ok(&emulator, "GetAutoTerminationPolicy", json!({"ClusterId": second})).await["AutoTerminationPolicy"]
            ["IdleTimeout"],
        3600
    );
    assert_eq!(
        ok(&emulator, "GetManagedScalingPolicy", json!({"ClusterId": second})).await["ManagedScalingPolicy"],
        policy
    );
    ok(&emulator, "RemoveAutoTerminationPolicy", json!({"ClusterId": second})).await;
    assert_eq!(
        ok(&emulator, "GetAutoTerminationPolicy", json!({"ClusterId": second})).await,
        json!({})
    );
    let unknown = err(
        &emulator,
        "RemoveAutoTerminationPolicy",
        json!({"ClusterId": "j-NOTACLUSTER1"}),
    )
    .await;
    assert_eq!(unknown.1, "InvalidRequestException");
    let mut bad = run_job_flow("bad", true, &[]);
    bad["AutoTerminationPolicy"] = json!({"IdleTimeout": 10});
    assert_eq!(
        err(&emulator, "RunJobFlow", bad).await.2,
        "IdleTimeout must be from 60 to 604800 seconds."
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn block_public_access_and_security_configurations_through_the_client() {
    let emulator = support::start_manual();
    let client = support::client(&emulator);

    // Nothing put: the service's default, port 22 permitted.
    let got = client.get_block_public_access_configuration().send().await.unwrap();
    let config = got.block_public_access_configuration.unwrap();
    assert_eq!(config.block_public_security_group_rules, Some(true));
    let ranges = config.permitted_public_security_group_rule_ranges.unwrap();
    assert_eq!(
        ranges.iter().map(|r| (r.min_range, r.max_range)).collect::<Vec<_>>(),
        [(Some(22), Some(22))]
    );
    let metadata = got.block_public_access_configuration_metadata.unwrap();
    assert_eq!(
        metadata.created_by_arn.as_deref(),
        Some("arn:aws:iam::123456789012:root")
    );
    assert_eq!(metadata.creation_date_time.map(|t| t.secs()), Some(1_574_640_000));

    let range = |min: i32, max: i32| PortRange::builder().min_range(min).max_range(max).build();
    let put = |rules: bool, ranges: Vec<PortRange>| {
        client
            .put_block_public_access_configuration()
            .block_public_access_configuration(
                BlockPublicAccessConfiguration::builder()
                    .block_public_security_group_rules(rules)
                    .set_permitted_public_security_group_rule_ranges(Some(ranges))
                    .build(),
            )
            .send()
    };
    put(true, vec![range(22, 22), range(8000, 8100)]).await.unwrap();
    let got = client.get_block_public_access_configuration().send().await.unwrap();
    let ranges = got
        .block_public_access_configuration
        .unwrap()
        .permitted_public_security_group_rule_ranges
        .unwrap();
    assert_eq!(
        ranges.iter().map(|r| (r.min_range, r.max_range)).collect::<Vec<_>>(),
        [(Some(22), Some(22)), (Some(8000), Some(8100))]
    );
    assert_eq!(
        got.block_public_access_configuration_metadata
            .and_then(|m| m.creation_date_time)
            .map(|t| t.secs()),
        Some(1_700_000_000)
    );
    let refused = put(false, vec![range(300, 200)]).await.unwrap_err();
    let text = refused.to_string();
    assert!(
        text.contains("InvalidRequestException")
            && text.contains("A port range's MinRange and MaxRange must be from 0 to 65535"),
        "{text}"
    );

    // Security configurations: the JSON text kept verbatim, names unique, described, listed, deleted.
    let text = "{\n  \"EncryptionConfiguration\": {\"EnableInTransitEncryption\": false,  \"EnableAtRestEncryption\": true}\n}";
    let created = client
        .create_security_configuration()
        .name("at-rest")
        .security_configuration(text)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (created.name.as_deref(), created.creation_date_time.map(|t| t.secs())),
        (Some("at-rest"), Some(1_700_000_000))
    );
    let described = client
        .describe_security_configuration()
        .name("at-rest")
        .send()
        .await
        .unwrap();
    assert_eq!(described.security_configuration.as_deref(), Some(text));
    assert_eq!(described.creation_date_time.map(|t| t.secs()), Some(1_700_000_000));
    let again = client
        .create_security_configuration()
        .name("at-rest")
        .security_configuration("{}")
        .send()
        .await
        .unwrap_err();
    match again.into_service_error() {
        CreateSecurityConfigurationError::InvalidRequestException(e) => {
            assert_eq!(
                e.message.as_deref(),
                Some("A security configuration named 'at-rest' exists already.")
            )
        }
        other => panic!("{other}"),
    }
    let not_json = client
        .create_security_configuration()
        .name("broken")
        .security_configuration("{not json")
        .send()
        .await
        .unwrap_err();
    assert!(
        not_json
            .to_string()
            .contains("The security configuration is not valid JSON"),
        "{not_json}"
    );

    // RunJobFlow names one that exists, or is refused in the service's words.
    let mut body = run_job_flow("secured", true, &[]);
    body["SecurityConfiguration"] = json!("at-rest");
    let id = cluster(&emulator, body).await;
    let described = ok(&emulator, "DescribeCluster", json!({"ClusterId": id})).await;
    assert_eq!(described["Cluster"]["SecurityConfiguration"], "at-rest");
    let mut body = run_job_flow("unsecured", true, &[]);
    body["SecurityConfiguration"] = json!("missing");
    assert_eq!(
        err(&emulator, "RunJobFlow", body).await,
        (
            400,
            "ValidationException".into(),
            "Security configuration with name 'missing' does not exist.".into()
        )
    );

    // Fifty a page, oldest first.
    for n in 0..50 {
        emulator.advance(Duration::from_secs(1)).unwrap();
        client
            .create_security_configuration()
            .name(format!("sc-{n:02}"))
            .security_configuration("{}")
            .send()
            .await
            .unwrap();
    }
    let first = client.list_security_configurations().send().await.unwrap();
    let names: Vec<_> = first
        .security_configurations
        .unwrap()
        .into_iter()
        .map(|s| s.name.unwrap())
        .collect();
    assert_eq!(names.len(), 50);
    assert_eq!((names[0].as_str(), names[49].as_str()), ("at-rest", "sc-48"));
    let second = client
        .list_security_configurations()
        .marker(first.marker.unwrap())
        .send()
        .await
        .unwrap();
    let rest: Vec<_> = second
        .security_configurations
        .unwrap()
        .into_iter()
        .map(|s| s.name.unwrap())
        .collect();
    assert_eq!(rest, ["sc-49"]);
    assert!(second.marker.is_none());
    let bad_marker = client
        .list_security_configurations()
        .marker("bm90IGEgbmFtZQ==")
        .send()
        .await;
    assert!(bad_marker.unwrap_err().to_string().contains("InvalidRequestException"));

    client
        .delete_security_configuration()
        .name("at-rest")
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_security_configuration()
        .name("at-rest")
        .send()
        .await
        .unwrap_err();
    match gone.into_service_error() {
        DescribeSecurityConfigurationError::InvalidRequestException(e) => assert_eq!(
            e.message.as_deref(),
            Some("Security configuration with name 'at-rest' does not exist.")
        ),
        other => panic!("{other}"),
    }
    let again = client.delete_security_configuration().name("at-rest").send().await;
    assert!(again.unwrap_err().to_string().contains("does not exist"));
}
