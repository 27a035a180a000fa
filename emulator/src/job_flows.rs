//! `DescribeJobFlows`, the deprecated description of clusters as job flows, built from the same clusters, steps,
//! instance groups and instances as the newer operations.
//!
//! As the API reference says: only job flows created within the last two months are returned, at most 512; with no
//! parameter, those created within the last two weeks or in one of the states RUNNING, WAITING, SHUTTING_DOWN,
//! STARTING. A cluster's state becomes the job flow's: TERMINATING is SHUTTING_DOWN, TERMINATED after its steps
//! completed is COMPLETED, otherwise TERMINATED, and TERMINATED_WITH_ERRORS is FAILED. An unknown id in
//! `JobFlowIds` is "Specified job flow ID does not exist." (`ValidationException`). Job flows are listed newest first.

use crate::clusters::{built, time, Clusters, Failure, NO_JOB_FLOW};
use crate::instances::{master_instance, private_dns};
use crate::lifecycle::{cluster_state as cs, Durations};
use crate::model::operations::*;
use crate::model::types::*;
use crate::state::{ClusterRecord, InstanceGroupRecord};

/// The most job flows one answer describes.
pub const MAX_JOB_FLOWS: usize = 512;

const DAY_MS: i64 = 86_400_000;
/// How far back DescribeJobFlows looks at all: two months.
pub const LOOK_BACK_MS: i64 = 61 * DAY_MS;
/// How far back it looks when asked nothing: two weeks.
pub const RECENT_MS: i64 = 14 * DAY_MS;

/// The job flow state of a cluster.
pub(crate) fn job_flow_state(c: &ClusterRecord) -> &'static str {
    match c.state.as_str() {
        cs::STARTING => "STARTING",
        cs::BOOTSTRAPPING => "BOOTSTRAPPING",
        cs::RUNNING => "RUNNING",
        cs::WAITING => "WAITING",
        cs::TERMINATING => "SHUTTING_DOWN",
        cs::TERMINATED if c.reason_code.as_deref() == Some("ALL_STEPS_COMPLETED") => "COMPLETED",
        cs::TERMINATED => "TERMINATED",
        _ => "FAILED",
    }
}

fn instance_group_detail(
    c: &ClusterRecord,
    g: &InstanceGroupRecord,
    now: i64,
    d: &Durations,
) -> Result<InstanceGroupDetail, Failure> {
    let group = crate::instances::instance_group_of(c, g, now, d)?;
    let status = group.status.as_ref();
    let timeline = status.and_then(|s| s.timeline.as_ref());
    built(
        InstanceGroupDetail::builder()
            .instance_group_id(&g.id)
            .set_name(g.name.clone())
            .instance_role(g.role.as_str())
            .instance_type(&g.instance_type)
            .market(g.market.as_str())
            .instance_request_count(g.instance_count)
            .instance_running_count(group.running_instance_count.unwrap_or(0))
            .state(status.and_then(|s| s.state.as_ref()).map_or("RUNNING", |s| s.as_str()))
            .creation_date_time(time(g.created.unwrap_or(c.created)))
            .set_start_date_time(c.ready.map(time))
            .set_ready_date_time(timeline.and_then(|t| t.ready_date_time))
            .set_end_date_time(c.ended.map(time))
            .build(),
    )
}

fn instance_type_of(c: &ClusterRecord, role: &str) -> String {
    let group = c
        .instance_groups
        .iter()
        .find(|g| g.role == role)
        .map(|g| g.instance_type.clone());
    let fleet = || {
        c.instance_fleets
            .iter()
            .find(|f| f.fleet_type == role)
            .and_then(|f| f.instance_type.clone())
    };
    group.or_else(fleet).unwrap_or_default()
}

fn job_flow_of(c: &ClusterRecord, now: i64, d: &Durations, region: &str) -> Result<JobFlowDetail, Failure> {
    let groups = c
        .instance_groups
        .iter()
        .map(|g| instance_group_detail(c, g, now, d))
        .collect::<Result<Vec<_>, _>>()?;
    let count: i32 = c.instance_groups.iter().map(|g| g.instance_count).sum::<i32>()
        + c.instance_fleets
            .iter()
            .map(|f| f.target_on_demand_capacity + f.target_spot_capacity)
            .sum::<i32>();
    let master = master_instance(c);
    let core_type = instance_type_of(c, "CORE");
    let master_type = instance_type_of(c, "MASTER");
    let instances = built(
        JobFlowInstancesDetail::builder()
            .master_instance_type(&master_type)
            .slave_instance_type(if core_type.is_empty() {
                master_type.clone()
            } else {
                core_type
            })
            .instance_count(count)
            .instance_groups(groups)
            .set_master_instance_id(master.map(|i| i.ec2_instance_id.clone()))
            .set_master_public_dns_name(master.map(|i| private_dns(&i.private_ip_address, region)))
            .normalized_instance_hours(0)
            .keep_job_flow_alive_when_no_steps(c.keep_alive)
            .termination_protected(c.termination_protected)
            .unhealthy_node_replacement(c.unhealthy_node_replacement)
            .build(),
    )?;
    let status = built(
        JobFlowExecutionStatusDetail::builder()
            .state(job_flow_state(c))
            .creation_date_time(time(c.created))
            .set_start_date_time(c.ready.map(time))
            .set_ready_date_time(c.ready.map(time))
            .set_end_date_time(c.ended.map(time))
            .set_last_state_change_reason(c.reason_message.clone())
            .build(),
    )?;
    let steps = c
        .steps
        .iter()
        .map(|s| {
            let config = built(
                StepConfig::builder()
                    .name(&s.name)
                    .action_on_failure(s.action_on_failure.as_str())
                    .hadoop_jar_step(built(
                        HadoopJarStepConfig::builder()
                            .jar(&s.jar)
                            .set_main_class(s.main_class.clone())
                            .args(s.args.clone())
                            .build(),
                    )?)
                    .build(),
            )?;
            let reason = s
                .failure
                .as_ref()
                .map(|f| f.1.clone())
                .or_else(|| s.reason_message.clone());
            let status = built(
                StepExecutionStatusDetail::builder()
                    .state(s.state.as_str())
                    .creation_date_time(time(s.created))
                    .set_start_date_time(s.started.map(time))
                    .set_end_date_time(s.ended.map(time))
                    .set_last_state_change_reason(reason)
                    .build(),
            )?;
            built(
                StepDetail::builder()
                    .step_config(config)
                    .execution_status_detail(status)
                    .build(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let actions = c
        .bootstrap_actions
        .iter()
        .map(|b| {
            let script = built(
                ScriptBootstrapActionConfig::builder()
                    .path(&b.path)
                    .args(b.args.clone())
                    .build(),
            )?;
            let config = built(
                BootstrapActionConfig::builder()
                    .name(&b.name)
                    .script_bootstrap_action(script)
                    .build(),
            )?;
            Ok(BootstrapActionDetail::builder().bootstrap_action_config(config).build())
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    built(
        JobFlowDetail::builder()
            .job_flow_id(&c.id)
            .name(&c.name)
            .set_log_uri(c.log_uri.clone())
            .set_service_role(c.service_role.clone())
            .set_job_flow_role(c.job_flow_role.clone())
            .visible_to_all_users(c.visible_to_all_users)
            .execution_status_detail(status)
            .instances(instances)
            .steps(steps)
            .bootstrap_actions(actions)
            .supported_products(Vec::<String>::new())
            .build(),
    )
}

impl Clusters {
    pub(crate) fn describe_job_flows(&self, input: DescribeJobFlowsInput) -> Result<DescribeJobFlowsOutput, Failure> {
        let now = self.settle()?;
        let asked_nothing = input.job_flow_ids.is_none()
            && input.job_flow_states.is_none()
            && input.created_after.is_none()
            && input.created_before.is_none();
        let after = input.created_after.as_ref().map(|t| t.to_millis().unwrap_or(i64::MIN));
        let before = input.created_before.as_ref().map(|t| t.to_millis().unwrap_or(i64::MAX));
        let mut flows = self.store.read(|s| {
            if let Some(ids) = &input.job_flow_ids {
                if ids.iter().any(|id| !s.clusters.contains_key(id)) {
                    return Err(Failure::Validation(NO_JOB_FLOW.into()));
                }
            }
            let mut flows = Vec::new();
            for c in s.clusters.values() {
                let state = job_flow_state(c);
                let wanted = c.created >= now - LOOK_BACK_MS
                    && input.job_flow_ids.as_ref().is_none_or(|ids| ids.contains(&c.id))
                    && input
                        .job_flow_states
                        .as_ref()
                        .is_none_or(|states| states.iter().any(|st| st.as_str() == state))
                    && after.is_none_or(|t| c.created >= t)
                    && before.is_none_or(|t| c.created <= t)
                    && (!asked_nothing
                        || c.created >= now - RECENT_MS
                        || matches!(state, "RUNNING" | "WAITING" | "SHUTTING_DOWN" | "STARTING"));
                if wanted {
                    flows.push((
                        c.created,
                        c.id.clone(),
                        job_flow_of(c, now, &self.durations, &self.region)?,
                    ));
                }
            }
            Ok(flows)
        })?;
        flows.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
        flows.truncate(MAX_JOB_FLOWS);
        Ok(DescribeJobFlowsOutput::builder()
            .job_flows(flows.into_iter().map(|(_, _, f)| f).collect::<Vec<_>>())
            .build())
    }
}
