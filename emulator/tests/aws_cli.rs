//! A third client nobody here wrote: the aws CLI (`awscli`, version 1) creates a cluster, waits for it, adds steps,
//! waits for them, describes and lists, and terminates, against the emulator with `--endpoint-url`; the exit codes
//! and the JSON it prints are checked, a failing step and a protected cluster included.
//!
//! The CLI's waiters poll every 30 s of real time. The emulator runs on its manual clock, and the test moves the
//! clock past each state before it starts the waiter: a botocore waiter asks once before it first sleeps, so each
//! `aws emr wait` answers from its first poll, having read the state through the model's own acceptors. Before
//! each wait the test checks, with `describe-cluster` or `list-steps`, that the state the waiter waits for had not
//! been reached yet, so a waiter that accepted anything would still be caught by the checks of its exit code on the
//! failing step. Nothing sleeps.
//!
//! The CLI comes from `LEAN_EMR_AWS_CLI` (`.ci/run` points it at the `aws` it installs into its virtual
//! environment), else `aws` on the `PATH`. Where there is none the test says so and passes, unless `CI` or
//! `LEAN_EMR_AWS_CLI` is set: then a missing CLI is a failure.

mod support;

use lean_aws_runtime::clock::ManualClock;
use lean_emr_emulator::lifecycle::Faults;
use lean_emr_emulator::Emulator;
use serde_json::Value;
use std::process::{Command, Output};
use std::time::Duration;

fn aws_cli() -> Option<String> {
    let explicit = std::env::var("LEAN_EMR_AWS_CLI").ok();
    let aws = explicit.clone().unwrap_or_else(|| "aws".to_owned());
    let works = Command::new(&aws)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some(aws);
    }
    if explicit.is_some() || std::env::var_os("CI").is_some() {
        panic!("{aws} --version fails: run `bash .ci/run`, or set LEAN_EMR_AWS_CLI to an aws CLI");
    }
    eprintln!("aws CLI test not run: no `aws` (`bash .ci/run` installs awscli into a virtual environment)");
    None
}

struct Cli<'e> {
    aws: String,
    emulator: &'e Emulator,
}

impl Cli<'_> {
    /// Runs `aws emr <args>` and returns its output.
    async fn run(&self, args: &[&str]) -> Output {
        let mut command = Command::new(&self.aws);
        command
            .arg("emr")
            .args(args)
            .args(["--endpoint-url", self.emulator.url(), "--output", "json"])
            .env("AWS_ACCESS_KEY_ID", support::ACCESS_KEY)
            .env("AWS_SECRET_ACCESS_KEY", support::SECRET)
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env_remove("AWS_SESSION_TOKEN")
            .env_remove("AWS_PROFILE")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_PAGER", "");
        // The emulator serves on this runtime's workers while the CLI runs.
        tokio::task::spawn_blocking(move || command.output())
            .await
            .unwrap()
            .unwrap()
    }

    /// Runs `aws emr <args>`, which must succeed, and parses what it prints (`null` when it prints nothing).
    async fn json(&self, args: &[&str]) -> Value {
        let output = self.run(args).await;
        assert!(
            output.status.success(),
            "aws emr {args:?}: {}\n{}",
            output.status,
            text(&output.stderr)
        );
        let stdout = text(&output.stdout);
        if stdout.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("aws emr {args:?} printed {stdout}: {e}"))
        }
    }

    async fn state(&self, cluster: &str) -> String {
        let described = self.json(&["describe-cluster", "--cluster-id", cluster]).await;
        described["Cluster"]["Status"]["State"].as_str().unwrap().to_owned()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const POLL: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_aws_cli_runs_a_cluster_and_its_steps() {
    let Some(aws) = aws_cli() else { return };
    let settings = support::settings().manual_clock(ManualClock::from_epoch_secs(1_700_000_000));
    let emulator = lean_emr_emulator::start(settings).unwrap();
    emulator
        .set_faults(Faults {
            failing_steps: ["broken".to_owned()].into(),
            ..Faults::default()
        })
        .unwrap();
    let cli = Cli {
        aws,
        emulator: &emulator,
    };

    let created = cli
        .json(&[
            "create-cluster",
            "--name",
            "cli",
            "--release-label",
            "emr-7.5.0",
            "--applications",
            "Name=Spark",
            "--instance-type",
            "m5.xlarge",
            "--instance-count",
            "3",
            "--use-default-roles",
            "--log-uri",
            "s3://logs/emr/",
        ])
        .await;
    let id = created["ClusterId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("j-"), "{created}");
    assert_eq!(cli.state(&id).await, "STARTING");

    emulator.advance(POLL * 2).unwrap();
    let waited = cli.run(&["wait", "cluster-running", "--cluster-id", &id]).await;
    assert!(waited.status.success(), "{}", text(&waited.stderr));

    let steps = cli
        .json(&[
            "add-steps",
            "--cluster-id",
            &id,
            "--steps",
            "Type=CUSTOM_JAR,Name=works,ActionOnFailure=CONTINUE,Jar=command-runner.jar,Args=[spark-submit,ok.py]",
            "Type=CUSTOM_JAR,Name=broken,ActionOnFailure=CONTINUE,Jar=command-runner.jar,Args=[spark-submit,bad.py]",
        ])
        .await;
    let step_ids: Vec<String> = steps["StepIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(step_ids.len(), 2);
    let listed = cli.json(&["list-steps", "--cluster-id", &id]).await;
    assert_eq!(listed["Steps"][0]["Status"]["State"], "PENDING");

    emulator.advance(POLL * 3).unwrap();
    let waited = cli
        .run(&["wait", "step-complete", "--cluster-id", &id, "--step-id", &step_ids[0]])
        .await;
    assert!(waited.status.success(), "{}", text(&waited.stderr));
    let failed = cli
        .run(&["wait", "step-complete", "--cluster-id", &id, "--step-id", &step_ids[1]])
        .await;
    assert!(!failed.status.success(), "a failed step is not complete");
    assert!(
        text(&failed.stderr).contains("terminal failure state"),
        "{}",
        text(&failed.stderr)
    );

    let listed = cli.json(&["list-steps", "--cluster-id", &id]).await;
    let steps = listed["Steps"].as_array().unwrap();
    assert_eq!(
        (steps[0]["Name"].as_str(), steps[0]["Status"]["State"].as_str()),
        (Some("broken"), Some("FAILED"))
    );
    assert!(steps[0]["Status"]["FailureDetails"]["LogFile"]
        .as_str()
        .unwrap()
        .starts_with("s3://logs/emr/"));
    assert_eq!(
        (steps[1]["Name"].as_str(), steps[1]["Status"]["State"].as_str()),
        (Some("works"), Some("COMPLETED"))
    );

    // describe-cluster also lists the instance groups and bootstrap actions.
    let described = cli.json(&["describe-cluster", "--cluster-id", &id]).await;
    let cluster = &described["Cluster"];
    assert_eq!(cluster["Status"]["State"], "WAITING");
    assert_eq!(cluster["InstanceGroups"].as_array().unwrap().len(), 2, "{cluster}");
    assert_eq!(cluster["BootstrapActions"], Value::Array(Vec::new()));
    assert_eq!(cluster["ServiceRole"], "EMR_DefaultRole");

    // A protected cluster: terminate-clusters fails with the service's message, and the cluster runs on.
    let protected = cli
        .json(&[
            "create-cluster",
            "--name",
            "protected",
            "--release-label",
            "emr-7.5.0",
            "--instance-type",
            "m5.xlarge",
            "--instance-count",
            "1",
            "--use-default-roles",
            "--termination-protected",
        ])
        .await["ClusterId"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = cli.run(&["terminate-clusters", "--cluster-ids", &protected]).await;
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr)
            .contains("Could not shut down one or more job flows since they are termination protected."),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(cli.state(&protected).await, "STARTING");
    cli.json(&[
        "modify-cluster-attributes",
        "--cluster-id",
        &protected,
        "--no-termination-protected",
    ])
    .await;

    cli.json(&["terminate-clusters", "--cluster-ids", &id, &protected])
        .await;
    assert_eq!(cli.state(&id).await, "TERMINATING");
    emulator.advance(POLL).unwrap();
    for cluster in [&id, &protected] {
        let waited = cli.run(&["wait", "cluster-terminated", "--cluster-id", cluster]).await;
        assert!(waited.status.success(), "{}", text(&waited.stderr));
    }
    let described = cli.json(&["describe-cluster", "--cluster-id", &id]).await;
    assert_eq!(
        described["Cluster"]["Status"]["StateChangeReason"]["Code"],
        "USER_REQUEST"
    );
}
