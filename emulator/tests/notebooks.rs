//! Notebook executions through `lean-emr`, on the emulator's manual clock: started on an active cluster, through
//! their states to FINISHED or (stopped) STOPPED, described, listed with filters and pages, kept through a restart;
//! and their errors.

mod support;

use lean_emr::operation::describe_notebook_execution::DescribeNotebookExecutionError;
use lean_emr::operation::start_notebook_execution::StartNotebookExecutionError;
use lean_emr::types::{ExecutionEngineConfig, NotebookExecutionStatus, OutputNotebookS3LocationFromInput};
use lean_emr::Client;
use serde_json::json;
use std::time::Duration;
use support::{cluster, err, ok, run_job_flow};

const POLL: Duration = Duration::from_secs(30);

async fn start(client: &Client, cluster: &str, editor: &str) -> String {
    client
        .start_notebook_execution()
        .editor_id(editor)
        .relative_path("analysis/report.ipynb")
        .notebook_execution_name("report")
        .execution_engine(ExecutionEngineConfig::builder().id(cluster).build())
        .service_role("EMR_Notebooks_DefaultRole")
        .output_notebook_s3_location(
            OutputNotebookS3LocationFromInput::builder()
                .bucket("out-bucket")
                .key("runs/report.ipynb")
                .build(),
        )
        .send()
        .await
        .expect("StartNotebookExecution succeeds")
        .notebook_execution_id
        .expect("an execution id")
}

async fn status(client: &Client, id: &str) -> NotebookExecutionStatus {
    let out = client
        .describe_notebook_execution()
        .notebook_execution_id(id)
        .send()
        .await
        .unwrap();
    out.notebook_execution().unwrap().status().unwrap().clone()
}

#[tokio::test]
async fn an_execution_runs_to_finished_on_the_clock_and_another_is_stopped() {
    let emulator = support::start_manual();
    let client = support::client(&emulator);
    let id = cluster(&emulator, run_job_flow("notebooks", true, &[])).await;

    // Not on a cluster that is still starting, nor one that is not there, nor without a notebook.
    let early = client
        .start_notebook_execution()
        .editor_id("e-1")
        .relative_path("a.ipynb")
        .execution_engine(ExecutionEngineConfig::builder().id(&id).build())
        .service_role("r")
        .send()
        .await
        .unwrap_err();
    match early.into_service_error() {
        StartNotebookExecutionError::InvalidRequestException(e) => assert_eq!(
            e.message.as_deref(),
            Some(
                format!("Cluster {id} is STARTING: a notebook execution needs a RUNNING or WAITING cluster.").as_str()
            )
        ),
        other => panic!("{other}"),
    }
    let engine = json!({"Id": "j-NOTACLUSTER1"});
    let body = json!({"EditorId": "e-1", "RelativePath": "a.ipynb", "ExecutionEngine": engine, "ServiceRole": "r"});
    let unknown = err(&emulator, "StartNotebookExecution", body).await;
    assert_eq!(
        unknown,
        (
            400,
            "InvalidRequestException".into(),
            "Cluster id 'j-NOTACLUSTER1' is not valid.".into()
        )
    );
    let body = json!({"ExecutionEngine": {"Id": id}, "ServiceRole": "r"});
    let nothing = err(&emulator, "StartNotebookExecution", body).await;
    assert_eq!(
        nothing.2,
        "Specify either EditorId and RelativePath, or NotebookS3Location, for the notebook to execute."
    );

    emulator.advance(POLL * 2).unwrap();
    let first = start(&client, &id, "e-ABCDEFGHIJKLMNOPQRSTUVWXY").await;
    assert!(first.starts_with("ex-") && first.len() == 16, "{first}");
    let described = client
        .describe_notebook_execution()
        .notebook_execution_id(&first)
        .send()
        .await
        .unwrap();
    let e = described.notebook_execution().unwrap();
    assert_eq!(e.status(), Some(&NotebookExecutionStatus::StartPending));
    assert_eq!(
        e.arn(),
        Some(format!("arn:aws:elasticmapreduce:us-east-1:123456789012:notebook-execution/{first}").as_str())
    );
    assert_eq!(e.execution_engine().and_then(|c| c.id()), Some(id.as_str()));
    assert_eq!((e.end_time(), e.output_notebook_uri()), (None, None));

    let mut seen = Vec::new();
    for _ in 0..4 {
        emulator.advance(POLL).unwrap();
        seen.push(status(&client, &first).await);
    }
    assert_eq!(
        seen,
        [
            NotebookExecutionStatus::Starting,
            NotebookExecutionStatus::Running,
            NotebookExecutionStatus::Finishing,
            NotebookExecutionStatus::Finished
        ]
    );
    let done = client
        .describe_notebook_execution()
        .notebook_execution_id(&first)
        .send()
        .await
        .unwrap();
    let done = done.notebook_execution().unwrap();
    assert_eq!(done.output_notebook_uri(), Some("s3://out-bucket/runs/report.ipynb"));
    assert!(done.end_time().is_some());

    // A second one, from S3, stopped while it runs.
    let from_s3 = ok(
        &emulator,
        "StartNotebookExecution",
        json!({"NotebookS3Location": {"Bucket": "nb", "Key": "b.ipynb"}, "ExecutionEngine": {"Id": id},
               "ServiceRole": "r"}),
    )
    .await["NotebookExecutionId"]
        .as_str()
        .unwrap()
        .to_owned();
    emulator.advance(POLL * 2).unwrap();
    assert_eq!(status(&client, &from_s3).await, NotebookExecutionStatus::Running);
    client
        .stop_notebook_execution()
        .notebook_execution_id(&from_s3)
        .send()
        .await
        .unwrap();
    assert_eq!(status(&client, &from_s3).await, NotebookExecutionStatus::Stopping);
    emulator.advance(POLL).unwrap();
    assert_eq!(status(&client, &from_s3).await, NotebookExecutionStatus::Stopped);
    let again = err(
        &emulator,
        "StopNotebookExecution",
        json!({"NotebookExecutionId": from_s3}),
    )
    .await;
    assert_eq!(
        again.2,
        format!("Notebook execution {from_s3} is STOPPED and cannot be stopped.")
    );

    // Listed newest first, filtered by status, editor and engine, paged with Marker.
    let all = client.list_notebook_executions().send().await.unwrap();
    let ids: Vec<&str> = all
        .notebook_executions()
        .iter()
        .map(|s| s.notebook_execution_id().unwrap())
        .collect();
    assert_eq!(ids, [from_s3.as_str(), first.as_str()]);
    let finished = client
        .list_notebook_executions()
        .status(NotebookExecutionStatus::Finished)
        .send()
        .await
        .unwrap();
    assert_eq!(finished.notebook_executions().len(), 1);
    let by_editor = ok(
        &emulator,
        "ListNotebookExecutions",
        json!({"EditorId": "e-ABCDEFGHIJKLMNOPQRSTUVWXY"}),
    )
    .await;
    assert_eq!(
        by_editor["NotebookExecutions"][0]["NotebookExecutionId"],
        first.as_str()
    );
    let elsewhere = ok(
        &emulator,
        "ListNotebookExecutions",
        json!({"ExecutionEngineId": "j-OTHER0000001"}),
    )
    .await;
    assert_eq!(elsewhere["NotebookExecutions"], json!([]));
    let later = ok(&emulator, "ListNotebookExecutions", json!({"From": 1_700_000_500})).await;
    assert_eq!(later["NotebookExecutions"], json!([]));
    for _ in 0..50 {
        start(&client, &id, "e-many").await;
    }
    let page = client.list_notebook_executions().send().await.unwrap();
    assert_eq!(page.notebook_executions().len(), 50);
    let rest = client
        .list_notebook_executions()
        .marker(page.marker().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!((rest.notebook_executions().len(), rest.marker()), (2, None));

    let missing = client
        .describe_notebook_execution()
        .notebook_execution_id("ex-NOTANEXEC001")
        .send()
        .await
        .unwrap_err();
    match missing.into_service_error() {
        DescribeNotebookExecutionError::InvalidRequestException(e) => {
            assert_eq!(
                e.message.as_deref(),
                Some("Notebook execution id 'ex-NOTANEXEC001' is not valid.")
            )
        }
        other => panic!("{other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notebook_executions_survive_a_restart() {
    let dir = std::env::temp_dir().join(format!("lean-emr-emulator-notebooks-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.json");
    let clock = lean_aws_runtime::clock::ManualClock::from_epoch_secs(1_700_000_000);
    let settings = || support::settings().manual_clock(clock.clone()).state_file(&file);
    let (execution, before) = {
        let emulator = lean_emr_emulator::start(settings()).unwrap();
        let client = support::client(&emulator);
        let id = cluster(&emulator, run_job_flow("kept", true, &[])).await;
        emulator.advance(POLL * 2).unwrap();
        let execution = start(&client, &id, "e-kept").await;
        emulator.advance(POLL * 2).unwrap();
        let before = ok(
            &emulator,
            "DescribeNotebookExecution",
            json!({"NotebookExecutionId": execution}),
        )
        .await;
        assert_eq!(before["NotebookExecution"]["Status"], "RUNNING");
        (execution, before)
    };
    let emulator = lean_emr_emulator::start(settings()).unwrap();
    let after = ok(
        &emulator,
        "DescribeNotebookExecution",
        json!({"NotebookExecutionId": execution}),
    )
    .await;
    assert_eq!(after, before);
    // A new execution after the restart does not take the kept one's id.
    let client = support::client(&emulator);
    let cluster_id = before["NotebookExecution"]["ExecutionEngine"]["Id"].as_str().unwrap();
    assert_ne!(start(&client, cluster_id, "e-new").await, execution);
    let _ = std::fs::remove_dir_all(&dir);
}
