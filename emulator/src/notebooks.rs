//! Notebook executions: started on an active cluster (RUNNING or WAITING) from an EMR notebook (`EditorId` with a
//! `RelativePath`) or a notebook in S3 (`NotebookS3Location`), ids `ex-` and 13 characters, kept in the state.
//!
//! An execution goes START_PENDING (one `step_pending` duration) → STARTING (`starting`) → RUNNING
//! (`step_running`) → FINISHING (`terminating`) → FINISHED; `StopNotebookExecution` on an active one makes it
//! STOPPING (`terminating`) → STOPPED. On the manual clock each state lasts one waiter delay (30 s). Nothing runs in
//! the background: the state follows from the start and stop times and the clock's reading. A finished execution
//! with an output location has its output notebook's URI. `ListNotebookExecutions` lists the newest first, 50 a
//! page with `Marker`, filtered by `EditorId`, `Status`, `ExecutionEngineId` and a start time `From`/`To`.

use crate::clusters::{
    built, fill, no_cluster, page, time, Clusters, Failure, OWN_NOTEBOOK_CLUSTER_NOT_ACTIVE, OWN_NOTEBOOK_ENGINE,
    OWN_NOTEBOOK_NOT_ACTIVE, OWN_NOTEBOOK_SOURCE, OWN_NO_NOTEBOOK_EXECUTION, PAGE_SIZE,
};
use crate::ids::Fresh;
use crate::lifecycle::{cluster_state as cs, ms, Durations};
use crate::model::operations::*;
use crate::model::types::*;
use crate::state::{NotebookExecutionRecord, TagRecord};

/// Notebook execution states.
pub mod notebook_state {
    pub const START_PENDING: &str = "START_PENDING";
    pub const STARTING: &str = "STARTING";
    pub const RUNNING: &str = "RUNNING";
    pub const FINISHING: &str = "FINISHING";
    pub const FINISHED: &str = "FINISHED";
    pub const STOPPING: &str = "STOPPING";
    pub const STOPPED: &str = "STOPPED";
}
use notebook_state as ns;

/// Where an execution is at `now`: its state, when it ended (if it has), and why it last changed.
pub(crate) fn state_at(r: &NotebookExecutionRecord, now: i64, d: &Durations) -> (&'static str, Option<i64>) {
    let starting = r.started + ms(d.step_pending);
    let running = starting + ms(d.starting);
    let finishing = running + ms(d.step_running);
    let finished = finishing + ms(d.terminating);
    if let Some(stop) = r.stop_requested.filter(|t| *t < finished) {
        let stopped = stop + ms(d.terminating);
        if now >= stop {
            return if now >= stopped {
                (ns::STOPPED, Some(stopped))
            } else {
                (ns::STOPPING, None)
            };
        }
    }
    match now {
        t if t < starting => (ns::START_PENDING, None),
        t if t < running => (ns::STARTING, None),
        t if t < finishing => (ns::RUNNING, None),
        t if t < finished => (ns::FINISHING, None),
        _ => (ns::FINISHED, Some(finished)),
    }
}

fn reason_of(state: &str) -> &'static str {
    match state {
        ns::START_PENDING | ns::STARTING => "Execution is starting",
        ns::RUNNING => "Execution is running",
        ns::FINISHING | ns::FINISHED => "Execution has finished",
        _ => "Execution is stopped by user request",
    }
}

fn s3_for_output((bucket, key): &(String, String)) -> NotebookS3LocationForOutput {
    NotebookS3LocationForOutput::builder().bucket(bucket).key(key).build()
}

fn bucket_and_key(bucket: &Option<String>, key: &Option<String>) -> (String, String) {
    (bucket.clone().unwrap_or_default(), key.clone().unwrap_or_default())
}

impl Clusters {
    fn notebook(&self, id: &str) -> Result<NotebookExecutionRecord, Failure> {
        self.store
            .read(|s| s.notebook_executions.get(id).cloned())
            .ok_or_else(|| Failure::Invalid(fill(OWN_NO_NOTEBOOK_EXECUTION, &[("id", id)])))
    }

    fn notebook_of(&self, r: &NotebookExecutionRecord, now: i64) -> Result<NotebookExecution, Failure> {
        let (state, ended) = state_at(r, now, &self.durations);
        let engine = built(
            ExecutionEngineConfig::builder()
                .id(&r.engine_id)
                .r#type(ExecutionEngineType::from(r.engine_type.as_str()))
                .set_master_instance_security_group_id(r.engine_security_group_id.clone())
                .set_execution_role_arn(r.engine_execution_role_arn.clone())
                .build(),
        )?;
        let output = r.output_notebook_s3_location.as_ref().map(|(bucket, key)| {
            OutputNotebookS3LocationForOutput::builder()
                .bucket(bucket)
                .key(key)
                .build()
        });
        let uri = (state == ns::FINISHED)
            .then(|| {
                r.output_notebook_s3_location
                    .as_ref()
                    .map(|(b, k)| format!("s3://{b}/{k}"))
            })
            .flatten();
        Ok(NotebookExecution::builder()
            .notebook_execution_id(&r.id)
            .arn(&r.arn)
            .set_notebook_execution_name(r.name.clone())
            .set_editor_id(r.editor_id.clone())
            .execution_engine(engine)
            .set_notebook_params(r.notebook_params.clone())
            .set_notebook_instance_security_group_id(r.notebook_instance_security_group_id.clone())
            .set_notebook_s3_location(r.notebook_s3_location.as_ref().map(s3_for_output))
            .set_output_notebook_format(r.output_notebook_format.as_deref().map(OutputNotebookFormat::from))
            .set_output_notebook_s3_location(output)
            .set_output_notebook_uri(uri)
            .environment_variables(r.environment_variables.clone())
            .status(NotebookExecutionStatus::from(state))
            .start_time(time(r.started))
            .set_end_time(ended.map(time))
            .last_state_change_reason(reason_of(state))
            .tags(
                r.tags
                    .iter()
                    .map(|t| Tag::builder().set_key(t.key.clone()).set_value(t.value.clone()).build())
                    .collect::<Vec<_>>(),
            )
            .build())
    }

    pub(crate) fn start_notebook_execution(
        &self,
        input: StartNotebookExecutionInput,
    ) -> Result<StartNotebookExecutionOutput, Failure> {
        let from_editor = input.editor_id.is_some() && input.relative_path.is_some();
        if from_editor == input.notebook_s3_location.is_some() {
            return Err(Failure::Invalid(OWN_NOTEBOOK_SOURCE.into()));
        }
        let engine = &input.execution_engine;
        let engine_type = engine.r#type.as_ref().map_or("EMR", |t| t.as_str()).to_owned();
        if engine_type != "EMR" {
            return Err(Failure::Invalid(fill(OWN_NOTEBOOK_ENGINE, &[("type", &engine_type)])));
        }
        let id = self.change(|state, now| {
            let cluster = state
                .clusters
                .get(&engine.id)
                .ok_or_else(|| Failure::Invalid(no_cluster(&engine.id)))?;
            if !matches!(cluster.state.as_str(), cs::RUNNING | cs::WAITING) {
                return Err(Failure::Invalid(fill(
                    OWN_NOTEBOOK_CLUSTER_NOT_ACTIVE,
                    &[("id", &engine.id), ("state", &cluster.state)],
                )));
            }
            let id = Fresh::new(self.ids.as_ref(), state.resource_ids()).resource_id("ex-");
            let record = NotebookExecutionRecord {
                id: id.clone(),
                arn: format!(
                    "arn:aws:elasticmapreduce:{}:{}:notebook-execution/{id}",
                    self.region, self.account_id
                ),
                name: input.notebook_execution_name.clone(),
                editor_id: input.editor_id.clone(),
                relative_path: input.relative_path.clone(),
                notebook_s3_location: input
                    .notebook_s3_location
                    .as_ref()
                    .map(|l| bucket_and_key(&l.bucket, &l.key)),
                engine_id: engine.id.clone(),
                engine_type: engine_type.clone(),
                engine_security_group_id: engine.master_instance_security_group_id.clone(),
                engine_execution_role_arn: engine.execution_role_arn.clone(),
                service_role: input.service_role.clone(),
                notebook_params: input.notebook_params.clone(),
                notebook_instance_security_group_id: input.notebook_instance_security_group_id.clone(),
                output_notebook_format: input.output_notebook_format.as_ref().map(|f| f.as_str().to_owned()),
                output_notebook_s3_location: input
                    .output_notebook_s3_location
                    .as_ref()
                    .map(|l| bucket_and_key(&l.bucket, &l.key)),
                environment_variables: input.environment_variables.clone().unwrap_or_default(),
                tags: input
                    .tags
                    .iter()
                    .flatten()
                    .map(|t| TagRecord {
                        key: t.key.clone(),
                        value: t.value.clone(),
                    })
                    .collect(),
                started: now,
                stop_requested: None,
            };
            state.notebook_executions.insert(id.clone(), record);
            Ok(id)
        })?;
        Ok(StartNotebookExecutionOutput::builder()
            .notebook_execution_id(id)
            .build())
    }

    pub(crate) fn describe_notebook_execution(
        &self,
        input: DescribeNotebookExecutionInput,
    ) -> Result<DescribeNotebookExecutionOutput, Failure> {
        let record = self.notebook(&input.notebook_execution_id)?;
        let described = self.notebook_of(&record, self.clock.now_ms())?;
        Ok(DescribeNotebookExecutionOutput::builder()
            .notebook_execution(described)
            .build())
    }

    pub(crate) fn stop_notebook_execution(
        &self,
        input: StopNotebookExecutionInput,
    ) -> Result<StopNotebookExecutionOutput, Failure> {
        let id = &input.notebook_execution_id;
        self.change(|state, now| {
            let r = state
                .notebook_executions
                .get_mut(id)
                .ok_or_else(|| Failure::Invalid(fill(OWN_NO_NOTEBOOK_EXECUTION, &[("id", id)])))?;
            let (current, _) = state_at(r, now, &self.durations);
            if matches!(current, ns::FINISHED | ns::STOPPED | ns::STOPPING) {
                return Err(Failure::Invalid(fill(
                    OWN_NOTEBOOK_NOT_ACTIVE,
                    &[("id", id), ("state", current)],
                )));
            }
            r.stop_requested = Some(now);
            Ok(())
        })?;
        Ok(StopNotebookExecutionOutput::builder().build())
    }

    pub(crate) fn list_notebook_executions(
        &self,
        input: ListNotebookExecutionsInput,
    ) -> Result<ListNotebookExecutionsOutput, Failure> {
        let now = self.clock.now_ms();
        let from = input.from.as_ref().map(|t| t.to_millis().unwrap_or(i64::MIN));
        let to = input.to.as_ref().map(|t| t.to_millis().unwrap_or(i64::MAX));
        let mut records: Vec<NotebookExecutionRecord> = self.store.read(|s| {
            s.notebook_executions
                .values()
                .filter(|r| input.editor_id.as_ref().is_none_or(|e| r.editor_id.as_ref() == Some(e)))
                .filter(|r| input.execution_engine_id.as_ref().is_none_or(|e| r.engine_id == *e))
                .filter(|r| from.is_none_or(|t| r.started >= t) && to.is_none_or(|t| r.started <= t))
                .cloned()
                .collect()
        });
        // Newest first.
        records.sort_by(|a, b| b.started.cmp(&a.started).then(b.id.cmp(&a.id)));
        let items = records
            .iter()
            .map(|r| (r, state_at(r, now, &self.durations)))
            .filter(|(_, (state, _))| input.status.as_ref().is_none_or(|s| s.as_str() == *state))
            .map(|(r, (state, ended))| {
                let summary = NotebookExecutionSummary::builder()
                    .notebook_execution_id(&r.id)
                    .set_editor_id(r.editor_id.clone())
                    .set_notebook_execution_name(r.name.clone())
                    .status(NotebookExecutionStatus::from(state))
                    .start_time(time(r.started))
                    .set_end_time(ended.map(time))
                    .set_notebook_s3_location(r.notebook_s3_location.as_ref().map(s3_for_output))
                    .execution_engine_id(&r.engine_id)
                    .build();
                (r.id.clone(), summary)
            })
            .collect();
        let (executions, marker) = page(items, input.marker.as_deref(), PAGE_SIZE)?;
        Ok(ListNotebookExecutionsOutput::builder()
            .notebook_executions(executions)
            .set_marker(marker)
            .build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn record(stop: Option<i64>) -> NotebookExecutionRecord {
        NotebookExecutionRecord {
            id: "ex-1".into(),
            arn: "arn".into(),
            name: None,
            editor_id: Some("e-1".into()),
            relative_path: Some("a.ipynb".into()),
            notebook_s3_location: None,
            engine_id: "j-1".into(),
            engine_type: "EMR".into(),
            engine_security_group_id: None,
            engine_execution_role_arn: None,
            service_role: "r".into(),
            notebook_params: None,
            notebook_instance_security_group_id: None,
            output_notebook_format: None,
            output_notebook_s3_location: None,
            environment_variables: Default::default(),
            tags: Vec::new(),
            started: 0,
            stop_requested: stop,
        }
    }

    #[test]
    fn an_execution_goes_through_its_states_on_the_clock() {
        let d = Durations::each(Duration::from_secs(30));
        let states: Vec<_> = (0..6).map(|i| state_at(&record(None), i * 30_000, &d).0).collect();
        assert_eq!(
            states,
            [
                ns::START_PENDING,
                ns::STARTING,
                ns::RUNNING,
                ns::FINISHING,
                ns::FINISHED,
                ns::FINISHED
            ]
        );
        assert_eq!(state_at(&record(None), 200_000, &d).1, Some(120_000));
        // Stopped while running: STOPPING for one duration, then STOPPED for good.
        let stopped = record(Some(70_000));
        assert_eq!(state_at(&stopped, 69_999, &d).0, ns::RUNNING);
        assert_eq!(state_at(&stopped, 70_000, &d).0, ns::STOPPING);
        assert_eq!(state_at(&stopped, 100_000, &d), (ns::STOPPED, Some(100_000)));
        assert_eq!(state_at(&stopped, 1_000_000, &d).0, ns::STOPPED);
    }
}
