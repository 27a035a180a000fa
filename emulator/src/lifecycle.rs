//! How clusters and steps live through their states on the emulator's clock, and the faults that can be asked for.
//!
//! A cluster goes STARTING → BOOTSTRAPPING → RUNNING, runs its steps, then goes to WAITING when it is kept alive or
//! TERMINATING → TERMINATED (`ALL_STEPS_COMPLETED`) when it is not; a WAITING cluster with an auto-termination policy
//! goes TERMINATING once it has waited, with no step to run, for the policy's `IdleTimeout`. Steps go PENDING → RUNNING → COMPLETED, up to the
//! cluster's `StepConcurrencyLevel` at once, oldest first. Nothing runs in the background: [`advance`] works out,
//! from the clock's reading, every change that has happened since the cluster last changed, in order, before any
//! request reads or changes the cluster. The same clock reading always gives the same state.

use crate::state::{ClusterRecord, StepRecord};
use lean_aws_runtime::clock::{Clock, ManualClock};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

/// How long each state lasts. A state lasts at least this long; a cluster in RUNNING or WAITING stays there until
/// its steps say otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Durations {
    /// STARTING.
    pub starting: Duration,
    /// BOOTSTRAPPING.
    pub bootstrapping: Duration,
    /// RUNNING, at the least, before a cluster with no step to run goes to WAITING or TERMINATING.
    pub running: Duration,
    /// A step's PENDING, at the least (it waits longer for the cluster, or for a free slot).
    pub step_pending: Duration,
    /// A step's RUNNING.
    pub step_running: Duration,
    /// TERMINATING.
    pub terminating: Duration,
}

/// The model's waiters poll every 30 seconds: a state that lasts as long is seen by every waiter.
pub const WAITER_DELAY: Duration = Duration::from_secs(30);

impl Durations {
    /// Every state lasts `each`.
    pub fn each(each: Duration) -> Self {
        Durations {
            starting: each,
            bootstrapping: each,
            running: each,
            step_pending: each,
            step_running: each,
            terminating: each,
        }
    }

    /// The defaults on a manual clock: every state lasts one waiter delay ([`WAITER_DELAY`]).
    pub fn manual_default() -> Self {
        Durations::each(WAITER_DELAY)
    }

    /// The defaults in real time: a second each, so a cluster is WAITING three seconds after it was created.
    pub fn real_default() -> Self {
        Durations::each(Duration::from_secs(1))
    }

    /// Sets the states named in `spec`, a comma-separated list of `state=seconds` (`starting`, `bootstrapping`,
    /// `running`, `step-pending`, `step-running`, `terminating`, or `all`).
    pub fn parse_into(mut self, spec: &str) -> Result<Self, String> {
        for part in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let (name, seconds) = part
                .split_once('=')
                .ok_or(format!("{part:?}: expected STATE=SECONDS"))?;
            let seconds: f64 = seconds
                .trim()
                .parse()
                .ok()
                .filter(|s: &f64| s.is_finite() && *s >= 0.0 && *s <= 86_400.0)
                .ok_or(format!("{part:?}: the seconds must be a number from 0 to 86400"))?;
            let d = Duration::from_secs_f64(seconds);
            match name.trim() {
                "starting" => self.starting = d,
                "bootstrapping" => self.bootstrapping = d,
                "running" => self.running = d,
                "step-pending" => self.step_pending = d,
                "step-running" => self.step_running = d,
                "terminating" => self.terminating = d,
                "all" => self = Durations::each(d),
                other => return Err(format!("{other:?} is not one of starting, bootstrapping, running, step-pending, step-running, terminating, all")),
            }
        }
        Ok(self)
    }
}

/// The clock lifecycles follow: the emulator's own clock (real time), or a manual clock that only moves when told.
#[derive(Debug, Clone)]
pub enum LifeClock {
    /// The clock the emulator checks signatures against.
    Real(Arc<dyn Clock>),
    /// A clock that moves only through [`ManualClock::advance`], `POST /_emulator/advance` or
    /// [`Emulator::advance`](crate::Emulator::advance).
    Manual(ManualClock),
}

impl LifeClock {
    /// Milliseconds since the epoch.
    pub fn now_ms(&self) -> i64 {
        let now = match self {
            LifeClock::Real(c) => c.now(),
            LifeClock::Manual(c) => c.now(),
        };
        millis_since_epoch(now)
    }
}

/// Milliseconds since the epoch of `t`.
pub fn millis_since_epoch(t: std::time::SystemTime) -> i64 {
    match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

/// Faults asked for: none unless set, by flag or through `POST /_emulator/faults`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Faults {
    /// Steps with these names fail when they have run (with failure details).
    pub failing_steps: BTreeSet<String>,
    /// Clusters with these names fail to bootstrap.
    pub bootstrap_failures: BTreeSet<String>,
    /// This share of calls (0 to 1) is answered `ThrottlingException` (400), spread evenly: with 0.25, every
    /// fourth call.
    pub throttle: f64,
    /// This share of calls (0 to 1) is answered `InternalFailure` (500), spread evenly.
    pub server_errors: f64,
    /// Every answer waits this many milliseconds first.
    pub delay_ms: u64,
}

impl Faults {
    /// Whether the shares are from 0 to 1.
    pub fn check(&self) -> Result<(), String> {
        for (name, share) in [("throttle", self.throttle), ("server_errors", self.server_errors)] {
            if !(0.0..=1.0).contains(&share) {
                return Err(format!("{name}: {share} is not a share from 0 to 1"));
            }
        }
        if self.delay_ms > 60_000 {
            return Err(format!("delay_ms: {} is more than 60000", self.delay_ms));
        }
        Ok(())
    }
}

/// Whether call number `n` (from 1) falls in a share `share` of calls spread evenly.
pub fn in_share(n: u64, share: f64) -> bool {
    let at = |n: u64| (n as f64 * share).floor();
    share > 0.0 && at(n) > at(n - 1)
}

/// Cluster states.
pub mod cluster_state {
    pub const STARTING: &str = "STARTING";
    pub const BOOTSTRAPPING: &str = "BOOTSTRAPPING";
    pub const RUNNING: &str = "RUNNING";
    pub const WAITING: &str = "WAITING";
    pub const TERMINATING: &str = "TERMINATING";
    pub const TERMINATED: &str = "TERMINATED";
    pub const TERMINATED_WITH_ERRORS: &str = "TERMINATED_WITH_ERRORS";
}

/// Step states.
pub mod step_state {
    pub const PENDING: &str = "PENDING";
    pub const RUNNING: &str = "RUNNING";
    pub const COMPLETED: &str = "COMPLETED";
    pub const CANCELLED: &str = "CANCELLED";
    pub const FAILED: &str = "FAILED";
}

use cluster_state as cs;
use step_state as ss;

/// State-change reasons in the service's words, as DescribeCluster and the console show them.
pub mod reasons {
    pub const USER_REQUEST: (&str, &str) = ("USER_REQUEST", "Terminated by user request");
    pub const ALL_STEPS_COMPLETED: (&str, &str) = ("ALL_STEPS_COMPLETED", "Steps completed");
    pub const STEP_FAILURE: (&str, &str) = ("STEP_FAILURE", "Shut down as step failed");
    pub const BOOTSTRAP_FAILURE: (&str, &str) = (
        "BOOTSTRAP_FAILURE",
        "On the master instance (i-0000000000000000), bootstrap action 1 returned a non-zero return code",
    );
    pub const READY: &str = "Cluster ready to run steps.";
    pub const READY_AFTER_STEPS: &str = "Cluster ready after last step completed.";
    pub const RUNNING_STEP: &str = "Running step";
    /// The emulator's own words for a step that a fault made fail.
    pub const STEP_FAULT: (&str, &str) = ("Unknown Error.", "The step failed: the emulator's faults name it");
    /// The emulator's own words for a cluster that its auto-termination policy ended.
    pub const IDLE_TIMEOUT: (&str, &str) = (
        "ALL_STEPS_COMPLETED",
        "Terminated by the auto-termination policy: idle for its IdleTimeout",
    );
    /// The emulator's own words for a step cancelled because the cluster shut down or an earlier step failed.
    pub const STEP_CANCELLED: &str = "Cancelled: the cluster shut down or an earlier step failed";
}

/// Whether a cluster in `state` is shutting down or gone.
pub fn is_ending(state: &str) -> bool {
    matches!(state, cs::TERMINATING | cs::TERMINATED | cs::TERMINATED_WITH_ERRORS)
}

/// Whether a step in `state` is still to run or running (what the 256-step limit counts).
pub fn is_active(state: &str) -> bool {
    matches!(state, ss::PENDING | ss::RUNNING | "CANCEL_PENDING")
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Event {
    Bootstrap,
    Ready,
    BootstrapFailed,
    StepDone(usize),
    StepStart(usize),
    Idle,
    IdleTimeout,
    Terminated,
}

/// `d` in the milliseconds the emulator's times are kept in (saturating).
pub(crate) fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn next_event(c: &ClusterRecord, d: &Durations) -> Option<(i64, Event)> {
    match c.state.as_str() {
        cs::STARTING => Some((c.since + ms(d.starting), Event::Bootstrap)),
        cs::BOOTSTRAPPING if c.fails_to_bootstrap => Some((c.since + ms(d.bootstrapping), Event::BootstrapFailed)),
        cs::BOOTSTRAPPING => Some((c.since + ms(d.bootstrapping), Event::Ready)),
        cs::TERMINATING => Some((c.since + ms(d.terminating), Event::Terminated)),
        cs::RUNNING | cs::WAITING => {
            let running: Vec<usize> = (0..c.steps.len())
                .filter(|&i| c.steps[i].state == ss::RUNNING)
                .collect();
            let done = running
                .iter()
                .map(|&i| {
                    (
                        c.steps[i].started.unwrap_or(c.last_change) + ms(d.step_running),
                        Event::StepDone(i),
                    )
                })
                .min_by_key(|(t, _)| *t);
            let start = (running.len() < usize::try_from(c.step_concurrency_level.max(1)).unwrap_or(1))
                .then(|| c.steps.iter().position(|s| s.state == ss::PENDING))
                .flatten()
                .map(|i| {
                    let t = (c.steps[i].created + ms(d.step_pending)).max(c.last_change);
                    (t, Event::StepStart(i))
                });
            let idle = (c.state == cs::RUNNING && running.is_empty() && start.is_none())
                .then(|| ((c.since + ms(d.running)).max(c.last_change), Event::Idle));
            // An auto-termination policy ends a cluster that has waited with nothing to do for its idle timeout.
            let idle_timeout = c
                .idle_timeout
                .filter(|_| c.state == cs::WAITING && running.is_empty() && start.is_none())
                .map(|seconds| {
                    let t = c.since.max(c.last_change).saturating_add(seconds.saturating_mul(1000));
                    (t, Event::IdleTimeout)
                });
            // A step that ends frees its slot before the next one starts at the same instant.
            [done, start, idle, idle_timeout]
                .into_iter()
                .flatten()
                .min_by_key(|(t, _)| *t)
        }
        _ => None,
    }
}

/// Whether [`advance`] would change `cluster` at `now`: its next event is due. Reads only, so that a call can
/// ask it of every cluster without copying any.
pub fn is_due(cluster: &ClusterRecord, now: i64, d: &Durations) -> bool {
    next_event(cluster, d).is_some_and(|(t, _)| t <= now)
}

/// Moves `cluster` through every change due by `now` (milliseconds on the emulator's clock), in order. Returns
/// whether anything changed.
pub fn advance(cluster: &mut ClusterRecord, now: i64, d: &Durations) -> bool {
    let mut changed = false;
    while let Some((t, event)) = next_event(cluster, d) {
        if t > now {
            break;
        }
        apply(cluster, t, event);
        cluster.last_change = t;
        changed = true;
    }
    changed
}

fn set_state(c: &mut ClusterRecord, t: i64, state: &str, reason: Option<(&str, &str)>) {
    c.state = state.to_owned();
    c.since = t;
    c.reason_code = reason.map(|(code, _)| code.to_owned());
    c.reason_message = reason.map(|(_, message)| message.to_owned());
}

/// Cancels the steps that have not run yet (and, when the cluster goes, the running ones).
fn cancel_steps(c: &mut ClusterRecord, t: i64, running_too: bool) {
    for s in &mut c.steps {
        if s.state == ss::PENDING || (running_too && s.state == ss::RUNNING) {
            s.state = ss::CANCELLED.to_owned();
            s.ended = Some(t);
            s.reason_message = Some(reasons::STEP_CANCELLED.to_owned());
        }
    }
}

/// Starts the cluster's shutdown at `t` for `reason`.
pub fn terminate(c: &mut ClusterRecord, t: i64, reason: (&str, &str)) {
    cancel_steps(c, t, true);
    set_state(c, t, cs::TERMINATING, Some(reason));
    c.last_change = t;
}

fn apply(c: &mut ClusterRecord, t: i64, event: Event) {
    match event {
        Event::Bootstrap => set_state(c, t, cs::BOOTSTRAPPING, None),
        Event::Ready => {
            c.ready = Some(t);
            let has_steps = c.steps.iter().any(|s| s.state == ss::PENDING);
            c.state = cs::RUNNING.to_owned();
            c.since = t;
            c.reason_code = None;
            c.reason_message = has_steps.then(|| reasons::RUNNING_STEP.to_owned());
        }
        Event::BootstrapFailed => terminate(c, t, reasons::BOOTSTRAP_FAILURE),
        Event::StepStart(i) => {
            let s = &mut c.steps[i];
            s.state = ss::RUNNING.to_owned();
            s.started = Some(t);
            if c.state == cs::WAITING {
                c.state = cs::RUNNING.to_owned();
                c.since = t;
            }
            c.reason_code = None;
            c.reason_message = Some(reasons::RUNNING_STEP.to_owned());
        }
        Event::StepDone(i) => {
            let log_uri = c.log_uri.clone();
            let cluster_id = c.id.clone();
            let s: &mut StepRecord = &mut c.steps[i];
            s.ended = Some(t);
            if !s.fails {
                s.state = ss::COMPLETED.to_owned();
                return;
            }
            s.state = ss::FAILED.to_owned();
            let log = log_uri.map(|uri| format!("{}/{cluster_id}/steps/{}/stderr.gz", uri.trim_end_matches('/'), s.id));
            s.failure = Some((reasons::STEP_FAULT.0.to_owned(), reasons::STEP_FAULT.1.to_owned(), log));
            match s.action_on_failure.as_str() {
                "TERMINATE_CLUSTER" | "TERMINATE_JOB_FLOW" => terminate(c, t, reasons::STEP_FAILURE),
                "CANCEL_AND_WAIT" => cancel_steps(c, t, false),
                _ => {}
            }
        }
        Event::Idle => {
            if c.keep_alive {
                let message = if c.steps.is_empty() {
                    reasons::READY
                } else {
                    reasons::READY_AFTER_STEPS
                };
                c.state = cs::WAITING.to_owned();
                c.since = t;
                c.reason_code = None;
                c.reason_message = Some(message.to_owned());
            } else {
                terminate(c, t, reasons::ALL_STEPS_COMPLETED);
            }
        }
        Event::IdleTimeout => terminate(c, t, reasons::IDLE_TIMEOUT),
        Event::Terminated => {
            let failed = matches!(
                c.reason_code.as_deref(),
                Some("STEP_FAILURE" | "BOOTSTRAP_FAILURE" | "INTERNAL_ERROR" | "VALIDATION_ERROR" | "INSTANCE_FAILURE")
            );
            c.state = if failed {
                cs::TERMINATED_WITH_ERRORS
            } else {
                cs::TERMINATED
            }
            .to_owned();
            c.since = t;
            c.ended = Some(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster(keep_alive: bool, steps: &[(&str, &str, bool)]) -> ClusterRecord {
        ClusterRecord {
            id: "j-1".into(),
            arn: "arn".into(),
            name: "c".into(),
            release_label: None,
            log_uri: Some("s3://logs/".into()),
            service_role: None,
            job_flow_role: None,
            applications: Vec::new(),
            keep_alive,
            termination_protected: false,
            visible_to_all_users: true,
            unhealthy_node_replacement: false,
            step_concurrency_level: 1,
            instance_collection_type: "INSTANCE_GROUP".into(),
            instance_groups: Vec::new(),
            instance_fleets: Vec::new(),
            bootstrap_actions: Vec::new(),
            tags: Vec::new(),
            state: cs::STARTING.into(),
            reason_code: None,
            reason_message: None,
            created: 0,
            ready: None,
            ended: None,
            since: 0,
            last_change: 0,
            fails_to_bootstrap: false,
            security_configuration: None,
            managed_scaling_policy: None,
            idle_timeout: None,
            steps: steps
                .iter()
                .enumerate()
                .map(|(i, (name, action, fails))| StepRecord {
                    id: format!("s-{i}"),
                    name: (*name).into(),
                    jar: "command-runner.jar".into(),
                    main_class: None,
                    args: Vec::new(),
                    action_on_failure: (*action).into(),
                    execution_role_arn: None,
                    state: ss::PENDING.into(),
                    reason_message: None,
                    failure: None,
                    created: 0,
                    started: None,
                    ended: None,
                    fails: *fails,
                })
                .collect(),
        }
    }

    const S: i64 = 30_000;

    #[test]
    fn is_due_says_whether_advance_would_change_the_cluster() {
        let d = Durations::manual_default();
        for steps in [
            &[][..],
            &[("a", "CONTINUE", false), ("b", "TERMINATE_CLUSTER", true)][..],
        ] {
            for keep_alive in [true, false] {
                let mut c = cluster(keep_alive, steps);
                for ms in (0..=12 * S).step_by(5_000) {
                    let due = is_due(&c, ms, &d);
                    assert_eq!(due, advance(&mut c.clone(), ms, &d), "at {ms} ms: {}", c.state);
                    advance(&mut c, ms, &d);
                }
            }
        }
    }

    fn states(c: &ClusterRecord) -> (String, Vec<String>) {
        (c.state.clone(), c.steps.iter().map(|s| s.state.clone()).collect())
    }

    #[test]
    fn a_transient_cluster_runs_its_steps_one_at_a_time_and_terminates() {
        let d = Durations::manual_default();
        let mut c = cluster(false, &[("a", "CONTINUE", false), ("b", "CONTINUE", false)]);
        let mut seen = Vec::new();
        for poll in 0..=8 {
            advance(&mut c, poll * S, &d);
            seen.push(states(&c));
        }
        let expect = |c: &str, s: &[&str]| (c.to_owned(), s.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        assert_eq!(
            seen,
            vec![
                expect("STARTING", &["PENDING", "PENDING"]),
                expect("BOOTSTRAPPING", &["PENDING", "PENDING"]),
                expect("RUNNING", &["RUNNING", "PENDING"]),
                expect("RUNNING", &["COMPLETED", "RUNNING"]),
                expect("TERMINATING", &["COMPLETED", "COMPLETED"]),
                expect("TERMINATED", &["COMPLETED", "COMPLETED"]),
                expect("TERMINATED", &["COMPLETED", "COMPLETED"]),
                expect("TERMINATED", &["COMPLETED", "COMPLETED"]),
                expect("TERMINATED", &["COMPLETED", "COMPLETED"]),
            ]
        );
        assert_eq!(c.reason_code.as_deref(), Some("ALL_STEPS_COMPLETED"));
        assert_eq!((c.ready, c.ended), (Some(2 * S), Some(5 * S)));
        assert_eq!((c.steps[1].started, c.steps[1].ended), (Some(3 * S), Some(4 * S)));
    }

    #[test]
    fn an_auto_termination_policy_ends_a_cluster_idle_for_its_timeout() {
        let d = Durations::manual_default();
        let mut c = cluster(true, &[("a", "CONTINUE", false)]);
        c.idle_timeout = Some(60);
        // It waits once its one step has run.
        advance(&mut c, 4 * S, &d);
        assert_eq!(c.state, "WAITING");
        let waiting_since = c.since;
        advance(&mut c, waiting_since + 59_999, &d);
        assert_eq!(c.state, "WAITING", "not idle for the whole timeout yet");
        advance(&mut c, waiting_since + 60_000, &d);
        assert_eq!(c.state, "TERMINATING");
        assert_eq!(c.reason_code.as_deref(), Some(reasons::IDLE_TIMEOUT.0));
        assert_eq!(c.reason_message.as_deref(), Some(reasons::IDLE_TIMEOUT.1));
        // Without a policy the same cluster waits for ever.
        let mut kept = cluster(true, &[("a", "CONTINUE", false)]);
        advance(&mut kept, 1_000 * S, &d);
        assert_eq!(kept.state, "WAITING");
    }

    #[test]
    fn advancing_in_one_jump_or_in_many_gives_the_same_cluster() {
        let d = Durations::manual_default();
        let mut jump = cluster(true, &[("a", "CONTINUE", false), ("b", "CONTINUE", true)]);
        let mut steps = jump.clone();
        advance(&mut jump, 10 * S, &d);
        for t in 0..=10 * S / 1000 {
            advance(&mut steps, t * 1000, &d);
        }
        assert_eq!(jump, steps);
        assert_eq!(jump.state, "WAITING");
        assert_eq!(jump.reason_message.as_deref(), Some(reasons::READY_AFTER_STEPS));
    }

    #[test]
    fn actions_on_failure() {
        let d = Durations::manual_default();
        let mut c = cluster(true, &[("a", "TERMINATE_CLUSTER", true), ("b", "CONTINUE", false)]);
        advance(&mut c, 20 * S, &d);
        assert_eq!(
            states(&c),
            (
                "TERMINATED_WITH_ERRORS".into(),
                vec!["FAILED".into(), "CANCELLED".into()]
            )
        );
        assert_eq!(c.reason_code.as_deref(), Some("STEP_FAILURE"));
        let failure = c.steps[0].failure.clone().unwrap();
        assert_eq!(failure.2.as_deref(), Some("s3://logs/j-1/steps/s-0/stderr.gz"));

        let mut c = cluster(true, &[("a", "CANCEL_AND_WAIT", true), ("b", "CONTINUE", false)]);
        advance(&mut c, 20 * S, &d);
        assert_eq!(
            states(&c),
            ("WAITING".into(), vec!["FAILED".into(), "CANCELLED".into()])
        );

        let mut c = cluster(true, &[("a", "CONTINUE", true), ("b", "CONTINUE", false)]);
        advance(&mut c, 20 * S, &d);
        assert_eq!(
            states(&c),
            ("WAITING".into(), vec!["FAILED".into(), "COMPLETED".into()])
        );
    }

    #[test]
    fn steps_run_up_to_the_concurrency_level_at_once() {
        let d = Durations::manual_default();
        let mut c = cluster(
            true,
            &[
                ("a", "CONTINUE", false),
                ("b", "CONTINUE", false),
                ("c", "CONTINUE", false),
            ],
        );
        c.step_concurrency_level = 2;
        advance(&mut c, 2 * S, &d);
        assert_eq!(states(&c).1, ["RUNNING", "RUNNING", "PENDING"]);
        advance(&mut c, 3 * S, &d);
        assert_eq!(states(&c).1, ["COMPLETED", "COMPLETED", "RUNNING"]);
    }

    #[test]
    fn a_bootstrap_failure_ends_the_cluster_with_errors() {
        let d = Durations::manual_default();
        let mut c = cluster(true, &[("a", "CONTINUE", false)]);
        c.fails_to_bootstrap = true;
        advance(&mut c, 2 * S, &d);
        assert_eq!(states(&c), ("TERMINATING".into(), vec!["CANCELLED".into()]));
        assert_eq!(c.reason_code.as_deref(), Some("BOOTSTRAP_FAILURE"));
        advance(&mut c, 3 * S, &d);
        assert_eq!(c.state, "TERMINATED_WITH_ERRORS");
        assert_eq!(c.ready, None);
    }

    #[test]
    fn shares_are_spread_evenly_and_durations_parse() {
        let hits: Vec<u64> = (1..=8).filter(|&n| in_share(n, 0.25)).collect();
        assert_eq!(hits, [4, 8]);
        assert!((1..=100).all(|n| !in_share(n, 0.0)));
        assert!((1..=100).all(|n| in_share(n, 1.0)));
        let d = Durations::real_default()
            .parse_into("starting=0.5, step-running=10")
            .unwrap();
        assert_eq!(
            (d.starting, d.step_running, d.terminating),
            (
                Duration::from_millis(500),
                Duration::from_secs(10),
                Duration::from_secs(1)
            )
        );
        assert!(Durations::real_default().parse_into("sleeping=1").is_err());
        assert!(Durations::real_default().parse_into("starting=-1").is_err());
        assert!(Faults {
            throttle: 1.5,
            ..Faults::default()
        }
        .check()
        .is_err());
    }
}
