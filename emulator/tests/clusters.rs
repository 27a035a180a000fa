//! Clusters and steps through the emulator's HTTP front, on its manual clock: lifecycles, the service's errors,
//! paging, the 256-active-steps limit, faults, the control endpoints, and the operations it does not perform.

mod support;

use lean_emr_emulator::service::{served, NOT_SERVED};
use lean_emr_emulator::Emulator;
use serde_json::{json, Value};
use std::time::Duration;
use support::{ok, start_manual as start};

const POLL: Duration = Duration::from_secs(30);

/// Status, code and message, whatever the answer (the served operations may well succeed on `{}`).
async fn err(emulator: &Emulator, operation: &str, body: Value) -> (u16, String, String) {
    let answer = support::call(emulator, operation, &body.to_string()).await;
    (answer.status, answer.code(), answer.message())
}

/// An unsigned control request.
async fn control(emulator: &Emulator, endpoint: &str, body: Value) -> u16 {
    let body = body.to_string();
    let request = format!(
        "POST /_emulator/{endpoint} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        emulator.addr(),
        body.len()
    );
    support::send_raw(emulator, request.as_bytes())
        .await
        .expect("an answer")
        .status
}

fn run_job_flow(name: &str, keep_alive: bool, steps: &[(&str, &str)]) -> Value {
    json!({
        "Name": name,
        "ReleaseLabel": "emr-7.5.0",
        "LogUri": "s3://logs/emr/",
        "ServiceRole": "EMR_DefaultRole",
        "JobFlowRole": "EMR_EC2_DefaultRole",
        "Applications": [{"Name": "Spark"}],
        "BootstrapActions": [{"Name": "setup", "ScriptBootstrapAction": {"Path": "s3://b/setup.sh", "Args": ["-x"]}}],
        "Instances": {
            "InstanceGroups": [
                {"Name": "Primary", "InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1},
                {"Name": "Core", "InstanceRole": "CORE", "InstanceType": "m5.xlarge", "InstanceCount": 2}
            ],
            "KeepJobFlowAliveWhenNoSteps": keep_alive
        },
        "Steps": steps.iter().map(|(name, action)| step(name, action)).collect::<Vec<_>>(),
        "Tags": [{"Key": "team", "Value": "data"}]
    })
}

fn step(name: &str, action: &str) -> Value {
    json!({
        "Name": name,
        "ActionOnFailure": action,
        "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["spark-submit", "job.py"]}
    })
}

async fn cluster(emulator: &Emulator, id: &str) -> Value {
    ok(emulator, "DescribeCluster", json!({"ClusterId": id})).await["Cluster"].clone()
}

async fn state(emulator: &Emulator, id: &str) -> String {
    cluster(emulator, id).await["Status"]["State"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn step_states(emulator: &Emulator, id: &str) -> Vec<String> {
    let steps = ok(emulator, "ListSteps", json!({"ClusterId": id})).await;
    steps["Steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Status"]["State"].as_str().unwrap().to_owned())
        .collect()
}

async fn step_state(emulator: &Emulator, cluster: &str, step: &str) -> String {
    let body = json!({"ClusterId": cluster, "StepId": step});
    ok(emulator, "DescribeStep", body).await["Step"]["Status"]["State"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_cluster_lives_through_its_states_and_runs_its_steps_one_at_a_time() {
    let emulator = start();
    let created = ok(
        &emulator,
        "RunJobFlow",
        run_job_flow("etl", true, &[("one", "CONTINUE"), ("two", "CONTINUE")]),
    )
    .await;
    let id = created["JobFlowId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("j-") && id.len() == 15, "{id}");
    assert_eq!(
        created["ClusterArn"],
        format!("arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/{id}")
    );

    // Each state lasts one waiter poll: a waiter polling every 30 s sees every one of them.
    let mut seen = Vec::new();
    for _ in 0..6 {
        seen.push((state(&emulator, &id).await, step_states(&emulator, &id).await));
        emulator.advance(POLL).unwrap();
    }
    let s = |c: &str, steps: [&str; 2]| (c.to_owned(), steps.map(str::to_owned).to_vec());
    // ListSteps lists the newest first.
    assert_eq!(
        seen,
        [
            s("STARTING", ["PENDING", "PENDING"]),
            s("BOOTSTRAPPING", ["PENDING", "PENDING"]),
            s("RUNNING", ["PENDING", "RUNNING"]),
            s("RUNNING", ["RUNNING", "COMPLETED"]),
            s("WAITING", ["COMPLETED", "COMPLETED"]),
            s("WAITING", ["COMPLETED", "COMPLETED"]),
        ]
    );
    let c = cluster(&emulator, &id).await;
    assert_eq!(
        c["Status"]["StateChangeReason"]["Message"],
        "Cluster ready after last step completed."
    );
    assert_eq!(
        c["Status"]["Timeline"]["CreationDateTime"].as_f64(),
        Some(1_700_000_000.0)
    );
    assert_eq!(c["Status"]["Timeline"]["ReadyDateTime"].as_f64(), Some(1_700_000_060.0));
    assert_eq!(
        (c["AutoTerminate"].as_bool(), c["InstanceCollectionType"].as_str()),
        (Some(false), Some("INSTANCE_GROUP"))
    );
    assert_eq!(c["Tags"], json!([{"Key": "team", "Value": "data"}]));

    let groups = ok(&emulator, "ListInstanceGroups", json!({"ClusterId": id})).await;
    let groups = groups["InstanceGroups"].as_array().unwrap().clone();
    assert_eq!(groups.len(), 2);
    assert!(groups[0]["Id"].as_str().unwrap().starts_with("ig-"));
    assert_eq!(
        (
            groups[1]["InstanceGroupType"].as_str(),
            groups[1]["RunningInstanceCount"].as_i64()
        ),
        (Some("CORE"), Some(2))
    );
    assert_eq!(groups[1]["Status"]["State"], "RUNNING");
    let actions = ok(&emulator, "ListBootstrapActions", json!({"ClusterId": id})).await;
    assert_eq!(
        actions["BootstrapActions"],
        json!([{"Name": "setup", "ScriptPath": "s3://b/setup.sh", "Args": ["-x"]}])
    );
    let (status, code, _) = err(&emulator, "ListInstanceFleets", json!({"ClusterId": id})).await;
    assert_eq!((status, code.as_str()), (400, "InvalidRequestException"));

    // A step added to a waiting cluster waits one poll, runs one, and the cluster waits again.
    let added = ok(
        &emulator,
        "AddJobFlowSteps",
        json!({"JobFlowId": id, "Steps": [step("three", "CONTINUE")]}),
    )
    .await;
    let step_id = added["StepIds"][0].as_str().unwrap().to_owned();
    assert_eq!(step_state(&emulator, &id, &step_id).await, "PENDING");
    emulator.advance(POLL).unwrap();
    assert_eq!(
        (step_state(&emulator, &id, &step_id).await, state(&emulator, &id).await),
        ("RUNNING".into(), "RUNNING".into())
    );
    emulator.advance(POLL).unwrap();
    assert_eq!(
        (step_state(&emulator, &id, &step_id).await, state(&emulator, &id).await),
        ("COMPLETED".into(), "WAITING".into())
    );

    // Termination protection: TerminateJobFlows refuses in the service's words, and ends nothing.
    ok(
        &emulator,
        "SetTerminationProtection",
        json!({"JobFlowIds": [id], "TerminationProtected": true}),
    )
    .await;
    let refused = err(&emulator, "TerminateJobFlows", json!({"JobFlowIds": [id]})).await;
    assert_eq!(
        refused,
        (
            400,
            "ValidationException".into(),
            "Could not shut down one or more job flows since they are termination protected.".into()
        )
    );
    assert_eq!(state(&emulator, &id).await, "WAITING");
    ok(
        &emulator,
        "SetTerminationProtection",
        json!({"JobFlowIds": [id], "TerminationProtected": false}),
    )
    .await;
    ok(&emulator, "TerminateJobFlows", json!({"JobFlowIds": [id]})).await;
    assert_eq!(state(&emulator, &id).await, "TERMINATING");
    let refused = err(
        &emulator,
        "AddJobFlowSteps",
        json!({"JobFlowId": id, "Steps": [step("late", "CONTINUE")]}),
    )
    .await;
    assert_eq!(
        refused.2,
        "A job flow that is shutting down, terminated, or finished may not be modified."
    );
    emulator.advance(POLL).unwrap();
    let c = cluster(&emulator, &id).await;
    assert_eq!(c["Status"]["State"], "TERMINATED");
    assert_eq!(
        c["Status"]["StateChangeReason"],
        json!({"Code": "USER_REQUEST", "Message": "Terminated by user request"})
    );

    // Terminated clusters stay listable; unknown ids get the service's words.
    let listed = ok(&emulator, "ListClusters", json!({"ClusterStates": ["TERMINATED"]})).await;
    assert_eq!(listed["Clusters"][0]["Id"], id.as_str());
    let unknown = err(&emulator, "DescribeCluster", json!({"ClusterId": "j-NOTACLUSTER1"})).await;
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
        "AddJobFlowSteps",
        json!({"JobFlowId": "j-NOTACLUSTER1", "Steps": []}),
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
}

#[tokio::test]
async fn a_transient_cluster_terminates_after_its_steps_and_a_failing_step_can_end_it() {
    let emulator = start();
    let id = ok(
        &emulator,
        "RunJobFlow",
        run_job_flow("nightly", false, &[("only", "CONTINUE")]),
    )
    .await["JobFlowId"]
        .as_str()
        .unwrap()
        .to_owned();
    emulator.advance(POLL * 3).unwrap();
    let c = cluster(&emulator, &id).await;
    assert_eq!(c["Status"]["State"], "TERMINATING");
    assert_eq!(c["Status"]["StateChangeReason"]["Code"], "ALL_STEPS_COMPLETED");
    emulator.advance(POLL).unwrap();
    assert_eq!(state(&emulator, &id).await, "TERMINATED");

    // A fault makes the step named "broken" fail; TERMINATE_CLUSTER ends the cluster with errors.
    assert_eq!(
        control(&emulator, "faults", json!({"failing_steps": ["broken"]})).await,
        200
    );
    let id = ok(
        &emulator,
        "RunJobFlow",
        run_job_flow("etl", true, &[("broken", "TERMINATE_CLUSTER"), ("after", "CONTINUE")]),
    )
    .await["JobFlowId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(control(&emulator, "advance", json!({"seconds": 150})).await, 200);
    let c = cluster(&emulator, &id).await;
    assert_eq!(
        (
            c["Status"]["State"].as_str(),
            c["Status"]["StateChangeReason"]["Code"].as_str()
        ),
        (Some("TERMINATED_WITH_ERRORS"), Some("STEP_FAILURE"))
    );
    let steps = ok(
        &emulator,
        "ListSteps",
        json!({"ClusterId": id, "StepStates": ["FAILED"]}),
    )
    .await;
    let failed = &steps["Steps"][0];
    assert_eq!(failed["Name"], "broken");
    assert_eq!(
        failed["Status"]["FailureDetails"]["LogFile"],
        format!("s3://logs/emr/{id}/steps/{}/stderr.gz", failed["Id"].as_str().unwrap())
    );
    assert_eq!(step_states(&emulator, &id).await, ["CANCELLED", "FAILED"]);

    // A fault makes a named cluster fail to bootstrap.
    assert_eq!(
        control(&emulator, "faults", json!({"bootstrap_failures": ["fragile"]})).await,
        200
    );
    let id = ok(&emulator, "RunJobFlow", run_job_flow("fragile", true, &[])).await["JobFlowId"]
        .as_str()
        .unwrap()
        .to_owned();
    emulator.advance(POLL * 3).unwrap();
    let c = cluster(&emulator, &id).await;
    assert_eq!(
        (
            c["Status"]["State"].as_str(),
            c["Status"]["StateChangeReason"]["Code"].as_str()
        ),
        (Some("TERMINATED_WITH_ERRORS"), Some("BOOTSTRAP_FAILURE"))
    );
    assert!(c["Status"]["Timeline"].get("ReadyDateTime").is_none());
}

#[tokio::test]
async fn steps_run_concurrently_up_to_the_level_and_can_be_cancelled() {
    let emulator = start();
    let id = ok(
        &emulator,
        "RunJobFlow",
        run_job_flow("c", true, &[("a", "CONTINUE"), ("b", "CONTINUE"), ("c", "CONTINUE")]),
    )
    .await["JobFlowId"]
        .as_str()
        .unwrap()
        .to_owned();
    let modified = ok(
        &emulator,
        "ModifyCluster",
        json!({"ClusterId": id, "StepConcurrencyLevel": 2}),
    )
    .await;
    assert_eq!(modified["StepConcurrencyLevel"], 2);
    emulator.advance(POLL * 2).unwrap();
    assert_eq!(step_states(&emulator, &id).await, ["PENDING", "RUNNING", "RUNNING"]);
    let newest = ok(&emulator, "ListSteps", json!({"ClusterId": id})).await["Steps"][0]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cancelled = ok(
        &emulator,
        "CancelSteps",
        json!({"ClusterId": id, "StepIds": [newest, "s-NOTASTEP0001"]}),
    )
    .await;
    assert_eq!(cancelled["CancelStepsInfoList"][0]["Status"], "SUBMITTED");
    assert_eq!(cancelled["CancelStepsInfoList"][1]["Status"], "FAILED");
    assert_eq!(step_states(&emulator, &id).await, ["CANCELLED", "RUNNING", "RUNNING"]);
}

#[tokio::test]
async fn lists_page_at_fifty_and_active_steps_stop_at_256() {
    let emulator = start();
    for n in 0..51 {
        ok(&emulator, "RunJobFlow", run_job_flow(&format!("c{n}"), true, &[])).await;
        emulator.advance(Duration::from_secs(1)).unwrap();
    }
    let first = ok(&emulator, "ListClusters", json!({})).await;
    assert_eq!(first["Clusters"].as_array().unwrap().len(), 50);
    assert_eq!(first["Clusters"][0]["Name"], "c50", "newest first");
    let marker = first["Marker"].as_str().unwrap();
    let second = ok(&emulator, "ListClusters", json!({"Marker": marker})).await;
    assert_eq!(second["Clusters"].as_array().unwrap().len(), 1);
    assert_eq!(second["Clusters"][0]["Name"], "c0");
    assert!(second.get("Marker").is_none());
    let starting = ok(
        &emulator,
        "ListClusters",
        json!({"ClusterStates": ["STARTING", "BOOTSTRAPPING"]}),
    )
    .await;
    // The first was created 51 s ago: none is RUNNING yet.
    assert_eq!(starting["Clusters"].as_array().unwrap().len(), 50);
    let running = ok(
        &emulator,
        "ListClusters",
        json!({"ClusterStates": ["RUNNING", "WAITING"]}),
    )
    .await;
    assert_eq!(running["Clusters"], json!([]));
    emulator.advance(POLL * 3).unwrap();
    let waiting = ok(&emulator, "ListClusters", json!({"ClusterStates": ["WAITING"]})).await;
    assert_eq!(
        waiting["Clusters"].as_array().unwrap().len(),
        50,
        "a filtered list pages at 50 too"
    );
    assert!(waiting.get("Marker").is_some());
    let bad = err(&emulator, "ListClusters", json!({"Marker": "bm90IGFuIGlk"})).await;
    assert_eq!(bad.1, "InvalidRequestException");

    let id = first["Clusters"][0]["Id"].as_str().unwrap().to_owned();
    let steps: Vec<Value> = (0..256).map(|n| step(&format!("s{n}"), "CONTINUE")).collect();
    ok(&emulator, "AddJobFlowSteps", json!({"JobFlowId": id, "Steps": steps})).await;
    let refused = err(
        &emulator,
        "AddJobFlowSteps",
        json!({"JobFlowId": id, "Steps": [step("one too many", "CONTINUE")]}),
    )
    .await;
    assert_eq!(
        refused,
        (
            400,
            "ValidationException".into(),
            "Maximum number of active steps(State = 'Running', 'Pending' or 'Cancel_Pending') for cluster exceeded."
                .into()
        )
    );
    let page = ok(&emulator, "ListSteps", json!({"ClusterId": id})).await;
    assert_eq!(page["Steps"].as_array().unwrap().len(), 50);
    assert_eq!(page["Steps"][0]["Name"], "s255");
    let next = ok(
        &emulator,
        "ListSteps",
        json!({"ClusterId": id, "Marker": page["Marker"]}),
    )
    .await;
    assert_eq!(next["Steps"][0]["Name"], "s205");
}

#[tokio::test]
async fn throttling_and_server_errors_come_in_the_share_asked_for_and_never_by_default() {
    let emulator = start();
    for _ in 0..8 {
        ok(&emulator, "ListClusters", json!({})).await;
    }
    assert_eq!(control(&emulator, "faults", json!({"throttle": 0.5})).await, 200);
    let mut codes = Vec::new();
    for _ in 0..4 {
        codes.push(err(&emulator, "ListClusters", json!({})).await.1);
    }
    assert_eq!(
        codes.iter().filter(|c| *c == "ThrottlingException").count(),
        2,
        "{codes:?}"
    );
    assert_eq!(control(&emulator, "faults", json!({"server_errors": 1.0})).await, 200);
    let (status, code, _) = err(&emulator, "ListClusters", json!({})).await;
    assert_eq!((status, code.as_str()), (500, "InternalFailure"));
    assert_eq!(control(&emulator, "faults", json!({"throttle": 2})).await, 400);
    assert_eq!(control(&emulator, "faults", json!({"nonsense": 1})).await, 400);
    assert_eq!(control(&emulator, "nothing", json!({})).await, 400);
    assert_eq!(control(&emulator, "faults", json!({})).await, 200);
    ok(&emulator, "ListClusters", json!({})).await;

    // On real time, the clock cannot be advanced.
    let real = support::start();
    assert_eq!(control(&real, "advance", json!({"seconds": 30})).await, 400);
    assert!(real.advance(POLL).is_err());
}

#[tokio::test]
async fn every_operation_is_performed_and_none_says_it_is_not() {
    let emulator = start();
    assert_eq!(served().count() + NOT_SERVED.len(), 65);
    for op in NOT_SERVED {
        let (status, code, message) = err(&emulator, op, json!({})).await;
        match (status, code.as_str()) {
            (501, "NotImplementedException") => assert!(message.contains(op), "{message}"),
            // Its input is still decoded and validated first.
            (400, "ValidationException") => assert!(message.contains("Member must not be null"), "{op}: {message}"),
            other => panic!("{op}: {other:?} {message}"),
        }
    }
    // Every operation of the model is performed now; the loop above checks any the model adds later.
    assert_eq!(served().count(), 65);
    for op in served() {
        let (status, code, message) = err(&emulator, op, json!({})).await;
        assert_ne!(code, "NotImplementedException", "{op}: {status} {message}");
    }
}
