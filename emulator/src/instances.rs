//! Instances of instance groups and fleets, and the operations that list, add and resize them: `ListInstances`,
//! `AddInstanceGroups`, `ModifyInstanceGroups`, `AddInstanceFleet`, `ModifyInstanceFleet`. `ListInstances` tells, as
//! the API reference says, of the active instances and those terminated in the last 30 days, at most 2,000, 50 a
//! page.
//!
//! A group or fleet has as many live instances as it asks for (a fleet one per unit of capacity, on-demand ones
//! first). An instance is PROVISIONING for the cluster's `starting` duration after it was created, BOOTSTRAPPING for
//! `bootstrapping`, then RUNNING, and TERMINATED when a resize to fewer instances ends it (the newest go first) or
//! its cluster has ended. The instances `RunJobFlow` creates are as old as their cluster, so they follow it state
//! for state; a group or fleet is RESIZING while one of its live instances is not yet RUNNING. A resize takes
//! effect in the request: the requested count is the new one at once.

use crate::clusters::{
    fill, group_state, no_cluster, page, time, Clusters, Failure, FLEET_BOTH_CAPACITIES, FLEET_CLUSTER,
    GROUP_NOT_RUNNING, NO_JOB_FLOW, OWN_FLEET_EXISTS, OWN_GROUP_CLUSTER, OWN_MASTER_COUNT, OWN_NEGATIVE_CAPACITY,
    OWN_NEGATIVE_COUNT, OWN_NO_FLEET, OWN_NO_GROUP, OWN_NO_INSTANCE_TYPES, OWN_ROLE_EXISTS, OWN_TOO_MANY_TASK_GROUPS,
    PAGE_SIZE, SHUTTING_DOWN,
};
use crate::ids::Fresh;
use crate::lifecycle::{self, cluster_state as cs, ms, Durations};
use crate::model::operations::*;
use crate::model::types::*;
use crate::state::{AutoScalingPolicyRecord, ClusterRecord, InstanceFleetRecord, InstanceGroupRecord, InstanceRecord};

/// The most TASK instance groups a cluster may have.
pub const MAX_TASK_GROUPS: usize = 48;
/// The most instances ListInstances tells of, over all its pages (the API reference's figure).
pub const MAX_LISTED_INSTANCES: usize = 2_000;
/// How long ListInstances still tells of a terminated instance: 30 days.
pub const TERMINATED_LISTED_MS: i64 = 30 * 86_400_000;

const FLEET: &str = "INSTANCE_FLEET";

/// FNV-1a: the EC2 id and address of an instance follow from its `ci-` id, so they never change.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn new_instance(ids: &mut Fresh<'_>, instance_type: &str, market: &str, now: i64) -> InstanceRecord {
    let id = ids.resource_id("ci-");
    let h = hash(&id);
    InstanceRecord {
        ec2_instance_id: format!("i-{h:017x}"),
        private_ip_address: format!("10.0.{}.{}", (h >> 8) & 0xff, (h & 0xff).clamp(4, 254)),
        id,
        instance_type: instance_type.to_owned(),
        market: market.to_owned(),
        created: now,
        ended: None,
    }
}

/// Gives `instances` as many live instances of `market` as `want`: new ones, or the newest ended.
fn staff(
    instances: &mut Vec<InstanceRecord>,
    market: &str,
    want: i32,
    instance_type: &str,
    now: i64,
    ids: &mut Fresh<'_>,
) {
    let want = usize::try_from(want).unwrap_or(0);
    let live = instances
        .iter()
        .filter(|i| i.ended.is_none() && i.market == market)
        .count();
    for _ in live..want {
        instances.push(new_instance(ids, instance_type, market, now));
    }
    let mut extra = live.saturating_sub(want);
    for i in instances.iter_mut().rev() {
        if extra == 0 {
            break;
        }
        if i.ended.is_none() && i.market == market {
            i.ended = Some(now);
            extra -= 1;
        }
    }
}

/// Gives a group as many live instances as it asks for.
pub(crate) fn staff_group(g: &mut InstanceGroupRecord, now: i64, ids: &mut Fresh<'_>) {
    staff(
        &mut g.instances,
        &g.market,
        g.instance_count,
        &g.instance_type,
        now,
        ids,
    );
}

/// Gives a fleet one live instance per unit of its on-demand and spot capacity.
pub(crate) fn staff_fleet(f: &mut InstanceFleetRecord, now: i64, ids: &mut Fresh<'_>) {
    // Fleets kept by an emulator that did not keep their type have instances of an unknown type.
    let instance_type = f.instance_type.clone().unwrap_or_default();
    staff(
        &mut f.instances,
        "ON_DEMAND",
        f.target_on_demand_capacity,
        &instance_type,
        now,
        ids,
    );
    staff(
        &mut f.instances,
        "SPOT",
        f.target_spot_capacity,
        &instance_type,
        now,
        ids,
    );
}

/// An instance's state, when it was ready and when it ended.
fn instance_state(
    c: &ClusterRecord,
    i: &InstanceRecord,
    now: i64,
    d: &Durations,
) -> (&'static str, Option<i64>, Option<i64>) {
    let ended = i.ended.or(c.ended);
    let provisioned = i.created + ms(d.starting);
    let ready = provisioned + ms(d.bootstrapping);
    // Never ready: its cluster failed before it was, or it ended first.
    let was_ready = c.ready.is_some() && ended.is_none_or(|e| e >= ready);
    let ready_at = was_ready.then(|| ready.max(c.ready.unwrap_or(ready)));
    let state = if ended.is_some() {
        "TERMINATED"
    } else {
        match c.state.as_str() {
            cs::STARTING => "PROVISIONING",
            cs::BOOTSTRAPPING => "BOOTSTRAPPING",
            _ if c.ready.is_none() => "BOOTSTRAPPING",
            _ if now < provisioned => "PROVISIONING",
            _ if now < ready => "BOOTSTRAPPING",
            _ => "RUNNING",
        }
    };
    let ready_at = if state == "RUNNING" || state == "TERMINATED" {
        ready_at
    } else {
        None
    };
    (state, ready_at, ended)
}

fn running(c: &ClusterRecord, instances: &[InstanceRecord], market: Option<&str>, now: i64, d: &Durations) -> i32 {
    let n = instances
        .iter()
        .filter(|i| market.is_none_or(|m| i.market == m))
        .filter(|i| instance_state(c, i, now, d).0 == "RUNNING")
        .count();
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A group's or fleet's state: its cluster's, or RESIZING while a live instance is not yet running.
fn collection_state(c: &ClusterRecord, instances: &[InstanceRecord], now: i64, d: &Durations) -> &'static str {
    let state = group_state(c);
    let resizing = instances
        .iter()
        .any(|i| i.ended.is_none() && instance_state(c, i, now, d).0 != "RUNNING");
    if state == "RUNNING" && resizing {
        "RESIZING"
    } else {
        state
    }
}

fn created_of(c: &ClusterRecord, created: Option<i64>) -> i64 {
    created.unwrap_or(c.created)
}

/// How ListInstanceGroups shows a group.
pub(crate) fn instance_group_of(
    c: &ClusterRecord,
    g: &InstanceGroupRecord,
    now: i64,
    d: &Durations,
) -> Result<InstanceGroup, Failure> {
    let status = InstanceGroupStatus::builder()
        .state(collection_state(c, &g.instances, now, d))
        .state_change_reason(InstanceGroupStateChangeReason::builder().build())
        .timeline(
            InstanceGroupTimeline::builder()
                .creation_date_time(time(created_of(c, g.created)))
                .set_ready_date_time(c.ready.map(|r| time(r.max(created_of(c, g.created)))))
                .set_end_date_time(c.ended.map(time))
                .build(),
        )
        .build();
    let policy = g
        .auto_scaling_policy
        .as_ref()
        .map(|p| crate::policies::auto_scaling_policy_description(c, p, now, d))
        .transpose()?;
    Ok(InstanceGroup::builder()
        .id(&g.id)
        .set_name(g.name.clone())
        .instance_group_type(g.role.as_str())
        .instance_type(&g.instance_type)
        .market(g.market.as_str())
        .requested_instance_count(g.instance_count)
        .running_instance_count(running(c, &g.instances, None, now, d))
        .status(status)
        .set_auto_scaling_policy(policy)
        .build())
}

/// How ListInstanceFleets shows a fleet.
pub(crate) fn instance_fleet_of(c: &ClusterRecord, f: &InstanceFleetRecord, now: i64, d: &Durations) -> InstanceFleet {
    let status = InstanceFleetStatus::builder()
        .state(collection_state(c, &f.instances, now, d))
        .state_change_reason(InstanceFleetStateChangeReason::builder().build())
        .timeline(
            InstanceFleetTimeline::builder()
                .creation_date_time(time(created_of(c, f.created)))
                .set_ready_date_time(c.ready.map(|r| time(r.max(created_of(c, f.created)))))
                .set_end_date_time(c.ended.map(time))
                .build(),
        )
        .build();
    InstanceFleet::builder()
        .id(&f.id)
        .set_name(f.name.clone())
        .instance_fleet_type(f.fleet_type.as_str())
        .target_on_demand_capacity(f.target_on_demand_capacity)
        .target_spot_capacity(f.target_spot_capacity)
        .provisioned_on_demand_capacity(running(c, &f.instances, Some("ON_DEMAND"), now, d))
        .provisioned_spot_capacity(running(c, &f.instances, Some("SPOT"), now, d))
        .status(status)
        .build()
}

/// The private DNS name EC2 gives an address in `region`.
pub(crate) fn private_dns(ip: &str, region: &str) -> String {
    let host = format!("ip-{}", ip.replace('.', "-"));
    if region == "us-east-1" {
        format!("{host}.ec2.internal")
    } else {
        format!("{host}.{region}.compute.internal")
    }
}

fn instance_of(
    c: &ClusterRecord,
    i: &InstanceRecord,
    group: Option<&str>,
    fleet: Option<&str>,
    now: i64,
    d: &Durations,
    region: &str,
) -> Instance {
    let (state, ready, ended) = instance_state(c, i, now, d);
    // An instance a resize ended has no code of its own in the model.
    let cluster_ended = state == "TERMINATED" && i.ended.is_none();
    let reason = InstanceStateChangeReason::builder()
        .set_code(cluster_ended.then_some(InstanceStateChangeReasonCode::ClusterTerminated))
        .build();
    let status = InstanceStatus::builder()
        .state(state)
        .state_change_reason(reason)
        .timeline(
            InstanceTimeline::builder()
                .creation_date_time(time(i.created))
                .set_ready_date_time(ready.map(time))
                .set_end_date_time(ended.map(time))
                .build(),
        )
        .build();
    Instance::builder()
        .id(&i.id)
        .ec2_instance_id(&i.ec2_instance_id)
        .private_ip_address(&i.private_ip_address)
        .private_dns_name(private_dns(&i.private_ip_address, region))
        .instance_type(&i.instance_type)
        .market(i.market.as_str())
        .set_instance_group_id(group.map(str::to_owned))
        .set_instance_fleet_id(fleet.map(str::to_owned))
        .status(status)
        .ebs_volumes(Vec::<EbsVolume>::new())
        .build()
}

/// The MASTER group's (or fleet's) first live instance.
pub(crate) fn master_instance(c: &ClusterRecord) -> Option<&InstanceRecord> {
    let groups = c
        .instance_groups
        .iter()
        .filter(|g| g.role == "MASTER")
        .flat_map(|g| &g.instances);
    let fleets = c
        .instance_fleets
        .iter()
        .filter(|f| f.fleet_type == "MASTER")
        .flat_map(|f| &f.instances);
    groups.chain(fleets).find(|i| i.ended.is_none() && c.ended.is_none())
}

impl Clusters {
    pub(crate) fn list_instances(&self, input: ListInstancesInput) -> Result<ListInstancesOutput, Failure> {
        let d = &self.durations;
        let region = self.region.as_str();
        let items = self.read(&input.cluster_id, |c| {
            let now = self.clock.now_ms();
            if let Some(id) = &input.instance_group_id {
                if !c.instance_groups.iter().any(|g| g.id == *id) {
                    return Err(Failure::Invalid(fill(OWN_NO_GROUP, &[("id", id)])));
                }
            }
            if let Some(id) = &input.instance_fleet_id {
                if !c.instance_fleets.iter().any(|f| f.id == *id) {
                    return Err(Failure::Invalid(fill(OWN_NO_FLEET, &[("id", id)])));
                }
            }
            // Active instances, and those terminated in the last 30 days.
            let listed = |i: &&InstanceRecord| i.ended.or(c.ended).is_none_or(|e| now - e <= TERMINATED_LISTED_MS);
            let mut items = Vec::new();
            for g in &c.instance_groups {
                let wanted = input.instance_group_id.as_ref().is_none_or(|id| *id == g.id)
                    && input
                        .instance_group_types
                        .as_ref()
                        .is_none_or(|types| types.iter().any(|t| t.as_str() == g.role))
                    && input.instance_fleet_id.is_none()
                    && input.instance_fleet_type.is_none();
                if wanted {
                    items.extend(
                        g.instances
                            .iter()
                            .filter(listed)
                            .map(|i| instance_of(c, i, Some(&g.id), None, now, d, region)),
                    );
                }
            }
            for f in &c.instance_fleets {
                let wanted = input.instance_fleet_id.as_ref().is_none_or(|id| *id == f.id)
                    && input
                        .instance_fleet_type
                        .as_ref()
                        .is_none_or(|t| t.as_str() == f.fleet_type)
                    && input.instance_group_id.is_none()
                    && input.instance_group_types.is_none();
                if wanted {
                    items.extend(
                        f.instances
                            .iter()
                            .filter(listed)
                            .map(|i| instance_of(c, i, None, Some(&f.id), now, d, region)),
                    );
                }
            }
            Ok(items
                .into_iter()
                .filter(|i| {
                    input.instance_states.as_ref().is_none_or(|states| {
                        let state = i.status.as_ref().and_then(|s| s.state.as_ref());
                        state.is_some_and(|s| states.contains(s))
                    })
                })
                .take(MAX_LISTED_INSTANCES)
                .map(|i| (i.id.clone().unwrap_or_default(), i))
                .collect::<Vec<_>>())
        })?;
        let (instances, marker) = page(items, input.marker.as_deref(), PAGE_SIZE)?;
        Ok(ListInstancesOutput::builder()
            .instances(instances)
            .set_marker(marker)
            .build())
    }

    pub(crate) fn add_instance_groups(
        &self,
        input: AddInstanceGroupsInput,
    ) -> Result<AddInstanceGroupsOutput, Failure> {
        let (ids, arn) = self.change(|state, now| {
            let mut fresh = Fresh::new(self.ids.as_ref(), state.resource_ids());
            let c = state
                .clusters
                .get_mut(&input.job_flow_id)
                .ok_or_else(|| Failure::Validation(NO_JOB_FLOW.into()))?;
            if c.instance_collection_type == FLEET {
                return Err(Failure::Validation(fill(
                    FLEET_CLUSTER,
                    &[("operation", "AddInstanceGroups"), ("instead", "AddInstanceFleet")],
                )));
            }
            if lifecycle::is_ending(&c.state) {
                return Err(Failure::Validation(SHUTTING_DOWN.into()));
            }
            let mut ids = Vec::new();
            for config in &input.instance_groups {
                let role = config.instance_role.as_str();
                if role != "TASK" && c.instance_groups.iter().any(|g| g.role == role) {
                    return Err(Failure::Validation(fill(OWN_ROLE_EXISTS, &[("role", role)])));
                }
                if role == "TASK" && c.instance_groups.iter().filter(|g| g.role == "TASK").count() >= MAX_TASK_GROUPS {
                    return Err(Failure::Validation(OWN_TOO_MANY_TASK_GROUPS.into()));
                }
                if config.instance_count < 0 {
                    return Err(Failure::Validation(OWN_NEGATIVE_COUNT.into()));
                }
                let policy = match &config.auto_scaling_policy {
                    Some(p) => {
                        crate::policies::check_auto_scaling_policy(role, p)?;
                        Some(AutoScalingPolicyRecord {
                            policy: crate::policies::auto_scaling_policy_wire(p),
                            put: now,
                        })
                    }
                    None => None,
                };
                let mut group = InstanceGroupRecord {
                    id: fresh.resource_id("ig-"),
                    name: config.name.clone(),
                    role: role.to_owned(),
                    instance_type: config.instance_type.clone(),
                    instance_count: config.instance_count,
                    market: config.market.as_ref().map_or("ON_DEMAND", |m| m.as_str()).to_owned(),
                    created: Some(now),
                    instances: Vec::new(),
                    auto_scaling_policy: policy,
                };
                staff_group(&mut group, now, &mut fresh);
                ids.push(group.id.clone());
                c.instance_groups.push(group);
            }
            Ok((ids, c.arn.clone()))
        })?;
        Ok(AddInstanceGroupsOutput::builder()
            .job_flow_id(&input.job_flow_id)
            .cluster_arn(arn)
            .instance_group_ids(ids)
            .build())
    }

    pub(crate) fn modify_instance_groups(
        &self,
        input: ModifyInstanceGroupsInput,
    ) -> Result<ModifyInstanceGroupsOutput, Failure> {
        self.change(|state, now| {
            let mut fresh = Fresh::new(self.ids.as_ref(), state.resource_ids());
            for config in input.instance_groups.iter().flatten() {
                let id = &config.instance_group_id;
                let owner = match &input.cluster_id {
                    Some(cluster) => {
                        if !state.clusters.contains_key(cluster) {
                            return Err(Failure::Validation(NO_JOB_FLOW.into()));
                        }
                        Some(cluster.clone())
                    }
                    None => state
                        .clusters
                        .values()
                        .find(|c| c.instance_groups.iter().any(|g| g.id == *id))
                        .map(|c| c.id.clone()),
                };
                let c = owner
                    .and_then(|owner| state.clusters.get_mut(&owner))
                    .ok_or_else(|| Failure::Validation(fill(OWN_NO_GROUP, &[("id", id)])))?;
                if c.instance_collection_type == FLEET {
                    return Err(Failure::Validation(fill(
                        FLEET_CLUSTER,
                        &[
                            ("operation", "ModifyInstanceGroups"),
                            ("instead", "ModifyInstanceFleet"),
                        ],
                    )));
                }
                if !matches!(c.state.as_str(), cs::RUNNING | cs::WAITING) {
                    return Err(Failure::Validation(GROUP_NOT_RUNNING.into()));
                }
                let g = c
                    .instance_groups
                    .iter_mut()
                    .find(|g| g.id == *id)
                    .ok_or_else(|| Failure::Validation(fill(OWN_NO_GROUP, &[("id", id)])))?;
                if let Some(count) = config.instance_count {
                    if count < 0 {
                        return Err(Failure::Validation(OWN_NEGATIVE_COUNT.into()));
                    }
                    if g.role == "MASTER" && count != g.instance_count {
                        return Err(Failure::Validation(OWN_MASTER_COUNT.into()));
                    }
                    g.instance_count = count;
                    staff_group(g, now, &mut fresh);
                }
            }
            Ok(())
        })?;
        Ok(ModifyInstanceGroupsOutput::builder().build())
    }

    pub(crate) fn add_instance_fleet(&self, input: AddInstanceFleetInput) -> Result<AddInstanceFleetOutput, Failure> {
        let (id, arn) = self.change(|state, now| {
            let mut fresh = Fresh::new(self.ids.as_ref(), state.resource_ids());
            let c = state
                .clusters
                .get_mut(&input.cluster_id)
                .ok_or_else(|| Failure::Invalid(no_cluster(&input.cluster_id)))?;
            if c.instance_collection_type != FLEET {
                return Err(Failure::Invalid(fill(
                    OWN_GROUP_CLUSTER,
                    &[("operation", "AddInstanceFleet"), ("instead", "AddInstanceGroups")],
                )));
            }
            if lifecycle::is_ending(&c.state) {
                return Err(Failure::Invalid(SHUTTING_DOWN.into()));
            }
            let config = &input.instance_fleet;
            let fleet_type = config.instance_fleet_type.as_str();
            if fleet_type != "TASK" && c.instance_fleets.iter().any(|f| f.fleet_type == fleet_type) {
                return Err(Failure::Invalid(fill(OWN_FLEET_EXISTS, &[("type", fleet_type)])));
            }
            let instance_type = config
                .instance_type_configs
                .as_ref()
                .and_then(|t| t.first())
                .map(|t| t.instance_type.clone())
                .ok_or_else(|| Failure::Invalid(OWN_NO_INSTANCE_TYPES.into()))?;
            let on_demand = config.target_on_demand_capacity.unwrap_or(0);
            let spot = config.target_spot_capacity.unwrap_or(0);
            if on_demand < 0 || spot < 0 {
                return Err(Failure::Invalid(OWN_NEGATIVE_CAPACITY.into()));
            }
            let mut fleet = InstanceFleetRecord {
                id: fresh.resource_id("if-"),
                name: config.name.clone(),
                fleet_type: fleet_type.to_owned(),
                target_on_demand_capacity: on_demand,
                target_spot_capacity: spot,
                instance_type: Some(instance_type),
                created: Some(now),
                instances: Vec::new(),
            };
            staff_fleet(&mut fleet, now, &mut fresh);
            let id = fleet.id.clone();
            c.instance_fleets.push(fleet);
            Ok((id, c.arn.clone()))
        })?;
        Ok(AddInstanceFleetOutput::builder()
            .cluster_id(&input.cluster_id)
            .cluster_arn(arn)
            .instance_fleet_id(id)
            .build())
    }

    pub(crate) fn modify_instance_fleet(
        &self,
        input: ModifyInstanceFleetInput,
    ) -> Result<ModifyInstanceFleetOutput, Failure> {
        self.change(|state, now| {
            let mut fresh = Fresh::new(self.ids.as_ref(), state.resource_ids());
            let c = state
                .clusters
                .get_mut(&input.cluster_id)
                .ok_or_else(|| Failure::Invalid(no_cluster(&input.cluster_id)))?;
            if c.instance_collection_type != FLEET {
                return Err(Failure::Invalid(fill(
                    OWN_GROUP_CLUSTER,
                    &[
                        ("operation", "ModifyInstanceFleet"),
                        ("instead", "ModifyInstanceGroups"),
                    ],
                )));
            }
            if lifecycle::is_ending(&c.state) {
                return Err(Failure::Invalid(SHUTTING_DOWN.into()));
            }
            let config = &input.instance_fleet;
            let id = &config.instance_fleet_id;
            let f = c
                .instance_fleets
                .iter_mut()
                .find(|f| f.id == *id)
                .ok_or_else(|| Failure::Invalid(fill(OWN_NO_FLEET, &[("id", id)])))?;
            let (Some(on_demand), Some(spot)) = (config.target_on_demand_capacity, config.target_spot_capacity) else {
                return Err(Failure::Invalid(fill(FLEET_BOTH_CAPACITIES, &[("id", id)])));
            };
            if on_demand < 0 || spot < 0 {
                return Err(Failure::Invalid(OWN_NEGATIVE_CAPACITY.into()));
            }
            f.target_on_demand_capacity = on_demand;
            f.target_spot_capacity = spot;
            staff_fleet(f, now, &mut fresh);
            Ok(())
        })?;
        Ok(ModifyInstanceFleetOutput::builder().build())
    }
}
