//! The cluster workflow through `lean-emr`'s own waiters, in process, on the emulator's manual clock: create a
//! cluster kept alive, `wait_until_cluster_running`, add a spark-submit step, `wait_until_step_complete`,
//! terminate, `wait_until_cluster_terminated`; a step that a fault makes fail, a cluster that fails to bootstrap,
//! and a termination-protected cluster that `TerminateJobFlows` refuses.
//!
//! Nothing here sleeps. The emulator's lifecycles, its signature check, and the client's clock and sleep are one
//! `ManualClock`: a waiter's sleep between polls moves that clock by the delay it asks for (the model's 30 s) and
//! returns at once, so each poll sees the state the cluster would be in that much later. A transport wrapped
//! around the real HTTP one records the state each answer carried, so the tests check what the waiters saw.

mod support;

use lean_aws_runtime::clock::ManualClock;
use lean_aws_runtime::time::BoxFuture;
use lean_aws_runtime::transport::{HttpRequest, HttpResponse, HttpsTransport, Transport, TransportError};
use lean_emr::client::Waiters;
use lean_emr::error::ProvideErrorMetadata;
use lean_emr::operation::describe_cluster::DescribeClusterOutput;
use lean_emr::types::{
    ActionOnFailure, Application, HadoopJarStepConfig, InstanceGroupConfig, InstanceRoleType, JobFlowInstancesConfig,
    StepConfig,
};
use lean_emr::{Client, Config, WaiterError};
use lean_emr_emulator::lifecycle::Faults;
use lean_emr_emulator::{Emulator, Settings};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Where the manual clock starts: 2023-11-14T22:13:20Z.
const T0: i64 = 1_700_000_000;
/// The model's delay between polls, for all three waiters.
const POLL: Duration = Duration::from_secs(30);
/// The longest any wait here may take, in model time: far more than any of them needs.
const MAX_WAIT: Duration = Duration::from_secs(30 * 60);
const FAILING_STEP: &str = "broken-job";
const FAILING_CLUSTER: &str = "bad-bootstrap";

/// Operation and the `Status.State` of its answer's cluster or step, for every call the client made.
type Seen = Vec<(String, Option<String>)>;

/// The real HTTP transport, recording each answer's `Cluster.Status.State` or `Step.Status.State`.
#[derive(Debug, Clone)]
struct Recording {
    inner: HttpsTransport,
    seen: Arc<Mutex<Seen>>,
}

impl Transport for Recording {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let operation = request
                .header("x-amz-target")
                .unwrap_or_default()
                .trim_start_matches("ElasticMapReduce.")
                .to_owned();
            let response = self.inner.send(request).await?;
            let body: serde_json::Value = serde_json::from_slice(&response.body).unwrap_or_default();
            let state = ["/Cluster/Status/State", "/Step/Status/State"]
                .iter()
                .find_map(|path| body.pointer(path)?.as_str())
                .map(str::to_owned);
            self.seen
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((operation, state));
            Ok(response)
        })
    }
}

struct World {
    emulator: Emulator,
    client: Client,
    clock: ManualClock,
    seen: Arc<Mutex<Seen>>,
}

impl World {
    fn new(faults: Faults) -> World {
        let clock = ManualClock::from_epoch_secs(T0 as u64);
        let settings: Settings = support::settings()
            .clock(clock.clone())
            .manual_clock(clock.clone())
            .faults(faults);
        let emulator = lean_emr_emulator::start(settings).expect("the emulator starts");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let transport = Recording {
            inner: HttpsTransport::new().expect("the HTTP transport builds"),
            seen: seen.clone(),
        };
        let config = Config::builder()
            .endpoint_url(emulator.url())
            .region(emulator.region())
            .credentials(emulator.credentials().clone())
            .clock(clock.clone())
            .sleep(clock.clone())
            // The emulator's answers carry a real-time `Date` header: the client would take its distance from the
            // manual clock for clock skew and sign at real time, which the emulator checks against the manual one.
            .disable_clock_skew_correction(true)
            .transport(transport)
            .build();
        World {
            client: Client::new(config),
            emulator,
            clock,
            seen,
        }
    }

    /// The states the answers to `operation` carried since the last call, in order; forgets every call so far.
    fn polls(&self, operation: &str) -> Vec<String> {
        let seen = std::mem::take(&mut *self.seen.lock().unwrap_or_else(PoisonError::into_inner));
        seen.into_iter()
            .filter(|(op, _)| op == operation)
            .map(|(_, state)| state.unwrap_or_else(|| format!("{operation} answered no state")))
            .collect()
    }

    /// Forgets every call so far (the helpers below call it: what the log keeps is the waiters' polls).
    fn forget(&self) {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    /// Every sleep the client asked for after the first `before`.
    fn sleeps_since(&self, before: usize) -> Vec<Duration> {
        self.clock.sleeps()[before..].to_vec()
    }

    /// Seconds on the shared clock since `T0`.
    fn now(&self) -> i64 {
        lean_emr_emulator::lifecycle::millis_since_epoch(lean_aws_runtime::clock::Clock::now(&self.clock)) / 1000 - T0
    }

    async fn create_cluster(&self, name: &str, protected: bool) -> String {
        let instances = JobFlowInstancesConfig::builder()
            .instance_groups(
                InstanceGroupConfig::builder()
                    .instance_role(InstanceRoleType::Master)
                    .instance_type("m5.xlarge")
                    .instance_count(1)
                    .build(),
            )
            .instance_groups(
                InstanceGroupConfig::builder()
                    .instance_role(InstanceRoleType::Core)
                    .instance_type("m5.xlarge")
                    .instance_count(2)
                    .build(),
            )
            .keep_job_flow_alive_when_no_steps(true)
            .termination_protected(protected)
            .build();
        let created = self
            .client
            .run_job_flow()
            .name(name)
            .release_label("emr-7.5.0")
            .log_uri("s3://logs/emr/")
            .applications(Application::builder().name("Spark").build())
            .instances(instances)
            .service_role("EMR_DefaultRole")
            .job_flow_role("EMR_EC2_DefaultRole")
            .send()
            .await
            .expect("RunJobFlow succeeds");
        self.forget();
        created.job_flow_id.expect("RunJobFlow returns the cluster id")
    }

    async fn add_step(&self, cluster: &str, name: &str, on_failure: ActionOnFailure) -> String {
        let step = StepConfig::builder()
            .name(name)
            .action_on_failure(on_failure)
            .hadoop_jar_step(
                HadoopJarStepConfig::builder()
                    .jar("command-runner.jar")
                    .args("spark-submit")
                    .args("--deploy-mode")
                    .args("cluster")
                    .args("s3://jobs/etl.py")
                    .build(),
            )
            .build();
        let added = self
            .client
            .add_job_flow_steps()
            .job_flow_id(cluster)
            .steps(step)
            .send()
            .await
            .expect("AddJobFlowSteps succeeds");
        self.forget();
        let ids = added.step_ids.expect("AddJobFlowSteps returns the step ids");
        assert_eq!(ids.len(), 1, "{ids:?}");
        ids[0].clone()
    }

    async fn describe(&self, cluster: &str) -> DescribeClusterOutput {
        let output = self
            .client
            .describe_cluster()
            .cluster_id(cluster)
            .send()
            .await
            .expect("DescribeCluster succeeds");
        self.forget();
        output
    }

    async fn cluster_state(&self, cluster: &str) -> String {
        let output = self.describe(cluster).await;
        state_of(&output)
    }
}

fn state_of(output: &DescribeClusterOutput) -> String {
    let state = output.cluster().and_then(|c| c.status()).and_then(|s| s.state());
    state.map(|s| s.as_str().to_owned()).unwrap_or_default()
}

fn strings(states: &[&str]) -> Vec<String> {
    states.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn a_cluster_runs_a_spark_step_and_terminates_through_the_sdk_waiters() {
    let world = World::new(Faults::default());
    let cluster = world.create_cluster("nightly", false).await;

    // Each state lasts one model delay: the waiter polls STARTING, sleeps 30 s, BOOTSTRAPPING, sleeps, RUNNING.
    let running = world
        .client
        .wait_until_cluster_running()
        .cluster_id(&cluster)
        .wait(MAX_WAIT)
        .await
        .expect("the cluster runs");
    let running = running.into_result().expect("the final poll is an answer");
    assert_eq!(state_of(&running), "RUNNING");
    assert_eq!(
        world.polls("DescribeCluster"),
        strings(&["STARTING", "BOOTSTRAPPING", "RUNNING"])
    );
    assert_eq!(world.sleeps_since(0), [POLL, POLL], "the model's delay, twice");
    assert_eq!(world.now(), 60, "the sleeps moved the emulator's clock");

    // A spark-submit step: PENDING for one delay, RUNNING for one, then COMPLETED.
    let step = world.add_step(&cluster, "etl", ActionOnFailure::Continue).await;
    let complete = world
        .client
        .wait_until_step_complete()
        .cluster_id(&cluster)
        .step_id(&step)
        .wait(MAX_WAIT)
        .await
        .expect("the step completes")
        .into_result()
        .expect("the final poll is an answer");
    let done = complete.step.expect("DescribeStep returns the step");
    assert_eq!(done.id.as_deref(), Some(step.as_str()));
    let jar = done.config.expect("the step's config");
    assert_eq!(
        jar.args.as_deref().unwrap_or_default(),
        strings(&["spark-submit", "--deploy-mode", "cluster", "s3://jobs/etl.py"])
    );
    assert_eq!(
        world.polls("DescribeStep"),
        strings(&["PENDING", "RUNNING", "COMPLETED"])
    );
    assert_eq!(world.sleeps_since(2), [POLL, POLL]);
    assert_eq!(
        world.cluster_state(&cluster).await,
        "WAITING",
        "kept alive after its step"
    );

    // Terminate: TERMINATING for one delay, then TERMINATED by user request.
    world
        .client
        .terminate_job_flows()
        .job_flow_ids(&cluster)
        .send()
        .await
        .expect("TerminateJobFlows succeeds");
    let terminated = world
        .client
        .wait_until_cluster_terminated()
        .cluster_id(&cluster)
        .wait(MAX_WAIT)
        .await
        .expect("the cluster terminates")
        .into_result()
        .expect("the final poll is an answer");
    assert_eq!(state_of(&terminated), "TERMINATED");
    assert_eq!(world.polls("DescribeCluster"), strings(&["TERMINATING", "TERMINATED"]));
    assert_eq!(world.sleeps_since(4), [POLL]);

    // The timeline is the waiters' sleeps, read on the emulator's side: ready after 60 s, ended after 150 s.
    let status = terminated.cluster.and_then(|c| c.status).expect("the cluster's status");
    let reason = status.state_change_reason.expect("a state change reason");
    assert_eq!(
        reason.code.map(|c| c.as_str().to_owned()).as_deref(),
        Some("USER_REQUEST")
    );
    let timeline = status.timeline.expect("the cluster's timeline");
    let secs = |t: Option<lean_emr::primitives::DateTime>| t.map(|t| t.secs() - T0);
    assert_eq!(
        (
            secs(timeline.creation_date_time),
            secs(timeline.ready_date_time),
            secs(timeline.end_date_time)
        ),
        (Some(0), Some(60), Some(150))
    );
    let slept: Duration = world.clock.sleeps().iter().sum();
    assert_eq!(slept, Duration::from_secs(150), "{:?}", world.clock.sleeps());

    // The step stays listed with its final state.
    let steps = world
        .client
        .list_steps()
        .cluster_id(&cluster)
        .send()
        .await
        .expect("ListSteps succeeds")
        .steps
        .unwrap_or_default();
    let listed: Vec<_> = steps
        .iter()
        .map(|s| {
            let state = s.status.as_ref().and_then(|s| s.state.as_ref());
            (s.id.clone(), state.map(|s| s.as_str().to_owned()))
        })
        .collect();
    assert_eq!(listed, [(Some(step), Some("COMPLETED".to_owned()))]);
}

#[tokio::test]
async fn a_failing_step_ends_the_step_waiter_and_its_cluster_waiter_in_their_failure_states() {
    let faults = Faults {
        failing_steps: [FAILING_STEP.to_owned()].into(),
        ..Faults::default()
    };
    let world = World::new(faults);
    let cluster = world.create_cluster("etl", false).await;
    world
        .client
        .wait_until_cluster_running()
        .cluster_id(&cluster)
        .wait(MAX_WAIT)
        .await
        .expect("the cluster runs");
    world.forget();

    // CONTINUE: the step fails, the waiter ends on the model's failure acceptor, the cluster waits on.
    let step = world.add_step(&cluster, FAILING_STEP, ActionOnFailure::Continue).await;
    let error = world
        .client
        .wait_until_step_complete()
        .cluster_id(&cluster)
        .step_id(&step)
        .wait(MAX_WAIT)
        .await
        .expect_err("the step fails");
    assert_eq!(
        error.to_string(),
        "waiter StepComplete reached a failure state: Step.Status.State == \"FAILED\""
    );
    let WaiterError::FailureState { matched, last, .. } = error else {
        panic!("expected a failure state, got {error}");
    };
    assert_eq!(matched, "Step.Status.State == \"FAILED\"");
    let failed = (*last).expect("the last poll is an answer").step.expect("the step");
    let details = failed
        .status
        .and_then(|s| s.failure_details)
        .expect("a failed step has failure details");
    assert_eq!(
        details.log_file,
        Some(format!("s3://logs/emr/{cluster}/steps/{step}/stderr.gz"))
    );
    assert_eq!(world.polls("DescribeStep"), strings(&["PENDING", "RUNNING", "FAILED"]));
    assert_eq!(world.cluster_state(&cluster).await, "WAITING");

    // TERMINATE_CLUSTER: the failure takes the cluster down with errors, which ClusterTerminated calls failure.
    let step = world
        .add_step(&cluster, FAILING_STEP, ActionOnFailure::TerminateCluster)
        .await;
    let error = world
        .client
        .wait_until_cluster_terminated()
        .cluster_id(&cluster)
        .wait(MAX_WAIT)
        .await
        .expect_err("the cluster ends with errors");
    assert!(
        matches!(&error, WaiterError::FailureState { matched, .. }
            if *matched == "Cluster.Status.State == \"TERMINATED_WITH_ERRORS\""),
        "{error}"
    );
    // Pending, then running (the cluster RUNNING its step), failed (the cluster TERMINATING), then gone.
    assert_eq!(
        world.polls("DescribeCluster"),
        strings(&["WAITING", "RUNNING", "TERMINATING", "TERMINATED_WITH_ERRORS"])
    );
    let output = world.describe(&cluster).await;
    let reason = output
        .cluster
        .and_then(|c| c.status)
        .and_then(|s| s.state_change_reason)
        .expect("a state change reason");
    assert_eq!(
        reason.code.map(|c| c.as_str().to_owned()).as_deref(),
        Some("STEP_FAILURE")
    );
    let step_state = world
        .client
        .describe_step()
        .cluster_id(&cluster)
        .step_id(&step)
        .send()
        .await
        .expect("DescribeStep succeeds");
    let state = step_state.step.and_then(|s| s.status).and_then(|s| s.state);
    assert_eq!(state.map(|s| s.as_str().to_owned()).as_deref(), Some("FAILED"));
}

#[tokio::test]
async fn a_cluster_that_fails_to_bootstrap_ends_the_running_waiter_in_a_failure_state() {
    let faults = Faults {
        bootstrap_failures: [FAILING_CLUSTER.to_owned()].into(),
        ..Faults::default()
    };
    let world = World::new(faults);
    let cluster = world.create_cluster(FAILING_CLUSTER, false).await;
    let error = world
        .client
        .wait_until_cluster_running()
        .cluster_id(&cluster)
        .wait(MAX_WAIT)
        .await
        .expect_err("the cluster never runs");
    assert!(
        matches!(&error, WaiterError::FailureState { matched, .. }
            if *matched == "Cluster.Status.State == \"TERMINATING\""),
        "{error}"
    );
    assert_eq!(
        world.polls("DescribeCluster"),
        strings(&["STARTING", "BOOTSTRAPPING", "TERMINATING"])
    );
}

#[tokio::test]
async fn terminate_job_flows_refuses_a_protected_cluster_until_the_protection_is_lifted() {
    let world = World::new(Faults::default());
    let cluster = world.create_cluster("protected", true).await;
    world
        .client
        .wait_until_cluster_running()
        .cluster_id(&cluster)
        .wait(MAX_WAIT)
        .await
        .expect("the cluster runs");
    let described = world.describe(&cluster).await;
    assert_eq!(described.cluster.and_then(|c| c.termination_protected), Some(true));

    let refused = world
        .client
        .terminate_job_flows()
        .job_flow_ids(&cluster)
        .send()
        .await
        .expect_err("a protected cluster is not terminated");
    assert_eq!(
        (refused.code(), refused.message()),
        (
            Some("ValidationException"),
            Some("Could not shut down one or more job flows since they are termination protected.")
        )
    );

    // Nothing ends it: the terminated waiter polls until its budget of model time runs out, seeing the cluster go
    // from RUNNING (its first 30 s there) to WAITING and stay.
    let before = world.clock.sleeps().len();
    let error = world
        .client
        .wait_until_cluster_terminated()
        .cluster_id(&cluster)
        .wait(Duration::from_secs(90))
        .await
        .expect_err("the cluster stays up");
    assert!(
        matches!(&error, WaiterError::MaxWaitExceeded { polls: 4, elapsed, .. }
            if *elapsed == Duration::from_secs(90)),
        "{error}"
    );
    assert_eq!(
        world.polls("DescribeCluster"),
        strings(&["RUNNING", "WAITING", "WAITING", "WAITING"])
    );
    assert_eq!(world.sleeps_since(before), [POLL, POLL, POLL]);

    world
        .client
        .set_termination_protection()
        .job_flow_ids(&cluster)
        .termination_protected(false)
        .send()
        .await
        .expect("SetTerminationProtection succeeds");
    world
        .client
        .terminate_job_flows()
        .job_flow_ids(&cluster)
        .send()
        .await
        .expect("an unprotected cluster is terminated");
    world
        .client
        .wait_until_cluster_terminated()
        .cluster_id(&cluster)
        .wait(MAX_WAIT)
        .await
        .expect("the cluster terminates");
    assert_eq!(world.polls("DescribeCluster"), strings(&["TERMINATING", "TERMINATED"]));
    assert!(world.emulator.state().contains("\"TERMINATED\""));
}
