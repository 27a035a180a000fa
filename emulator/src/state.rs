//! What the emulator holds: studios and session mappings, clusters with their steps, instances and policies,
//! security configurations and the block public access configuration, in memory behind one lock, and with a state file
//! written atomically (a temporary file, then a rename) after every change and read at start.
//!
//! Every change works on a copy and replaces the state only once the file has it, all under the lock: concurrent
//! requests are applied one after another, none is lost, and memory never holds what the file does not.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// A studio, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudioRecord {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub description: Option<String>,
    pub auth_mode: String,
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
    pub service_role: String,
    pub user_role: Option<String>,
    pub workspace_security_group_id: String,
    pub engine_security_group_id: String,
    pub url: String,
    /// Milliseconds since the epoch.
    pub creation_time: i64,
    pub default_s3_location: String,
    pub idp_auth_url: Option<String>,
    pub idp_relay_state_parameter_name: Option<String>,
    pub tags: Vec<TagRecord>,
    pub idc_instance_arn: Option<String>,
    pub trusted_identity_propagation_enabled: Option<bool>,
    pub idc_user_assignment: Option<String>,
    pub encryption_key_arn: Option<String>,
}

/// A tag, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagRecord {
    pub key: Option<String>,
    pub value: Option<String>,
}

/// A session mapping, as stored. Its key is studio, identity type and identity id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingRecord {
    pub studio_id: String,
    pub identity_type: String,
    pub identity_id: String,
    pub identity_name: String,
    pub session_policy_arn: String,
    /// Milliseconds since the epoch.
    pub creation_time: i64,
    /// Milliseconds since the epoch.
    pub last_modified_time: i64,
}

impl MappingRecord {
    /// The mapping's key.
    pub fn key(&self) -> MappingKey {
        (
            self.studio_id.clone(),
            self.identity_type.clone(),
            self.identity_id.clone(),
        )
    }
}

/// Studio id, identity type, identity id.
pub type MappingKey = (String, String, String);

/// A cluster, as stored: what `RunJobFlow` asked for, its state on the emulator's clock, and its steps. Times are
/// milliseconds since the epoch on the emulator's clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterRecord {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub release_label: Option<String>,
    pub log_uri: Option<String>,
    pub service_role: Option<String>,
    pub job_flow_role: Option<String>,
    pub applications: Vec<String>,
    pub keep_alive: bool,
    pub termination_protected: bool,
    pub visible_to_all_users: bool,
    pub unhealthy_node_replacement: bool,
    pub step_concurrency_level: i32,
    /// `INSTANCE_GROUP` or `INSTANCE_FLEET`.
    pub instance_collection_type: String,
    pub instance_groups: Vec<InstanceGroupRecord>,
    pub instance_fleets: Vec<InstanceFleetRecord>,
    pub bootstrap_actions: Vec<BootstrapActionRecord>,
    pub tags: Vec<TagRecord>,
    /// A [`ClusterState`](crate::model::types::ClusterState) value.
    pub state: String,
    /// A [`ClusterStateChangeReasonCode`](crate::model::types::ClusterStateChangeReasonCode) value.
    pub reason_code: Option<String>,
    pub reason_message: Option<String>,
    pub created: i64,
    pub ready: Option<i64>,
    pub ended: Option<i64>,
    /// When the cluster entered its state.
    pub since: i64,
    /// When the cluster or one of its steps last changed: nothing that follows happens before it.
    pub last_change: i64,
    /// The bootstrap fails (a fault asked for when the cluster was created).
    pub fails_to_bootstrap: bool,
    /// In the order they were added.
    pub steps: Vec<StepRecord>,
    /// The name of the security configuration `RunJobFlow` named.
    #[serde(default)]
    pub security_configuration: Option<String>,
    /// The managed scaling policy, as its JSON on the wire (`ManagedScalingPolicy`).
    #[serde(default)]
    pub managed_scaling_policy: Option<serde_json::Value>,
    /// The auto-termination policy's `IdleTimeout` in seconds, when there is one.
    #[serde(default)]
    pub idle_timeout: Option<i64>,
}

/// An instance group that `RunJobFlow` created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceGroupRecord {
    pub id: String,
    pub name: Option<String>,
    /// `MASTER`, `CORE` or `TASK`.
    pub role: String,
    pub instance_type: String,
    pub instance_count: i32,
    /// `ON_DEMAND` or `SPOT`.
    pub market: String,
    /// When the group was added; `None` for the groups `RunJobFlow` created, which are as old as their cluster.
    #[serde(default)]
    pub created: Option<i64>,
    /// Its instances, live and terminated, oldest first.
    #[serde(default)]
    pub instances: Vec<InstanceRecord>,
    /// The automatic scaling policy and when it was put.
    #[serde(default)]
    pub auto_scaling_policy: Option<AutoScalingPolicyRecord>,
}

/// An automatic scaling policy on an instance group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoScalingPolicyRecord {
    /// `Constraints` and `Rules` as their JSON on the wire.
    pub policy: serde_json::Value,
    /// When it was put (it is PENDING, then ATTACHED).
    pub put: i64,
}

/// An instance of an instance group or fleet. Its state follows its cluster's and its own age.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceRecord {
    /// `ci-` and 13 characters.
    pub id: String,
    /// `i-` and 17 hexadecimal digits.
    pub ec2_instance_id: String,
    pub instance_type: String,
    /// `ON_DEMAND` or `SPOT`.
    pub market: String,
    pub private_ip_address: String,
    pub created: i64,
    /// When a resize to fewer instances ended it.
    pub ended: Option<i64>,
}

/// An instance fleet that `RunJobFlow` created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceFleetRecord {
    pub id: String,
    pub name: Option<String>,
    /// `MASTER`, `CORE` or `TASK`.
    pub fleet_type: String,
    pub target_on_demand_capacity: i32,
    pub target_spot_capacity: i32,
    /// The first instance type its `InstanceTypeConfigs` name: what its instances are.
    #[serde(default)]
    pub instance_type: Option<String>,
    /// When the fleet was added; `None` for the fleets `RunJobFlow` created.
    #[serde(default)]
    pub created: Option<i64>,
    /// Its instances, live and terminated, oldest first.
    #[serde(default)]
    pub instances: Vec<InstanceRecord>,
}

/// A bootstrap action that `RunJobFlow` was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BootstrapActionRecord {
    pub name: String,
    pub path: String,
    pub args: Vec<String>,
}

/// A step, as stored. Times are milliseconds since the epoch on the emulator's clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepRecord {
    pub id: String,
    pub name: String,
    pub jar: String,
    pub main_class: Option<String>,
    pub args: Vec<String>,
    /// An [`ActionOnFailure`](crate::model::types::ActionOnFailure) value.
    pub action_on_failure: String,
    pub execution_role_arn: Option<String>,
    /// A [`StepState`](crate::model::types::StepState) value.
    pub state: String,
    pub reason_message: Option<String>,
    /// Reason, message and log file of a failed step.
    pub failure: Option<(String, String, Option<String>)>,
    pub created: i64,
    pub started: Option<i64>,
    pub ended: Option<i64>,
    /// The step fails when it ends (a fault asked for when it was added).
    pub fails: bool,
}

/// Everything the emulator holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    /// By id.
    pub studios: BTreeMap<String, StudioRecord>,
    /// By studio, identity type and identity id.
    pub mappings: BTreeMap<MappingKey, MappingRecord>,
    /// By id.
    pub clusters: BTreeMap<String, ClusterRecord>,
    /// By name.
    pub security_configurations: BTreeMap<String, SecurityConfigurationRecord>,
    /// The account's block public access configuration, once one was put.
    pub block_public_access: Option<BlockPublicAccessRecord>,
    /// By id.
    pub notebook_executions: BTreeMap<String, NotebookExecutionRecord>,
    /// By id.
    pub persistent_app_uis: BTreeMap<String, PersistentAppUiRecord>,
    /// By id.
    pub sessions: BTreeMap<String, SessionRecord>,
    /// Where a manual clock stood after its last move (milliseconds since the epoch).
    pub manual_clock_ms: Option<i64>,
}

/// An interactive session on a cluster, as stored: what `StartSession` asked for, when, and when it was asked to
/// end. Its state follows from those times and its cluster's ([`crate::sessions`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRecord {
    /// `ses-` and 13 characters.
    pub id: String,
    pub arn: String,
    pub cluster_id: String,
    pub name: Option<String>,
    pub client_request_token: Option<String>,
    /// Its cluster's.
    pub release_label: Option<String>,
    pub execution_role_arn: Option<String>,
    pub idle_timeout_minutes: i64,
    /// `EngineConfigurations` as its JSON on the wire.
    pub engine_configurations: Option<serde_json::Value>,
    /// `MonitoringConfiguration` as its JSON on the wire.
    pub monitoring_configuration: Option<serde_json::Value>,
    pub tags: Vec<TagRecord>,
    pub created: i64,
    /// When `TerminateSession` was called on it while it was live.
    pub terminate_requested: Option<i64>,
}

/// A persistent app UI, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersistentAppUiRecord {
    /// `p-` and 13 characters.
    pub id: String,
    pub target_resource_arn: String,
    /// The cluster that ARN names.
    pub cluster_id: String,
    /// A [`ProfilerType`](crate::model::types::ProfilerType) value.
    pub profiler_type: Option<String>,
    pub tags: Vec<TagRecord>,
    pub created: i64,
}

/// A notebook execution, as stored: what `StartNotebookExecution` asked for, when, and when it was asked to stop.
/// Its state follows from those times on the emulator's clock ([`crate::notebooks`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotebookExecutionRecord {
    /// `ex-` and 13 characters.
    pub id: String,
    pub arn: String,
    pub name: Option<String>,
    pub editor_id: Option<String>,
    pub relative_path: Option<String>,
    /// Bucket and key.
    pub notebook_s3_location: Option<(String, String)>,
    /// The cluster it runs on.
    pub engine_id: String,
    /// `EMR`, `EKS` or `EMR_SERVERLESS` (only `EMR` is accepted).
    pub engine_type: String,
    pub engine_security_group_id: Option<String>,
    pub engine_execution_role_arn: Option<String>,
    pub service_role: String,
    pub notebook_params: Option<String>,
    pub notebook_instance_security_group_id: Option<String>,
    pub output_notebook_format: Option<String>,
    /// Bucket and key.
    pub output_notebook_s3_location: Option<(String, String)>,
    pub environment_variables: BTreeMap<String, String>,
    pub tags: Vec<TagRecord>,
    /// When it was started.
    pub started: i64,
    /// When `StopNotebookExecution` was called on it while it was active.
    pub stop_requested: Option<i64>,
}

/// A security configuration, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityConfigurationRecord {
    pub name: String,
    /// The JSON text as it was given, kept verbatim.
    pub configuration: String,
    pub created: i64,
}

/// The block public access configuration that was put.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockPublicAccessRecord {
    /// `BlockPublicAccessConfiguration` as its JSON on the wire.
    pub configuration: serde_json::Value,
    pub created_by_arn: String,
    pub created: i64,
}

/// The state file's layout. Files written before clusters existed have none.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateFile {
    version: u32,
    studios: Vec<StudioRecord>,
    mappings: Vec<MappingRecord>,
    #[serde(default)]
    clusters: Vec<ClusterRecord>,
    #[serde(default)]
    security_configurations: Vec<SecurityConfigurationRecord>,
    #[serde(default)]
    block_public_access: Option<BlockPublicAccessRecord>,
    #[serde(default)]
    notebook_executions: Vec<NotebookExecutionRecord>,
    #[serde(default)]
    persistent_app_uis: Vec<PersistentAppUiRecord>,
    #[serde(default)]
    sessions: Vec<SessionRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    manual_clock_ms: Option<i64>,
}

const STATE_FILE_VERSION: u32 = 1;

impl State {
    /// Every cluster, step, instance group, fleet, instance and notebook execution id the state holds.
    pub fn resource_ids(&self) -> std::collections::BTreeSet<String> {
        let mut ids = std::collections::BTreeSet::new();
        for c in self.clusters.values() {
            ids.insert(c.id.clone());
            ids.extend(c.steps.iter().map(|s| s.id.clone()));
            for g in &c.instance_groups {
                ids.insert(g.id.clone());
                ids.extend(g.instances.iter().map(|i| i.id.clone()));
            }
            for f in &c.instance_fleets {
                ids.insert(f.id.clone());
                ids.extend(f.instances.iter().map(|i| i.id.clone()));
            }
        }
        ids.extend(self.notebook_executions.keys().cloned());
        ids.extend(self.persistent_app_uis.keys().cloned());
        ids.extend(self.sessions.keys().cloned());
        ids
    }

    /// The state as the state file holds it (pretty JSON, studios and mappings in key order).
    pub fn to_json(&self) -> String {
        let file = StateFile {
            version: STATE_FILE_VERSION,
            studios: self.studios.values().cloned().collect(),
            mappings: self.mappings.values().cloned().collect(),
            clusters: self.clusters.values().cloned().collect(),
            security_configurations: self.security_configurations.values().cloned().collect(),
            block_public_access: self.block_public_access.clone(),
            notebook_executions: self.notebook_executions.values().cloned().collect(),
            persistent_app_uis: self.persistent_app_uis.values().cloned().collect(),
            sessions: self.sessions.values().cloned().collect(),
            manual_clock_ms: self.manual_clock_ms,
        };
        // Plain strings, numbers and lists: serializing cannot fail.
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// Reads a state file's text.
    pub fn from_json(text: &[u8]) -> Result<State, String> {
        let file: StateFile = serde_json::from_slice(text).map_err(|e| e.to_string())?;
        if file.version != STATE_FILE_VERSION {
            return Err(format!(
                "version {} is not {STATE_FILE_VERSION}, the one this emulator writes",
                file.version
            ));
        }
        let mut state = State::default();
        for s in file.studios {
            state.studios.insert(s.id.clone(), s);
        }
        for m in file.mappings {
            if !state.studios.contains_key(&m.studio_id) {
                return Err(format!(
                    "a mapping names studio {}, which is not in the file",
                    m.studio_id
                ));
            }
            state.mappings.insert(m.key(), m);
        }
        for c in file.clusters {
            state.clusters.insert(c.id.clone(), c);
        }
        for c in file.security_configurations {
            state.security_configurations.insert(c.name.clone(), c);
        }
        state.block_public_access = file.block_public_access;
        for e in file.notebook_executions {
            state.notebook_executions.insert(e.id.clone(), e);
        }
        for u in file.persistent_app_uis {
            state.persistent_app_uis.insert(u.id.clone(), u);
        }
        for s in file.sessions {
            state.sessions.insert(s.id.clone(), s);
        }
        state.manual_clock_ms = file.manual_clock_ms;
        Ok(state)
    }
}

/// Why a change did not happen.
#[derive(Debug)]
pub enum UpdateError<E> {
    /// The change itself said no.
    Rejected(E),
    /// The state file could not be written; nothing changed.
    Persist(String),
}

/// Why the state file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError(pub String);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

/// The state behind its lock, with its file.
#[derive(Debug)]
pub struct Store {
    state: Mutex<State>,
    file: Option<PathBuf>,
}

impl Store {
    /// A store kept in memory only.
    pub fn in_memory() -> Store {
        Store {
            state: Mutex::new(State::default()),
            file: None,
        }
    }

    /// A store kept in `file` too: read from it when it exists, written after every change.
    pub fn with_file(file: PathBuf) -> Result<Store, LoadError> {
        let state = match std::fs::read(&file) {
            Ok(text) => State::from_json(&text).map_err(|e| LoadError(format!("{}: {e}", file.display())))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => State::default(),
            Err(e) => return Err(LoadError(format!("{}: {e}", file.display()))),
        };
        Ok(Store {
            state: Mutex::new(state),
            file: Some(file),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while the lock was held left the state as it was before that change: see `update`.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads the state.
    pub fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.lock())
    }

    /// Applies `change` to a copy of the state; when it succeeds, writes the copy to the state file and makes it
    /// the state. Changes are applied one at a time.
    pub fn update<T, E>(&self, change: impl FnOnce(&mut State) -> Result<T, E>) -> Result<T, UpdateError<E>> {
        let mut state = self.lock();
        let mut next = state.clone();
        let result = change(&mut next).map_err(UpdateError::Rejected)?;
        if let Some(file) = &self.file {
            write_atomically(file, next.to_json().as_bytes()).map_err(UpdateError::Persist)?;
        }
        *state = next;
        Ok(result)
    }
}

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk and renames it over `path`: a reader (or
/// a restart after a crash) sees the old contents or the new, never a mix.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let name = path
        .file_name()
        .ok_or_else(|| format!("{}: not a file name", path.display()))?;
    let mut tmp_name = name.to_owned();
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&tmp, path));
    renamed.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("writing the state file {}: {e}", path.display())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(studio: &str, id: &str) -> MappingRecord {
        MappingRecord {
            studio_id: studio.into(),
            identity_type: "USER".into(),
            identity_id: id.into(),
            identity_name: format!("name-{id}"),
            session_policy_arn: "arn:aws:iam::123456789012:policy/p".into(),
            creation_time: 1,
            last_modified_time: 2,
        }
    }

    fn studio(id: &str) -> StudioRecord {
        StudioRecord {
            id: id.into(),
            arn: format!("arn:aws:elasticmapreduce:us-east-1:123456789012:studio/{id}"),
            name: "s".into(),
            description: None,
            auth_mode: "SSO".into(),
            vpc_id: "vpc-1".into(),
            subnet_ids: vec!["subnet-1".into()],
            service_role: "r".into(),
            user_role: None,
            workspace_security_group_id: "sg-1".into(),
            engine_security_group_id: "sg-2".into(),
            url: "https://example.invalid".into(),
            creation_time: 1,
            default_s3_location: "s3://b".into(),
            idp_auth_url: None,
            idp_relay_state_parameter_name: None,
            tags: vec![TagRecord {
                key: Some("k".into()),
                value: None,
            }],
            idc_instance_arn: None,
            trusted_identity_propagation_enabled: Some(true),
            idc_user_assignment: None,
            encryption_key_arn: None,
        }
    }

    #[test]
    fn the_state_file_reads_back_as_written() {
        let mut state = State::default();
        state.studios.insert("es-1".into(), studio("es-1"));
        let m = mapping("es-1", "u-1");
        state.mappings.insert(m.key(), m);
        assert_eq!(State::from_json(state.to_json().as_bytes()).unwrap(), state);
        let orphan = state.to_json().replace("\"studios\": [", "\"studios\": [],\"x\": [");
        assert!(State::from_json(orphan.as_bytes()).is_err());
    }

    #[test]
    fn a_state_file_from_before_instances_and_policies_still_loads() {
        // A file as the emulator wrote it before instances, policies and security configurations were kept.
        let old = r#"{"version": 1, "studios": [], "mappings": [], "clusters": [{
            "id": "j-1", "arn": "arn", "name": "old", "release_label": null, "log_uri": null, "service_role": null,
            "job_flow_role": null, "applications": [], "keep_alive": true, "termination_protected": false,
            "visible_to_all_users": true, "unhealthy_node_replacement": false, "step_concurrency_level": 1,
            "instance_collection_type": "INSTANCE_GROUP",
            "instance_groups": [{"id": "ig-1", "name": null, "role": "MASTER", "instance_type": "m5.xlarge",
                "instance_count": 1, "market": "ON_DEMAND"}],
            "instance_fleets": [{"id": "if-1", "name": null, "fleet_type": "TASK", "target_on_demand_capacity": 0,
                "target_spot_capacity": 2}],
            "bootstrap_actions": [], "tags": [], "state": "WAITING", "reason_code": null, "reason_message": null,
            "created": 0, "ready": 60000, "ended": null, "since": 90000, "last_change": 90000,
            "fails_to_bootstrap": false, "steps": []}]}"#;
        let state = State::from_json(old.as_bytes()).unwrap();
        let c = &state.clusters["j-1"];
        assert_eq!((c.security_configuration.as_ref(), c.idle_timeout), (None, None));
        assert!(c.instance_groups[0].instances.is_empty() && c.instance_groups[0].auto_scaling_policy.is_none());
        assert_eq!(c.instance_fleets[0].instance_type, None);
        assert!(state.security_configurations.is_empty() && state.block_public_access.is_none());
        // Nor notebook executions, persistent app UIs or sessions, which came later still.
        assert!(
            state.notebook_executions.is_empty() && state.persistent_app_uis.is_empty() && state.sessions.is_empty()
        );
        // Written again, it reads back as it is.
        assert_eq!(State::from_json(state.to_json().as_bytes()).unwrap(), state);
    }

    #[test]
    fn a_rejected_or_unwritable_change_leaves_the_state_as_it_was() {
        let dir = std::env::temp_dir().join(format!("emulator-state-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("state.json");
        let store = Store::with_file(file.clone()).unwrap();
        store
            .update(|s| {
                s.studios.insert("es-1".into(), studio("es-1"));
                Ok::<_, ()>(())
            })
            .unwrap();
        assert!(matches!(
            store.update(|s| {
                s.studios.clear();
                Err::<(), _>("no")
            }),
            Err(UpdateError::Rejected("no"))
        ));
        assert_eq!(store.read(|s| s.studios.len()), 1);
        // The file has what memory has, and no temporary file is left.
        let again = Store::with_file(file.clone()).unwrap();
        assert_eq!(again.read(Clone::clone), store.read(Clone::clone));
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        // A file that cannot be written: the change does not happen.
        let blocked = Store {
            state: Mutex::new(State::default()),
            file: Some(dir.join("missing-folder/state.json")),
        };
        let err = blocked.update(|s| {
            s.studios.insert("es-2".into(), studio("es-2"));
            Ok::<_, ()>(())
        });
        assert!(matches!(err, Err(UpdateError::Persist(_))));
        assert!(blocked.read(|s| s.studios.is_empty()));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
