//! A second, independent client: botocore (through boto3) drives the session-mapping workflow
//! (`botocore_workflow.py`) and the clusters and steps (`botocore_clusters.py`) against the emulator, which proves
//! the emulator speaks the protocol, not just `lean-emr`'s dialect of it.
//!
//! The Python comes from `LEAN_EMR_BOTO3_PYTHON` (`.ci/run` points it at the virtual environment it installs
//! boto3 into), else `python3`. Where neither has boto3 the test says so and passes, unless `CI` or
//! `LEAN_EMR_BOTO3_PYTHON` is set: then a missing boto3 is a failure.

mod support;

use lean_aws_runtime::clock::ManualClock;
use std::path::Path;
use std::process::Command;

fn python() -> Option<String> {
    test_support::python_with("boto3", "botocore test")
}

/// Runs `tests/<script>` with Python against `emulator`; it must succeed and print `done`.
async fn run_script(python: String, emulator: &lean_emr_emulator::Emulator, script: &str, done: &str) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(script);
    let mut command = Command::new(python);
    command
        .arg(script)
        .env("EMULATOR_URL", emulator.url())
        .env("AWS_ACCESS_KEY_ID", support::ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", support::SECRET)
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    // The emulator serves on this runtime's workers while Python runs.
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{done} failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains(done), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn botocore_drives_the_session_mapping_workflow() {
    let Some(python) = python() else { return };
    let emulator = support::start();
    run_script(python, &emulator, "botocore_workflow.py", "botocore workflow: ok").await;
}

/// The three waiters, the paginators and every cluster and step operation (`botocore_clusters.py`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn botocore_waits_pages_and_calls_every_cluster_operation() {
    let Some(python) = python() else { return };
    let settings = support::settings().manual_clock(ManualClock::from_epoch_secs(1_700_000_000));
    let emulator = lean_emr_emulator::start(settings).unwrap();
    run_script(python, &emulator, "botocore_clusters.py", "botocore clusters: ok").await;
}
