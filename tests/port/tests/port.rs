//! Programs written for aws-sdk-emr 1.132 (`aws/`), ported by changing the crate path and the line that builds
//! the client (`src/bin/`), run against a loopback server that answers as EMR does.
//!
//! The first test holds the port to that rule: each program in `src/bin/` is its original with `aws_sdk_emr`
//! replaced by `lean_emr` and aws-config's two client lines by `lean_emr::Client::from_env()`, and nothing else.
//! The others run each program (as a separate process, configured by the environment as a user's would be) and
//! check what it printed, its exit code, and what reached the service.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use test_support::{reply, Recorded, Reply, Server};

/// The two lines aws-sdk-emr's examples build a client with, and the one line that replaces them.
const AWS_CLIENT: &str =
    "    let config = aws_config::load_from_env().await;\n    let client = aws_sdk_emr::Client::new(&config);\n";
const LEAN_CLIENT: &str = "    let client = lean_emr::Client::from_env();\n";

const PROGRAMS: [&str; 6] = [
    "errors",
    "inventory",
    "lifecycle",
    "policies",
    "sdk_error",
    "spark_step",
];

#[test]
fn each_program_is_its_aws_sdk_emr_original_with_the_crate_path_and_client_line_changed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut originals: Vec<String> = std::fs::read_dir(root.join("aws"))
        .expect("aws/")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    originals.sort();
    let expected: Vec<String> = PROGRAMS.iter().map(|p| format!("{p}.rs")).collect();
    assert_eq!(originals, expected, "every original has its port, and is run below");
    for name in &originals {
        let original = std::fs::read_to_string(root.join("aws").join(name)).expect("the original");
        assert_eq!(
            original.matches(AWS_CLIENT).count(),
            1,
            "{name} builds its client once, as aws-config does"
        );
        let ported = std::fs::read_to_string(root.join("src/bin").join(name)).expect("the port");
        let by_rule = original
            .replace(AWS_CLIENT, LEAN_CLIENT)
            .replace("aws_sdk_emr", "lean_emr");
        assert!(
            ported == by_rule,
            "src/bin/{name} is not aws/{name} with only the crate path and client line changed"
        );
    }
}

/// What a program did: its output, exit code, and the requests the service received (target, body).
struct Run {
    stdout: String,
    stderr: String,
    code: Option<i32>,
    requests: Vec<(String, Value)>,
}

/// Runs program `name` with `args` against a loopback service that answers each request with `route` (given the
/// operation name and the request body).
async fn run(
    name: &str,
    args: &[&str],
    requests: usize,
    route: impl FnMut(&str, &Value) -> Reply + Send + 'static,
) -> Run {
    let route = Arc::new(Mutex::new(route));
    let server = Server::route(requests, move |r: &Recorded| {
        let target = r.header("x-amz-target").unwrap_or_default();
        let operation = target.strip_prefix("ElasticMapReduce.").unwrap_or(target).to_owned();
        let body: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
        let mut route = route.lock().expect("the route");
        (*route)(&operation, &body).header("x-amzn-RequestId", "rid-port")
    })
    .await;
    let missing = std::env::temp_dir().join("lean-emr-port-no-such-file");
    let output = tokio::process::Command::new(program(name))
        .args(args)
        .env_clear()
        .env("AWS_ENDPOINT_URL", server.url())
        .env("AWS_REGION", "eu-west-1")
        .env("AWS_ACCESS_KEY_ID", "AKIDPORT")
        .env("AWS_SECRET_ACCESS_KEY", "port-secret")
        .env("AWS_CONFIG_FILE", &missing)
        .env("AWS_SHARED_CREDENTIALS_FILE", &missing)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        // One attempt per call: a 500 is the program's to handle, not the retry policy's.
        .env("AWS_MAX_ATTEMPTS", "1")
        .output()
        .await
        .expect("the program runs");
    let requests = server
        .finish()
        .await
        .iter()
        .map(|r| {
            let target = r.header("x-amz-target").unwrap_or_default();
            let operation = target.strip_prefix("ElasticMapReduce.").unwrap_or(target).to_owned();
            (operation, serde_json::from_slice(&r.body).unwrap_or(Value::Null))
        })
        .collect();
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code(),
        requests,
    }
}

fn program(name: &str) -> &'static str {
    match name {
        "errors" => env!("CARGO_BIN_EXE_errors"),
        "inventory" => env!("CARGO_BIN_EXE_inventory"),
        "lifecycle" => env!("CARGO_BIN_EXE_lifecycle"),
        "policies" => env!("CARGO_BIN_EXE_policies"),
        "sdk_error" => env!("CARGO_BIN_EXE_sdk_error"),
        "spark_step" => env!("CARGO_BIN_EXE_spark_step"),
        other => panic!("no program {other}"),
    }
}

fn ok(body: Value) -> Reply {
    reply(200, body.to_string())
}

fn error(status: u16, code: &str, message: &str) -> Reply {
    reply(status, json!({ "__type": code, "Message": message }).to_string())
}

fn operations(run: &Run) -> Vec<&str> {
    run.requests.iter().map(|(op, _)| op.as_str()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn inventory_pages_by_hand_and_with_the_paginator() {
    let cluster = |id: &str, name: &str, state: &str, hours: i32| json!({ "Id": id, "Name": name, "Status": { "State": state }, "NormalizedInstanceHours": hours });
    let page_1 = json!({ "Clusters": [cluster("j-1", "alpha", "WAITING", 8), cluster("j-2", "beta", "RUNNING", 16)], "Marker": "m-1" });
    let page_2 = json!({ "Clusters": [cluster("j-3", "gamma", "WAITING", 0)] });
    let run = run("inventory", &[], 4, move |op, body| {
        assert_eq!(op, "ListClusters");
        if body.get("Marker") == Some(&json!("m-1")) {
            ok(page_2.clone())
        } else {
            ok(page_1.clone())
        }
    })
    .await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "by hand: 3 clusters\nRUNNING: 1\nWAITING: 2\nj-1 alpha 8\nj-2 beta 16\nj-3 gamma 0\n"
    );
    let states = json!(["WAITING", "RUNNING"]);
    let bodies: Vec<&Value> = run.requests.iter().map(|(_, b)| b).collect();
    assert_eq!(
        bodies,
        [
            &json!({ "ClusterStates": states }),
            &json!({ "ClusterStates": states, "Marker": "m-1" }),
            &json!({ "ClusterStates": states }),
            &json!({ "ClusterStates": states, "Marker": "m-1" })
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn spark_step_sends_the_step_built_with_appending_setters() {
    let run = run("spark_step", &["j-1", "s3://bucket/job.py", "--day", "2026-12-01"], 2, |op, body| match op {
        "AddJobFlowSteps" => ok(json!({ "StepIds": ["s-1"] })),
        "DescribeStep" => {
            assert_eq!(body, &json!({ "ClusterId": "j-1", "StepId": "s-1" }));
            ok(json!({ "Step": { "Id": "s-1", "Status": { "State": "PENDING" },
                "Config": { "Jar": "command-runner.jar", "Args": ["spark-submit", "--deploy-mode", "cluster", "s3://bucket/job.py", "--day", "2026-12-01"] } } }))
        }
        other => panic!("unexpected {other}"),
    })
    .await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "step: s-1\nstate: PENDING\nargs: spark-submit --deploy-mode cluster s3://bucket/job.py --day 2026-12-01\n"
    );
    assert_eq!(operations(&run), ["AddJobFlowSteps", "DescribeStep"]);
    assert_eq!(
        run.requests[0].1,
        json!({ "JobFlowId": "j-1", "Steps": [{
            "Name": "spark job",
            "ActionOnFailure": "CONTINUE",
            "HadoopJarStep": { "Jar": "command-runner.jar",
                "Args": ["spark-submit", "--deploy-mode", "cluster", "s3://bucket/job.py", "--day", "2026-12-01"] }
        }] })
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn spark_step_without_arguments_prints_its_usage_and_sends_nothing() {
    let run = run("spark_step", &[], 0, |op, _| panic!("nothing is sent, got {op}")).await;
    assert_eq!(run.code, Some(2));
    assert_eq!(run.stderr, "usage: spark_step CLUSTER_ID S3_SCRIPT [ARG...]\n");
    assert!(run.requests.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn lifecycle_waits_is_refused_while_protected_and_terminates() {
    #[derive(Default)]
    struct Cluster {
        protected: bool,
        terminated: bool,
    }
    let mut cluster = Cluster::default();
    let run = run("lifecycle", &[], 8, move |op, body| match op {
        "RunJobFlow" => {
            ok(json!({ "JobFlowId": "j-NEW", "ClusterArn": "arn:aws:elasticmapreduce:eu-west-1:1:cluster/j-NEW" }))
        }
        "DescribeCluster" => {
            let state = if cluster.terminated { "TERMINATED" } else { "RUNNING" };
            ok(json!({ "Cluster": { "Id": "j-NEW", "Name": "nightly", "Status": { "State": state } } }))
        }
        "SetTerminationProtection" => {
            cluster.protected = body["TerminationProtected"] == json!(true);
            ok(json!({}))
        }
        "TerminateJobFlows" if cluster.protected => error(
            400,
            "ValidationException",
            "Could not shut down one or more job flows since they are termination protected.",
        ),
        "TerminateJobFlows" => {
            cluster.terminated = true;
            ok(json!({}))
        }
        other => panic!("unexpected {other}"),
    })
    .await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "created: j-NEW\nrunning: RUNNING\n\
         refused: ValidationException: Could not shut down one or more job flows since they are termination protected.\n\
         terminated: j-NEW\n"
    );
    assert_eq!(
        operations(&run),
        [
            "RunJobFlow",
            "DescribeCluster",
            "SetTerminationProtection",
            "TerminateJobFlows",
            "SetTerminationProtection",
            "TerminateJobFlows",
            "DescribeCluster"
        ]
    );
    let run_job_flow = &run.requests[0].1;
    assert_eq!(
        run_job_flow["Instances"]["InstanceGroups"].as_array().map(Vec::len),
        Some(2),
        "two appended groups"
    );
    assert_eq!(
        run_job_flow["Instances"]["InstanceGroups"][1]["InstanceCount"],
        json!(2)
    );
    assert_eq!(run_job_flow["Applications"], json!([{ "Name": "Spark" }]));
    assert_eq!(run_job_flow["Tags"], json!([{ "Key": "team", "Value": "data" }]));
    assert_eq!(run.requests[3].1, json!({ "JobFlowIds": ["j-NEW"] }));
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_are_matched_read_through_metadata_and_carried_by_question_mark() {
    let message = "Cluster id 'j-NOTACLUSTER' is not valid.";
    let run = run("errors", &[], 2, move |_, _| {
        error(400, "InvalidRequestException", message)
    })
    .await;
    assert_eq!(run.code, Some(3));
    assert_eq!(
        run.stdout,
        format!("invalid request: {message}\ncrate error: InvalidRequestException: {message}\n")
    );

    let run = self::run("errors", &["j-1"], 2, |_, _| {
        error(500, "InternalServerException", "try later")
    })
    .await;
    assert_eq!(run.code, Some(3));
    assert_eq!(
        run.stdout,
        "server error: try later\ncrate error: InternalServerException\n"
    );

    let run = self::run("errors", &["j-1"], 2, |_, body| {
        assert_eq!(body, &json!({ "ClusterId": "j-1" }));
        ok(json!({ "Cluster": { "Id": "j-1", "Name": "nightly" } }))
    })
    .await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "found: nightly\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn sdk_error_variants_tell_failures_apart_and_metadata_is_read_generically() {
    let run = self::run("sdk_error", &[], 1, |_, _| {
        error(400, "InvalidRequestException", "bad marker")
    })
    .await;
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert_eq!(run.stdout, "service error: InvalidRequestException (bad marker)\n");

    let run = self::run("sdk_error", &[], 1, |_, _| {
        error(500, "InternalServerException", "try later")
    })
    .await;
    assert_eq!(run.code, Some(4), "{}", run.stderr);
    assert_eq!(run.stdout, "service error: InternalServerException (try later)\n");

    // The connection closes before any answer.
    let run = self::run("sdk_error", &[], 1, |_, _| Reply::Raw(Vec::new())).await;
    assert_eq!(run.code, Some(5), "{}", run.stderr);
    assert_eq!(run.stdout, "no response\n");

    let run = self::run("sdk_error", &[], 1, |_, _| {
        ok(json!({ "Clusters": [{ "Id": "j-1" }, { "Id": "j-2" }] }))
    })
    .await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "clusters: 2\n");
    assert_eq!(operations(&run), ["ListClusters"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn policies_are_set_and_read_back() {
    let mut stored: BTreeMap<&'static str, Value> = BTreeMap::new();
    let run = run("policies", &["j-1"], 6, move |op, body| match op {
        "PutAutoTerminationPolicy" => {
            stored.insert("auto", body["AutoTerminationPolicy"].clone());
            ok(json!({}))
        }
        "PutManagedScalingPolicy" => {
            stored.insert("scaling", body["ManagedScalingPolicy"].clone());
            ok(json!({}))
        }
        "GetManagedScalingPolicy" => ok(json!({ "ManagedScalingPolicy": stored["scaling"] })),
        "GetAutoTerminationPolicy" => ok(json!({ "AutoTerminationPolicy": stored["auto"] })),
        "PutBlockPublicAccessConfiguration" => {
            stored.insert("bpa", body["BlockPublicAccessConfiguration"].clone());
            ok(json!({}))
        }
        "GetBlockPublicAccessConfiguration" => ok(json!({
            "BlockPublicAccessConfiguration": stored["bpa"],
            "BlockPublicAccessConfigurationMetadata": { "CreationDateTime": 1764720000, "CreatedByArn": "arn:aws:iam::1:root" }
        })),
        other => panic!("unexpected {other}"),
    })
    .await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "managed scaling: max 10\nauto-termination: 3600 s idle\nblock public access: permitted 22-22\n"
    );
    assert_eq!(
        run.requests[1].1,
        json!({ "ClusterId": "j-1", "ManagedScalingPolicy": { "ComputeLimits": {
            "UnitType": "Instances", "MinimumCapacityUnits": 2, "MaximumCapacityUnits": 10 } } })
    );
    assert_eq!(
        run.requests[4].1,
        json!({ "BlockPublicAccessConfiguration": { "BlockPublicSecurityGroupRules": true,
            "PermittedPublicSecurityGroupRuleRanges": [{ "MinRange": 22, "MaxRange": 22 }] } })
    );
}
