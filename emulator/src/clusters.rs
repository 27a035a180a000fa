//! What the cluster and step operations do, over the clusters in the [`Store`] and the lifecycle of
//! [`crate::lifecycle`]; [`crate::instances`], [`crate::job_flows`], [`crate::policies`] and [`crate::security`] add
//! the instance, job flow, policy and security configuration operations over the same clusters.
//!
//! Errors are in the service's words where public sources show them: an unknown cluster is "Cluster id '…' is not
//! valid." (`InvalidRequestException`); on the operations whose model lists only `InternalServerError` the service
//! answers `ValidationException`: "Specified job flow ID does not exist.", "Could not shut down one or more job flows
//! since they are termination protected.", "A job flow that is shutting down, terminated, or finished may not be
//! modified.", "Maximum number of active steps(State = 'Running', 'Pending' or 'Cancel_Pending') for cluster
//! exceeded.", "An instance group may only be modified when the cluster is running or waiting", "Security
//! configuration with name '…' does not exist."; a group operation on a fleet cluster is "Instance fleets and
//! instance groups are mutually exclusive. …" (`FLEET_CLUSTER`); `ModifyInstanceFleet` with one capacity is "The
//! instance fleet (if-…) should have both targetOnDemandCapacity and targetSpotCapacity specified.". The emulator's
//! own words, where no public source shows the service's, are the `OWN_*` constants, here and nowhere else
//! (`{name}` in them is filled in).

use crate::awsjson::ServiceError;
use crate::ids::{Fresh, Ids};
use crate::instances::{instance_fleet_of, instance_group_of, staff_fleet, staff_group};
use crate::lifecycle::{self, cluster_state as cs, reasons, step_state as ss, Durations, Faults, LifeClock};
use crate::model::operations::*;
use crate::model::types::*;
use crate::state::{
    AutoScalingPolicyRecord, BootstrapActionRecord, ClusterRecord, InstanceFleetRecord, InstanceGroupRecord, State,
    StepRecord, Store, TagRecord, UpdateError,
};
use lean_aws_runtime::DateTime;
use std::sync::{Arc, Mutex, PoisonError};

/// The service's page size for ListClusters and ListSteps.
pub const PAGE_SIZE: usize = 50;
/// The most steps a cluster may have PENDING, RUNNING or CANCEL_PENDING.
pub const MAX_ACTIVE_STEPS: usize = 256;

pub(crate) const NO_JOB_FLOW: &str = "Specified job flow ID does not exist.";
const PROTECTED: &str = "Could not shut down one or more job flows since they are termination protected.";
pub(crate) const SHUTTING_DOWN: &str = "A job flow that is shutting down, terminated, or finished may not be modified.";
const TOO_MANY_STEPS: &str =
    "Maximum number of active steps(State = 'Running', 'Pending' or 'Cancel_Pending') for cluster exceeded.";

/// The emulator's own words.
const OWN_INVALID_MARKER: &str = "Marker is invalid.";
const OWN_NO_INSTANCES: &str =
    "The instance configuration must have instance groups, instance fleets, or a master instance type.";
pub(crate) const OWN_NO_GROUP: &str = "Instance group id '{id}' is not valid.";
pub(crate) const OWN_NO_FLEET: &str = "Instance fleet id '{id}' is not valid.";
pub(crate) const OWN_ROLE_EXISTS: &str =
    "The cluster has a {role} instance group already; only TASK instance groups can be added.";
pub(crate) const OWN_TOO_MANY_TASK_GROUPS: &str = "A cluster can have at most 48 TASK instance groups.";
pub(crate) const OWN_MASTER_COUNT: &str = "The instance count of the MASTER instance group cannot change.";
pub(crate) const OWN_NEGATIVE_COUNT: &str = "InstanceCount must be 0 or more.";
pub(crate) const OWN_FLEET_EXISTS: &str =
    "The cluster has a {type} instance fleet already; only TASK instance fleets can be added.";
pub(crate) const OWN_NEGATIVE_CAPACITY: &str = "Target capacities must be 0 or more.";
pub(crate) const OWN_NO_INSTANCE_TYPES: &str = "An instance fleet must have at least one InstanceTypeConfigs entry.";
pub(crate) const OWN_SCALING_ROLE: &str =
    "An automatic scaling policy can only be put on a CORE or TASK instance group.";
pub(crate) const OWN_SCALING_CONSTRAINTS: &str = "MinCapacity must not be more than MaxCapacity.";
pub(crate) const OWN_COMPUTE_LIMITS: &str = "MinimumCapacityUnits must not be more than MaximumCapacityUnits, and \
    neither MaximumOnDemandCapacityUnits nor MaximumCoreCapacityUnits may be more than MaximumCapacityUnits.";
pub(crate) const OWN_IDLE_TIMEOUT: &str = "IdleTimeout must be from 60 to 604800 seconds.";
pub(crate) const OWN_PORT_RANGE: &str =
    "A port range's MinRange and MaxRange must be from 0 to 65535, MinRange not more than MaxRange.";
pub(crate) const OWN_NO_RELEASE_LABEL: &str =
    "Release label '{label}' is not in the emulator's release catalogue (a sample: see catalogue/releases.json).";
pub(crate) const OWN_NO_NOTEBOOK_EXECUTION: &str = "Notebook execution id '{id}' is not valid.";
pub(crate) const OWN_NOTEBOOK_SOURCE: &str =
    "Specify either EditorId and RelativePath, or NotebookS3Location, for the notebook to execute.";
pub(crate) const OWN_NOTEBOOK_ENGINE: &str =
    "The emulator runs notebook executions on EMR clusters only; ExecutionEngine Type {type} is not served.";
pub(crate) const OWN_NOTEBOOK_CLUSTER_NOT_ACTIVE: &str =
    "Cluster {id} is {state}: a notebook execution needs a RUNNING or WAITING cluster.";
pub(crate) const OWN_NOTEBOOK_NOT_ACTIVE: &str = "Notebook execution {id} is {state} and cannot be stopped.";
pub(crate) const OWN_NO_PERSISTENT_APP_UI: &str = "Persistent app UI id '{id}' is not valid.";
pub(crate) const OWN_NO_APP_UI_TARGET: &str =
    "TargetResourceArn '{arn}' is not the ARN of a cluster the emulator holds.";
pub(crate) const OWN_APP_UI_TYPE: &str = "The persistent app UI does not offer {type}; it offers {offered}.";
pub(crate) const OWN_NO_SESSION: &str = "Session id '{id}' is not valid for cluster {cluster}.";
pub(crate) const OWN_CLUSTER_NOT_ACTIVE: &str = "Cluster {id} is {state}: it must be RUNNING or WAITING.";
pub(crate) const OWN_SESSION_NOT_READY: &str = "Session {id} is {state}: its endpoint is there once it has STARTED.";
pub(crate) const OWN_CONFIG_EXISTS: &str = "A security configuration named '{name}' exists already.";
pub(crate) const OWN_CONFIG_NOT_JSON: &str = "The security configuration is not valid JSON: {error}";
/// [`FLEET_CLUSTER`]'s counterpart, in its words.
pub(crate) const OWN_GROUP_CLUSTER: &str = "Instance fleets and instance groups are mutually exclusive. The EMR \
    cluster specified in the request uses instance groups. The {operation} operation does not support clusters \
    that use instance groups. Use the {instead} operation instead.";

/// The service's words for ListInstanceGroups on a cluster with instance fleets; the other group operations say the
/// same with their names.
pub(crate) const FLEET_CLUSTER: &str = "Instance fleets and instance groups are mutually exclusive. The EMR cluster \
    specified in the request uses instance fleets. The {operation} operation does not support clusters that use \
    instance fleets. Use the {instead} operation instead.";
pub(crate) const GROUP_NOT_RUNNING: &str =
    "An instance group may only be modified when the cluster is running or waiting";
pub(crate) const FLEET_BOTH_CAPACITIES: &str =
    "The instance fleet ({id}) should have both targetOnDemandCapacity and targetSpotCapacity specified.";
pub(crate) const NO_SECURITY_CONFIGURATION: &str = "Security configuration with name '{name}' does not exist.";

/// A value whose builder checks its required members: every caller sets them, so a missing one is the emulator's
/// failure.
pub(crate) fn built<T>(value: Result<T, lean_aws_runtime::BuildError>) -> Result<T, Failure> {
    value.map_err(|e| Failure::Internal(e.to_string()))
}

/// `template` with each `{name}` in it replaced by its value.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_owned(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}
const OWN_STEP_DONE: &str = "The step is not PENDING or RUNNING and cannot be cancelled.";
const OWN_CONCURRENCY: &str = "StepConcurrencyLevel must be from 1 to 256.";

pub(crate) fn no_cluster(id: &str) -> String {
    format!("Cluster id '{id}' is not valid.")
}

fn no_step(id: &str) -> String {
    format!("Step id '{id}' is not valid.")
}

/// Why an operation failed, before it becomes the operation's own error type.
#[derive(Debug)]
pub(crate) enum Failure {
    /// `InvalidRequestException`, or `ValidationException` on operations without it.
    Invalid(String),
    /// `ValidationException`.
    Validation(String),
    /// The state file could not be written.
    Internal(String),
}

impl From<UpdateError<Failure>> for Failure {
    fn from(e: UpdateError<Failure>) -> Self {
        match e {
            UpdateError::Rejected(f) => f,
            UpdateError::Persist(message) => Failure::Internal(message),
        }
    }
}

/// The error of an operation with `InvalidRequestException` and `InternalServerException`.
pub(crate) fn modern_error<E>(f: Failure) -> E
where
    E: From<InvalidRequestException> + From<InternalServerException> + From<ServiceError>,
{
    match f {
        Failure::Invalid(m) => InvalidRequestException::builder().message(m).build().into(),
        Failure::Validation(m) => ServiceError::validation(m).into(),
        Failure::Internal(m) => InternalServerException::builder().message(m).build().into(),
    }
}

/// The error of an operation with `InvalidRequestException` and `InternalServerError`.
pub(crate) fn mixed_error<E>(f: Failure) -> E
where
    E: From<InvalidRequestException> + From<InternalServerError> + From<ServiceError>,
{
    match f {
        Failure::Invalid(m) => InvalidRequestException::builder().message(m).build().into(),
        Failure::Validation(m) => ServiceError::validation(m).into(),
        Failure::Internal(_) => InternalServerError::builder().build().into(),
    }
}

/// The error of an operation whose model lists only `InternalServerError`: the service answers the rest with
/// `ValidationException`.
pub(crate) fn legacy_error<E>(f: Failure) -> E
where
    E: From<InternalServerError> + From<ServiceError>,
{
    match f {
        Failure::Invalid(m) => ServiceError::validation(m).into(),
        Failure::Validation(m) => ServiceError::validation(m).into(),
        Failure::Internal(_) => InternalServerError::builder().build().into(),
    }
}

/// The error of an operation whose model lists no error: the service's codes as they are.
pub(crate) fn unmodelled_error<E: From<ServiceError>>(f: Failure) -> E {
    match f {
        Failure::Invalid(m) => ServiceError::new(400, "InvalidRequestException", m).into(),
        Failure::Validation(m) => ServiceError::validation(m).into(),
        Failure::Internal(m) => ServiceError::new(500, "InternalServerException", m).into(),
    }
}

/// The cluster and step operations.
#[derive(Debug)]
pub struct Clusters {
    pub(crate) store: Arc<Store>,
    pub(crate) region: String,
    pub(crate) account_id: String,
    pub(crate) clock: LifeClock,
    pub(crate) durations: Durations,
    pub(crate) faults: Arc<Mutex<Faults>>,
    pub(crate) ids: Arc<dyn Ids>,
    /// The emulator's own URL (`http://127.0.0.1:PORT`), which presigned URLs point at.
    pub(crate) url: String,
}

pub(crate) fn time(ms: i64) -> DateTime {
    DateTime::from_millis(ms)
}

/// A marker: the id of the first item of the next page, as opaque text.
fn marker_of(id: &str) -> String {
    aws_smithy_types::base64::encode(id)
}

/// The page of `items` (ids with their values) that starts at `marker`, and the next page's marker.
pub(crate) fn page<T>(
    items: Vec<(String, T)>,
    marker: Option<&str>,
    size: usize,
) -> Result<(Vec<T>, Option<String>), Failure> {
    let start = match marker {
        None => 0,
        Some(m) => {
            let id = aws_smithy_types::base64::decode(m)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| Failure::Invalid(OWN_INVALID_MARKER.into()))?;
            items
                .iter()
                .position(|(i, _)| *i == id)
                .ok_or_else(|| Failure::Invalid(OWN_INVALID_MARKER.into()))?
        }
    };
    let next = items.get(start + size).map(|(id, _)| marker_of(id));
    let page = items.into_iter().skip(start).take(size).map(|(_, v)| v).collect();
    Ok((page, next))
}

pub(crate) fn status_of(c: &ClusterRecord) -> ClusterStatus {
    let reason = ClusterStateChangeReason::builder()
        .set_code(c.reason_code.as_deref().map(ClusterStateChangeReasonCode::from))
        .set_message(c.reason_message.clone())
        .build();
    let timeline = ClusterTimeline::builder()
        .creation_date_time(time(c.created))
        .set_ready_date_time(c.ready.map(time))
        .set_end_date_time(c.ended.map(time))
        .build();
    ClusterStatus::builder()
        .state(c.state.as_str())
        .state_change_reason(reason)
        .timeline(timeline)
        .build()
}

fn tags_of(tags: &[TagRecord]) -> Vec<Tag> {
    tags.iter()
        .map(|t| Tag::builder().set_key(t.key.clone()).set_value(t.value.clone()).build())
        .collect()
}

fn cluster_of(c: &ClusterRecord) -> Cluster {
    Cluster::builder()
        .id(&c.id)
        .cluster_arn(&c.arn)
        .name(&c.name)
        .status(status_of(c))
        .instance_collection_type(c.instance_collection_type.as_str())
        .set_log_uri(c.log_uri.clone())
        .set_release_label(c.release_label.clone())
        .set_service_role(c.service_role.clone())
        .auto_terminate(!c.keep_alive)
        .termination_protected(c.termination_protected)
        .visible_to_all_users(c.visible_to_all_users)
        .unhealthy_node_replacement(c.unhealthy_node_replacement)
        .step_concurrency_level(c.step_concurrency_level)
        .normalized_instance_hours(0)
        .applications(
            c.applications
                .iter()
                .map(|name| Application::builder().name(name).build())
                .collect::<Vec<_>>(),
        )
        .ec2_instance_attributes(
            Ec2InstanceAttributes::builder()
                .set_iam_instance_profile(c.job_flow_role.clone())
                .build(),
        )
        .tags(tags_of(&c.tags))
        .set_security_configuration(c.security_configuration.clone())
        .build()
}

fn step_status_of(s: &StepRecord) -> StepStatus {
    let timeline = StepTimeline::builder()
        .creation_date_time(time(s.created))
        .set_start_date_time(s.started.map(time))
        .set_end_date_time(s.ended.map(time))
        .build();
    let failure = s.failure.as_ref().map(|(reason, message, log)| {
        FailureDetails::builder()
            .reason(reason)
            .message(message)
            .set_log_file(log.clone())
            .build()
    });
    StepStatus::builder()
        .state(s.state.as_str())
        .state_change_reason(
            StepStateChangeReason::builder()
                .set_message(s.reason_message.clone())
                .build(),
        )
        .set_failure_details(failure)
        .timeline(timeline)
        .build()
}

fn step_config_of(s: &StepRecord) -> HadoopStepConfig {
    HadoopStepConfig::builder()
        .jar(&s.jar)
        .set_main_class(s.main_class.clone())
        .args(s.args.clone())
        .properties(std::collections::BTreeMap::new())
        .build()
}

fn step_of(s: &StepRecord) -> Step {
    Step::builder()
        .id(&s.id)
        .name(&s.name)
        .config(step_config_of(s))
        .action_on_failure(s.action_on_failure.as_str())
        .status(step_status_of(s))
        .set_execution_role_arn(s.execution_role_arn.clone())
        .build()
}

fn step_summary_of(s: &StepRecord) -> StepSummary {
    StepSummary::builder()
        .id(&s.id)
        .name(&s.name)
        .config(step_config_of(s))
        .action_on_failure(s.action_on_failure.as_str())
        .status(step_status_of(s))
        .build()
}

/// An instance group's or fleet's state as its cluster's state implies it.
pub(crate) fn group_state(c: &ClusterRecord) -> &'static str {
    match c.state.as_str() {
        cs::STARTING => "PROVISIONING",
        cs::BOOTSTRAPPING => "BOOTSTRAPPING",
        cs::RUNNING | cs::WAITING => "RUNNING",
        cs::TERMINATING => "TERMINATING",
        _ => "TERMINATED",
    }
}

/// Whether a cluster has groups or fleets without the instances they ask for: a state file written before
/// instances were kept.
fn unstaffed(c: &ClusterRecord) -> bool {
    c.instance_groups
        .iter()
        .any(|g| g.instances.is_empty() && g.instance_count > 0)
        || c.instance_fleets
            .iter()
            .any(|f| f.instances.is_empty() && f.target_on_demand_capacity + f.target_spot_capacity > 0)
}

/// Gives such groups and fleets their instances, created when they were.
fn staff_as_old_as_they_are(c: &mut ClusterRecord, fresh: &mut Fresh<'_>) {
    let created = c.created;
    for g in c.instance_groups.iter_mut().filter(|g| g.instances.is_empty()) {
        staff_group(g, g.created.unwrap_or(created), fresh);
    }
    for f in c.instance_fleets.iter_mut().filter(|f| f.instances.is_empty()) {
        staff_fleet(f, f.created.unwrap_or(created), fresh);
    }
}

impl Clusters {
    /// Moves the manual clock forward, and keeps its new position in the state (a restart resumes from it).
    pub(crate) fn advance(&self, by: std::time::Duration) -> Result<(), crate::AdvanceError> {
        let LifeClock::Manual(clock) = &self.clock else {
            return Err(crate::AdvanceError::NotManual);
        };
        let to = self.clock.now_ms().saturating_add(lifecycle::ms(by));
        let kept = self.store.update(|s| {
            s.manual_clock_ms = Some(to);
            Ok::<(), std::convert::Infallible>(())
        });
        if let Err(crate::state::UpdateError::Persist(why)) = kept {
            return Err(crate::AdvanceError::Persist(why));
        }
        clock.advance(by);
        Ok(())
    }

    fn faults(&self) -> Faults {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Moves every cluster through what is due by now, writing the state only when something changed.
    pub(crate) fn settle(&self) -> Result<i64, Failure> {
        let now = self.clock.now_ms();
        let due = self.store.read(|s| {
            s.clusters
                .values()
                .any(|c| unstaffed(c) || lifecycle::is_due(c, now, &self.durations))
        });
        if due {
            self.store.update(|s| {
                let mut fresh = Fresh::new(self.ids.as_ref(), s.resource_ids());
                for c in s.clusters.values_mut() {
                    if unstaffed(c) {
                        staff_as_old_as_they_are(c, &mut fresh);
                    }
                    lifecycle::advance(c, now, &self.durations);
                }
                Ok::<_, Failure>(())
            })?;
        }
        Ok(now)
    }

    /// Reads cluster `id` (settled to now).
    pub(crate) fn read<T>(&self, id: &str, f: impl FnOnce(&ClusterRecord) -> Result<T, Failure>) -> Result<T, Failure> {
        self.settle()?;
        self.store.read(|s| match s.clusters.get(id) {
            Some(c) => f(c),
            None => Err(Failure::Invalid(no_cluster(id))),
        })
    }

    /// Changes clusters (settled to now) under the lock.
    pub(crate) fn change<T>(&self, f: impl FnOnce(&mut State, i64) -> Result<T, Failure>) -> Result<T, Failure> {
        let now = self.settle()?;
        Ok(self.store.update(|s| f(s, now))?)
    }

    pub(crate) fn run_job_flow(&self, input: RunJobFlowInput) -> Result<RunJobFlowOutput, Failure> {
        let faults = self.faults();
        let i = &input.instances;
        // Ids are given under the lock, where the ids already held are known (the groups' and fleets' below too).
        let mut groups = Vec::new();
        let mut fleets = Vec::new();
        // The automatic scaling policy of each group, as the wire has it.
        let mut scaling = Vec::new();
        if let Some(configs) = &i.instance_fleets {
            for f in configs {
                let instance_type = f
                    .instance_type_configs
                    .as_ref()
                    .and_then(|c| c.first())
                    .map(|c| c.instance_type.clone())
                    .ok_or_else(|| Failure::Invalid(OWN_NO_INSTANCE_TYPES.into()))?;
                fleets.push(InstanceFleetRecord {
                    id: String::new(),
                    name: f.name.clone(),
                    fleet_type: f.instance_fleet_type.as_str().to_owned(),
                    target_on_demand_capacity: f.target_on_demand_capacity.unwrap_or(0),
                    target_spot_capacity: f.target_spot_capacity.unwrap_or(0),
                    instance_type: Some(instance_type),
                    created: None,
                    instances: Vec::new(),
                });
            }
        } else if let Some(configs) = &i.instance_groups {
            for g in configs {
                groups.push(InstanceGroupRecord {
                    id: String::new(),
                    name: g.name.clone(),
                    role: g.instance_role.as_str().to_owned(),
                    instance_type: g.instance_type.clone(),
                    instance_count: g.instance_count,
                    market: g.market.as_ref().map_or("ON_DEMAND", |m| m.as_str()).to_owned(),
                    created: None,
                    instances: Vec::new(),
                    auto_scaling_policy: None,
                });
                if let Some(policy) = &g.auto_scaling_policy {
                    crate::policies::check_auto_scaling_policy(g.instance_role.as_str(), policy)?;
                }
                scaling.push(
                    g.auto_scaling_policy
                        .as_ref()
                        .map(crate::policies::auto_scaling_policy_wire),
                );
            }
        } else if let Some(master) = &i.master_instance_type {
            // The older form: a master type, a core type and a count of all instances.
            let count = i.instance_count.unwrap_or(1).max(1);
            let group = |role: &str, instance_type: &str, n: i32| InstanceGroupRecord {
                id: String::new(),
                name: Some(format!(
                    "{} Instance Group",
                    if role == "MASTER" { "Master" } else { "Core" }
                )),
                role: role.to_owned(),
                instance_type: instance_type.to_owned(),
                instance_count: n,
                market: "ON_DEMAND".to_owned(),
                created: None,
                instances: Vec::new(),
                auto_scaling_policy: None,
            };
            groups.push(group("MASTER", master, 1));
            if count > 1 {
                let core = i.slave_instance_type.as_deref().unwrap_or(master);
                groups.push(group("CORE", core, count - 1));
            }
        } else {
            return Err(Failure::Invalid(OWN_NO_INSTANCES.into()));
        }
        let collection = if fleets.is_empty() {
            "INSTANCE_GROUP"
        } else {
            "INSTANCE_FLEET"
        };
        let concurrency = input.step_concurrency_level.unwrap_or(1);
        if !(1..=256).contains(&concurrency) {
            return Err(Failure::Invalid(OWN_CONCURRENCY.into()));
        }
        let idle_timeout = input.auto_termination_policy.as_ref().and_then(|p| p.idle_timeout);
        if let Some(timeout) = idle_timeout {
            crate::policies::check_idle_timeout(timeout)?;
        }
        if let Some(policy) = &input.managed_scaling_policy {
            crate::policies::check_managed_scaling_policy(policy)?;
        }
        let managed_scaling_policy = input
            .managed_scaling_policy
            .as_ref()
            .map(crate::policies::managed_scaling_policy_wire);
        let (id, arn) = self.change(|state, now| {
            let mut fresh = Fresh::new(self.ids.as_ref(), state.resource_ids());
            let id = fresh.resource_id("j-");
            let arn = format!(
                "arn:aws:elasticmapreduce:{}:{}:cluster/{id}",
                self.region, self.account_id
            );
            if let Some(name) = &input.security_configuration {
                if !state.security_configurations.contains_key(name) {
                    return Err(Failure::Validation(fill(NO_SECURITY_CONFIGURATION, &[("name", name)])));
                }
            }
            for (g, policy) in groups.iter_mut().zip(scaling) {
                g.auto_scaling_policy = policy.map(|policy| AutoScalingPolicyRecord { policy, put: now });
            }
            for g in &mut groups {
                g.id = fresh.resource_id("ig-");
                staff_group(g, now, &mut fresh);
            }
            for f in &mut fleets {
                f.id = fresh.resource_id("if-");
                staff_fleet(f, now, &mut fresh);
            }
            let mut cluster = ClusterRecord {
                id: id.clone(),
                arn: arn.clone(),
                name: input.name.clone(),
                release_label: input.release_label.clone(),
                log_uri: input.log_uri.clone(),
                service_role: input.service_role.clone(),
                job_flow_role: input.job_flow_role.clone(),
                applications: input
                    .applications
                    .iter()
                    .flatten()
                    .filter_map(|a| a.name.clone())
                    .collect(),
                keep_alive: i.keep_job_flow_alive_when_no_steps.unwrap_or(false),
                termination_protected: i.termination_protected.unwrap_or(false),
                visible_to_all_users: input.visible_to_all_users.unwrap_or(true),
                unhealthy_node_replacement: i.unhealthy_node_replacement.unwrap_or(false),
                step_concurrency_level: concurrency,
                instance_collection_type: collection.to_owned(),
                instance_groups: groups,
                instance_fleets: fleets,
                bootstrap_actions: input
                    .bootstrap_actions
                    .iter()
                    .flatten()
                    .map(|b| BootstrapActionRecord {
                        name: b.name.clone(),
                        path: b.script_bootstrap_action.path.clone(),
                        args: b.script_bootstrap_action.args.clone().unwrap_or_default(),
                    })
                    .collect(),
                tags: input
                    .tags
                    .iter()
                    .flatten()
                    .map(|t| TagRecord {
                        key: t.key.clone(),
                        value: t.value.clone(),
                    })
                    .collect(),
                state: cs::STARTING.to_owned(),
                reason_code: None,
                reason_message: None,
                created: now,
                ready: None,
                ended: None,
                since: now,
                last_change: now,
                fails_to_bootstrap: faults.bootstrap_failures.contains(&input.name),
                steps: Vec::new(),
                security_configuration: input.security_configuration.clone(),
                managed_scaling_policy,
                idle_timeout,
            };
            let steps = input.steps.as_deref().unwrap_or_default();
            Self::add_steps(
                &mut cluster,
                steps,
                input.step_execution_role_arn.as_deref(),
                now,
                &faults,
                &mut fresh,
            )?;
            state.clusters.insert(id.clone(), cluster);
            Ok((id, arn))
        })?;
        Ok(RunJobFlowOutput::builder().job_flow_id(id).cluster_arn(arn).build())
    }

    fn add_steps(
        cluster: &mut ClusterRecord,
        steps: &[StepConfig],
        role: Option<&str>,
        now: i64,
        faults: &Faults,
        fresh: &mut Fresh<'_>,
    ) -> Result<Vec<String>, Failure> {
        let active = cluster.steps.iter().filter(|s| lifecycle::is_active(&s.state)).count();
        if active + steps.len() > MAX_ACTIVE_STEPS {
            return Err(Failure::Validation(TOO_MANY_STEPS.into()));
        }
        let mut ids = Vec::new();
        for config in steps {
            let id = fresh.resource_id("s-");
            cluster.steps.push(StepRecord {
                id: id.clone(),
                name: config.name.clone(),
                jar: config.hadoop_jar_step.jar.clone(),
                main_class: config.hadoop_jar_step.main_class.clone(),
                args: config.hadoop_jar_step.args.clone().unwrap_or_default(),
                action_on_failure: config
                    .action_on_failure
                    .as_ref()
                    .map_or("TERMINATE_CLUSTER", |a| a.as_str())
                    .to_owned(),
                execution_role_arn: role.map(str::to_owned),
                state: ss::PENDING.to_owned(),
                reason_message: None,
                failure: None,
                created: now,
                started: None,
                ended: None,
                fails: faults.failing_steps.contains(&config.name),
            });
            ids.push(id);
        }
        Ok(ids)
    }

    pub(crate) fn add_job_flow_steps(&self, input: AddJobFlowStepsInput) -> Result<AddJobFlowStepsOutput, Failure> {
        let faults = self.faults();
        let ids = self.change(|state, now| {
            let mut fresh = Fresh::new(self.ids.as_ref(), state.resource_ids());
            let cluster = state
                .clusters
                .get_mut(&input.job_flow_id)
                .ok_or_else(|| Failure::Validation(NO_JOB_FLOW.into()))?;
            if lifecycle::is_ending(&cluster.state) {
                return Err(Failure::Validation(SHUTTING_DOWN.into()));
            }
            let role = input.execution_role_arn.as_deref();
            let ids = Self::add_steps(cluster, &input.steps, role, now, &faults, &mut fresh)?;
            cluster.last_change = now;
            Ok(ids)
        })?;
        Ok(AddJobFlowStepsOutput::builder().step_ids(ids).build())
    }

    pub(crate) fn describe_cluster(&self, input: DescribeClusterInput) -> Result<DescribeClusterOutput, Failure> {
        let cluster = self.read(&input.cluster_id, |c| Ok(cluster_of(c)))?;
        Ok(DescribeClusterOutput::builder().cluster(cluster).build())
    }

    pub(crate) fn list_clusters(&self, input: ListClustersInput) -> Result<ListClustersOutput, Failure> {
        self.settle()?;
        let states: Option<Vec<&str>> = input
            .cluster_states
            .as_ref()
            .map(|s| s.iter().map(|s| s.as_str()).collect());
        let after = input.created_after.as_ref().map(|t| t.to_millis().unwrap_or(i64::MIN));
        let before = input.created_before.as_ref().map(|t| t.to_millis().unwrap_or(i64::MAX));
        let mut items: Vec<(i64, String, ClusterSummary)> = self.store.read(|s| {
            s.clusters
                .values()
                .filter(|c| states.as_ref().is_none_or(|states| states.contains(&c.state.as_str())))
                .filter(|c| after.is_none_or(|t| c.created >= t) && before.is_none_or(|t| c.created <= t))
                .map(|c| {
                    let summary = ClusterSummary::builder()
                        .id(&c.id)
                        .name(&c.name)
                        .cluster_arn(&c.arn)
                        .status(status_of(c))
                        .normalized_instance_hours(0)
                        .build();
                    (c.created, c.id.clone(), summary)
                })
                .collect()
        });
        // Newest first, as the service lists them.
        items.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
        let items = items.into_iter().map(|(_, id, s)| (id, s)).collect();
        let (clusters, marker) = page(items, input.marker.as_deref(), PAGE_SIZE)?;
        Ok(ListClustersOutput::builder()
            .clusters(clusters)
            .set_marker(marker)
            .build())
    }

    pub(crate) fn describe_step(&self, input: DescribeStepInput) -> Result<DescribeStepOutput, Failure> {
        let step = self.read(&input.cluster_id, |c| {
            c.steps
                .iter()
                .find(|s| s.id == input.step_id)
                .map(step_of)
                .ok_or_else(|| Failure::Invalid(no_step(&input.step_id)))
        })?;
        Ok(DescribeStepOutput::builder().step(step).build())
    }

    pub(crate) fn list_steps(&self, input: ListStepsInput) -> Result<ListStepsOutput, Failure> {
        let items = self.read(&input.cluster_id, |c| {
            Ok(c.steps
                .iter()
                .rev()
                .filter(|s| {
                    input
                        .step_states
                        .as_ref()
                        .is_none_or(|states| states.iter().any(|st| st.as_str() == s.state))
                })
                .filter(|s| input.step_ids.as_ref().is_none_or(|ids| ids.contains(&s.id)))
                .map(|s| (s.id.clone(), step_summary_of(s)))
                .collect())
        })?;
        let (steps, marker) = page(items, input.marker.as_deref(), PAGE_SIZE)?;
        Ok(ListStepsOutput::builder().steps(steps).set_marker(marker).build())
    }

    pub(crate) fn cancel_steps(&self, input: CancelStepsInput) -> Result<CancelStepsOutput, Failure> {
        let infos = self.change(|state, now| {
            let cluster = state
                .clusters
                .get_mut(&input.cluster_id)
                .ok_or_else(|| Failure::Invalid(no_cluster(&input.cluster_id)))?;
            let mut infos = Vec::new();
            for id in &input.step_ids {
                let info = CancelStepsInfo::builder().step_id(id);
                let info = match cluster.steps.iter_mut().find(|s| s.id == *id) {
                    Some(s) if lifecycle::is_active(&s.state) => {
                        s.state = ss::CANCELLED.to_owned();
                        s.ended = Some(now);
                        info.status(CancelStepsRequestStatus::Submitted).reason("")
                    }
                    Some(_) => info.status(CancelStepsRequestStatus::Failed).reason(OWN_STEP_DONE),
                    None => info.status(CancelStepsRequestStatus::Failed).reason(no_step(id)),
                };
                infos.push(info.build());
            }
            cluster.last_change = now;
            Ok(infos)
        })?;
        Ok(CancelStepsOutput::builder().cancel_steps_info_list(infos).build())
    }

    pub(crate) fn terminate_job_flows(
        &self,
        input: TerminateJobFlowsInput,
    ) -> Result<TerminateJobFlowsOutput, Failure> {
        self.change(|state, now| {
            for id in &input.job_flow_ids {
                let c = state
                    .clusters
                    .get(id)
                    .ok_or_else(|| Failure::Validation(NO_JOB_FLOW.into()))?;
                if c.termination_protected && !lifecycle::is_ending(&c.state) {
                    return Err(Failure::Validation(PROTECTED.into()));
                }
            }
            for id in &input.job_flow_ids {
                if let Some(c) = state.clusters.get_mut(id).filter(|c| !lifecycle::is_ending(&c.state)) {
                    lifecycle::terminate(c, now, reasons::USER_REQUEST);
                }
            }
            Ok(())
        })?;
        Ok(TerminateJobFlowsOutput::builder().build())
    }

    /// Sets a flag on each of `ids`, all or none.
    fn set_flag(&self, ids: &[String], set: impl Fn(&mut ClusterRecord)) -> Result<(), Failure> {
        self.change(|state, _| {
            if ids.iter().any(|id| !state.clusters.contains_key(id)) {
                return Err(Failure::Validation(NO_JOB_FLOW.into()));
            }
            for id in ids {
                if let Some(c) = state.clusters.get_mut(id) {
                    set(c);
                }
            }
            Ok(())
        })
    }

    pub(crate) fn set_termination_protection(&self, input: SetTerminationProtectionInput) -> Result<(), Failure> {
        self.set_flag(&input.job_flow_ids, |c| {
            c.termination_protected = input.termination_protected
        })
    }

    pub(crate) fn set_visible_to_all_users(&self, input: SetVisibleToAllUsersInput) -> Result<(), Failure> {
        self.set_flag(&input.job_flow_ids, |c| {
            c.visible_to_all_users = input.visible_to_all_users
        })
    }

    pub(crate) fn set_keep_alive(&self, input: SetKeepJobFlowAliveWhenNoStepsInput) -> Result<(), Failure> {
        self.set_flag(&input.job_flow_ids, |c| {
            c.keep_alive = input.keep_job_flow_alive_when_no_steps
        })
    }

    pub(crate) fn set_unhealthy_node_replacement(
        &self,
        input: SetUnhealthyNodeReplacementInput,
    ) -> Result<(), Failure> {
        self.set_flag(&input.job_flow_ids, |c| {
            c.unhealthy_node_replacement = input.unhealthy_node_replacement
        })
    }

    pub(crate) fn modify_cluster(&self, input: ModifyClusterInput) -> Result<ModifyClusterOutput, Failure> {
        let level = self.change(|state, now| {
            let c = state
                .clusters
                .get_mut(&input.cluster_id)
                .ok_or_else(|| Failure::Invalid(no_cluster(&input.cluster_id)))?;
            if let Some(level) = input.step_concurrency_level {
                if !(1..=256).contains(&level) {
                    return Err(Failure::Invalid(OWN_CONCURRENCY.into()));
                }
                if lifecycle::is_ending(&c.state) {
                    return Err(Failure::Invalid(SHUTTING_DOWN.into()));
                }
                c.step_concurrency_level = level;
                c.last_change = now;
            }
            Ok(c.step_concurrency_level)
        })?;
        Ok(ModifyClusterOutput::builder().step_concurrency_level(level).build())
    }

    pub(crate) fn list_instance_groups(
        &self,
        input: ListInstanceGroupsInput,
    ) -> Result<ListInstanceGroupsOutput, Failure> {
        let groups = self.read(&input.cluster_id, |c| {
            if c.instance_collection_type == "INSTANCE_FLEET" {
                return Err(Failure::Invalid(fill(
                    FLEET_CLUSTER,
                    &[("operation", "ListInstanceGroups"), ("instead", "ListInstanceFleets")],
                )));
            }
            let now = self.clock.now_ms();
            c.instance_groups
                .iter()
                .map(|g| Ok((g.id.clone(), instance_group_of(c, g, now, &self.durations)?)))
                .collect()
        })?;
        let (groups, marker) = page(groups, input.marker.as_deref(), PAGE_SIZE)?;
        Ok(ListInstanceGroupsOutput::builder()
            .instance_groups(groups)
            .set_marker(marker)
            .build())
    }

    pub(crate) fn list_instance_fleets(
        &self,
        input: ListInstanceFleetsInput,
    ) -> Result<ListInstanceFleetsOutput, Failure> {
        let fleets = self.read(&input.cluster_id, |c| {
            if c.instance_collection_type != "INSTANCE_FLEET" {
                return Err(Failure::Invalid(fill(
                    OWN_GROUP_CLUSTER,
                    &[("operation", "ListInstanceFleets"), ("instead", "ListInstanceGroups")],
                )));
            }
            let now = self.clock.now_ms();
            Ok(c.instance_fleets
                .iter()
                .map(|f| (f.id.clone(), instance_fleet_of(c, f, now, &self.durations)))
                .collect())
        })?;
        let (fleets, marker) = page(fleets, input.marker.as_deref(), PAGE_SIZE)?;
        Ok(ListInstanceFleetsOutput::builder()
            .instance_fleets(fleets)
            .set_marker(marker)
            .build())
    }

    pub(crate) fn list_bootstrap_actions(
        &self,
        input: ListBootstrapActionsInput,
    ) -> Result<ListBootstrapActionsOutput, Failure> {
        let actions = self.read(&input.cluster_id, |c| {
            Ok(c.bootstrap_actions
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let command = Command::builder()
                        .name(&b.name)
                        .script_path(&b.path)
                        .args(b.args.clone())
                        .build();
                    (i.to_string(), command)
                })
                .collect())
        })?;
        let (actions, marker) = page(actions, input.marker.as_deref(), PAGE_SIZE)?;
        Ok(ListBootstrapActionsOutput::builder()
            .bootstrap_actions(actions)
            .set_marker(marker)
            .build())
    }

    /// AddTags and RemoveTags on a cluster or a studio.
    pub(crate) fn retag(&self, id: &str, change: impl FnOnce(&mut Vec<TagRecord>)) -> Result<(), Failure> {
        self.change(|state, _| {
            let tags = match state.studios.get_mut(id) {
                Some(studio) => &mut studio.tags,
                None => {
                    let c = state
                        .clusters
                        .get_mut(id)
                        .ok_or_else(|| Failure::Invalid(no_cluster(id)))?;
                    &mut c.tags
                }
            };
            change(tags);
            Ok(())
        })
    }
}
