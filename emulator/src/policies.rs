//! Policies: automatic scaling on an instance group, managed scaling and auto-termination on a cluster, and the
//! account's block public access configuration.
//!
//! Policies are kept as the JSON the wire carries them in (the generated encoders write it, the generated decoders
//! read it back), so that every member the model has survives a restart. An automatic scaling policy is PENDING
//! from when it is put until its cluster is ready and one `starting` duration has passed (one waiter delay on the
//! manual clock), then ATTACHED, and DETACHED once its cluster is shutting down. An auto-termination policy ends
//! a WAITING cluster that has been idle for its `IdleTimeout` ([`crate::lifecycle`]). With no block public access
//! configuration put, the account has the service's default: block public access on, port 22 permitted.

use crate::awsjson::Violation;
use crate::clusters::{
    built, fill, no_cluster, Clusters, Failure, FLEET_CLUSTER, OWN_COMPUTE_LIMITS, OWN_IDLE_TIMEOUT, OWN_NO_GROUP,
    OWN_PORT_RANGE, OWN_SCALING_CONSTRAINTS, OWN_SCALING_ROLE, SHUTTING_DOWN,
};
use crate::lifecycle::{self, cluster_state as cs, ms, Durations};
use crate::model::operations::*;
use crate::model::types::*;
use crate::state::{AutoScalingPolicyRecord, BlockPublicAccessRecord, ClusterRecord, State};
use lean_aws_runtime::protocol::json::{DecodeError, JsonWriter, Value};
use lean_aws_runtime::validate::Path;

/// The shortest and longest `IdleTimeout`, in seconds (the API reference's).
pub const IDLE_TIMEOUT_SECONDS: std::ops::RangeInclusive<i64> = 60..=604_800;

/// When the default block public access configuration dates from: the API reference says accounts that had created
/// no cluster in a Region before November 25, 2019 have block public access on by default.
pub const DEFAULT_BLOCK_PUBLIC_ACCESS_SINCE: i64 = 1_574_640_000_000;

/// A value as its JSON on the wire.
pub(crate) fn wire(write: impl FnOnce(&mut JsonWriter)) -> Value {
    let mut w = JsonWriter::new();
    write(&mut w);
    serde_json::from_slice(&w.finish()).unwrap_or(Value::Null)
}

/// A value read back from its JSON on the wire; a state file that holds something else is the emulator's failure.
pub(crate) fn unwire<T>(
    v: &Value,
    what: &str,
    de: impl FnOnce(&Value, &Path<'_>, &mut Vec<Violation>) -> Result<T, DecodeError>,
) -> Result<T, Failure> {
    let mut violations = Vec::new();
    match de(v, &Path::Root, &mut violations) {
        Ok(t) if violations.is_empty() => Ok(t),
        _ => Err(Failure::Internal(format!("the state file's {what} is not one"))),
    }
}

pub(crate) fn auto_scaling_policy_wire(p: &AutoScalingPolicy) -> Value {
    wire(|w| {
        w.begin_object();
        w.key("Constraints");
        ser_scaling_constraints(&p.constraints, w);
        w.key("Rules");
        ser_scaling_rule_list(&p.rules, w);
        w.end_object();
    })
}

pub(crate) fn managed_scaling_policy_wire(p: &ManagedScalingPolicy) -> Value {
    wire(|w| ser_managed_scaling_policy(p, w))
}

/// Automatic scaling is for CORE and TASK groups, within constraints that make sense.
pub(crate) fn check_auto_scaling_policy(role: &str, p: &AutoScalingPolicy) -> Result<(), Failure> {
    if !matches!(role, "CORE" | "TASK") {
        return Err(Failure::Validation(OWN_SCALING_ROLE.into()));
    }
    if p.constraints.min_capacity > p.constraints.max_capacity {
        return Err(Failure::Validation(OWN_SCALING_CONSTRAINTS.into()));
    }
    Ok(())
}

pub(crate) fn check_managed_scaling_policy(p: &ManagedScalingPolicy) -> Result<(), Failure> {
    if let Some(l) = &p.compute_limits {
        let max = l.maximum_capacity_units;
        let above = |x: Option<i32>| x.is_some_and(|x| x > max);
        if l.minimum_capacity_units > max
            || above(l.maximum_on_demand_capacity_units)
            || above(l.maximum_core_capacity_units)
        {
            return Err(Failure::Validation(OWN_COMPUTE_LIMITS.into()));
        }
    }
    Ok(())
}

pub(crate) fn check_idle_timeout(seconds: i64) -> Result<(), Failure> {
    if IDLE_TIMEOUT_SECONDS.contains(&seconds) {
        Ok(())
    } else {
        Err(Failure::Validation(OWN_IDLE_TIMEOUT.into()))
    }
}

/// How ListInstanceGroups shows a group's automatic scaling policy at `now`.
pub(crate) fn auto_scaling_policy_description(
    c: &ClusterRecord,
    p: &AutoScalingPolicyRecord,
    now: i64,
    d: &Durations,
) -> Result<AutoScalingPolicyDescription, Failure> {
    let what = "automatic scaling policy";
    let obj = p
        .policy
        .as_object()
        .ok_or_else(|| Failure::Internal(format!("the state file's {what} is not one")))?;
    let constraints = unwire(
        obj.get("Constraints").unwrap_or(&Value::Null),
        what,
        de_scaling_constraints,
    )?;
    let rules = unwire(obj.get("Rules").unwrap_or(&Value::Null), what, de_scaling_rule_list)?;
    let attached_at = c.ready.map(|ready| ready.max(p.put + ms(d.starting)));
    let state = if lifecycle::is_ending(&c.state) {
        AutoScalingPolicyState::Detached
    } else if attached_at.is_some_and(|t| now >= t) && matches!(c.state.as_str(), cs::RUNNING | cs::WAITING) {
        AutoScalingPolicyState::Attached
    } else {
        AutoScalingPolicyState::Pending
    };
    let reason = AutoScalingPolicyStateChangeReason::builder()
        .set_code(
            (state != AutoScalingPolicyState::Detached).then_some(AutoScalingPolicyStateChangeReasonCode::UserRequest),
        )
        .build();
    Ok(AutoScalingPolicyDescription::builder()
        .status(
            AutoScalingPolicyStatus::builder()
                .state(state)
                .state_change_reason(reason)
                .build(),
        )
        .constraints(constraints)
        .rules(rules)
        .build())
}

/// The cluster `id` in `state`, to change.
fn cluster_mut<'a>(state: &'a mut State, id: &str) -> Result<&'a mut ClusterRecord, Failure> {
    state
        .clusters
        .get_mut(id)
        .ok_or_else(|| Failure::Invalid(no_cluster(id)))
}

/// The cluster `id`, to change a policy of: it must not be shutting down.
fn live_cluster_mut<'a>(state: &'a mut State, id: &str) -> Result<&'a mut ClusterRecord, Failure> {
    let c = cluster_mut(state, id)?;
    if lifecycle::is_ending(&c.state) {
        return Err(Failure::Invalid(SHUTTING_DOWN.into()));
    }
    Ok(c)
}

impl Clusters {
    /// The account's root user: the principal the one access key the emulator knows belongs to.
    fn root_arn(&self) -> String {
        format!("arn:aws:iam::{}:root", self.account_id)
    }

    pub(crate) fn put_auto_scaling_policy(
        &self,
        input: PutAutoScalingPolicyInput,
    ) -> Result<PutAutoScalingPolicyOutput, Failure> {
        let (arn, description) = self.change(|state, now| {
            let c = live_cluster_mut(state, &input.cluster_id)?;
            if c.instance_collection_type == "INSTANCE_FLEET" {
                return Err(Failure::Invalid(fill(
                    FLEET_CLUSTER,
                    &[
                        ("operation", "PutAutoScalingPolicy"),
                        ("instead", "PutManagedScalingPolicy"),
                    ],
                )));
            }
            let id = &input.instance_group_id;
            let g = c
                .instance_groups
                .iter_mut()
                .find(|g| g.id == *id)
                .ok_or_else(|| Failure::Invalid(fill(OWN_NO_GROUP, &[("id", id)])))?;
            check_auto_scaling_policy(&g.role, &input.auto_scaling_policy)?;
            let record = AutoScalingPolicyRecord {
                policy: auto_scaling_policy_wire(&input.auto_scaling_policy),
                put: now,
            };
            g.auto_scaling_policy = Some(record.clone());
            let c = &*c;
            Ok((
                c.arn.clone(),
                auto_scaling_policy_description(c, &record, now, &self.durations)?,
            ))
        })?;
        Ok(PutAutoScalingPolicyOutput::builder()
            .cluster_id(&input.cluster_id)
            .cluster_arn(arn)
            .instance_group_id(&input.instance_group_id)
            .auto_scaling_policy(description)
            .build())
    }

    pub(crate) fn remove_auto_scaling_policy(
        &self,
        input: RemoveAutoScalingPolicyInput,
    ) -> Result<RemoveAutoScalingPolicyOutput, Failure> {
        self.change(|state, _| {
            let c = cluster_mut(state, &input.cluster_id)?;
            let id = &input.instance_group_id;
            let g = c
                .instance_groups
                .iter_mut()
                .find(|g| g.id == *id)
                .ok_or_else(|| Failure::Invalid(fill(OWN_NO_GROUP, &[("id", id)])))?;
            g.auto_scaling_policy = None;
            Ok(())
        })?;
        Ok(RemoveAutoScalingPolicyOutput::builder().build())
    }

    pub(crate) fn put_managed_scaling_policy(
        &self,
        input: PutManagedScalingPolicyInput,
    ) -> Result<PutManagedScalingPolicyOutput, Failure> {
        check_managed_scaling_policy(&input.managed_scaling_policy)?;
        self.change(|state, _| {
            live_cluster_mut(state, &input.cluster_id)?.managed_scaling_policy =
                Some(managed_scaling_policy_wire(&input.managed_scaling_policy));
            Ok(())
        })?;
        Ok(PutManagedScalingPolicyOutput::builder().build())
    }

    pub(crate) fn get_managed_scaling_policy(
        &self,
        input: GetManagedScalingPolicyInput,
    ) -> Result<GetManagedScalingPolicyOutput, Failure> {
        let policy = self.read(&input.cluster_id, |c| {
            c.managed_scaling_policy
                .as_ref()
                .map(|p| unwire(p, "managed scaling policy", de_managed_scaling_policy))
                .transpose()
        })?;
        Ok(GetManagedScalingPolicyOutput::builder()
            .set_managed_scaling_policy(policy)
            .build())
    }

    pub(crate) fn remove_managed_scaling_policy(
        &self,
        input: RemoveManagedScalingPolicyInput,
    ) -> Result<RemoveManagedScalingPolicyOutput, Failure> {
        self.change(|state, _| {
            cluster_mut(state, &input.cluster_id)?.managed_scaling_policy = None;
            Ok(())
        })?;
        Ok(RemoveManagedScalingPolicyOutput::builder().build())
    }

    pub(crate) fn put_auto_termination_policy(
        &self,
        input: PutAutoTerminationPolicyInput,
    ) -> Result<PutAutoTerminationPolicyOutput, Failure> {
        let timeout = input
            .auto_termination_policy
            .as_ref()
            .and_then(|p| p.idle_timeout)
            .ok_or_else(|| Failure::Validation(OWN_IDLE_TIMEOUT.into()))?;
        check_idle_timeout(timeout)?;
        self.change(|state, now| {
            let c = live_cluster_mut(state, &input.cluster_id)?;
            c.idle_timeout = Some(timeout);
            // The idle time counts from now: an idle cluster is not ended by the policy that was just put.
            c.last_change = c.last_change.max(now);
            Ok(())
        })?;
        Ok(PutAutoTerminationPolicyOutput::builder().build())
    }

    pub(crate) fn get_auto_termination_policy(
        &self,
        input: GetAutoTerminationPolicyInput,
    ) -> Result<GetAutoTerminationPolicyOutput, Failure> {
        let timeout = self.read(&input.cluster_id, |c| Ok(c.idle_timeout))?;
        Ok(GetAutoTerminationPolicyOutput::builder()
            .set_auto_termination_policy(timeout.map(|t| AutoTerminationPolicy::builder().idle_timeout(t).build()))
            .build())
    }

    pub(crate) fn remove_auto_termination_policy(
        &self,
        input: RemoveAutoTerminationPolicyInput,
    ) -> Result<RemoveAutoTerminationPolicyOutput, Failure> {
        self.change(|state, _| {
            cluster_mut(state, &input.cluster_id)?.idle_timeout = None;
            Ok(())
        })?;
        Ok(RemoveAutoTerminationPolicyOutput::builder().build())
    }

    pub(crate) fn put_block_public_access_configuration(
        &self,
        input: PutBlockPublicAccessConfigurationInput,
    ) -> Result<PutBlockPublicAccessConfigurationOutput, Failure> {
        let config = &input.block_public_access_configuration;
        for r in config.permitted_public_security_group_rule_ranges.iter().flatten() {
            let max = r.max_range.unwrap_or(r.min_range);
            if !(0..=65_535).contains(&r.min_range) || !(r.min_range..=65_535).contains(&max) {
                return Err(Failure::Invalid(OWN_PORT_RANGE.into()));
            }
        }
        let configuration = wire(|w| ser_block_public_access_configuration(config, w));
        self.change(|state, now| {
            state.block_public_access = Some(BlockPublicAccessRecord {
                configuration,
                created_by_arn: self.root_arn(),
                created: now,
            });
            Ok(())
        })?;
        Ok(PutBlockPublicAccessConfigurationOutput::builder().build())
    }

    pub(crate) fn get_block_public_access_configuration(
        &self,
    ) -> Result<GetBlockPublicAccessConfigurationOutput, Failure> {
        let record = self.store.read(|s| s.block_public_access.clone());
        let (config, arn, created) = match record {
            Some(r) => (
                unwire(
                    &r.configuration,
                    "block public access configuration",
                    de_block_public_access_configuration,
                )?,
                r.created_by_arn,
                r.created,
            ),
            None => (
                built(
                    BlockPublicAccessConfiguration::builder()
                        .block_public_security_group_rules(true)
                        .permitted_public_security_group_rule_ranges(vec![built(
                            PortRange::builder().min_range(22).max_range(22).build(),
                        )?])
                        .build(),
                )?,
                self.root_arn(),
                DEFAULT_BLOCK_PUBLIC_ACCESS_SINCE,
            ),
        };
        built(
            GetBlockPublicAccessConfigurationOutput::builder()
                .block_public_access_configuration(config)
                .block_public_access_configuration_metadata(built(
                    BlockPublicAccessConfigurationMetadata::builder()
                        .created_by_arn(arn)
                        .creation_date_time(crate::clusters::time(created))
                        .build(),
                )?)
                .build(),
        )
    }
}
