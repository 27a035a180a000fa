//! Interactive sessions on a cluster (`StartSession`, `GetSession`, `ListSessions`, `TerminateSession`,
//! `GetSessionEndpoint`) and `GetClusterSessionCredentials`.
//!
//! A session starts on a RUNNING or WAITING cluster of the emulator's, with an id of `ses-` and 13 characters (the
//! emulator's form), and goes SUBMITTED (one `step_pending` duration) → STARTING (`starting`) → STARTED
//! (`running`) → IDLE on the emulator's clock. After `SessionIdleTimeoutInMinutes` idle (60 by default), or after
//! `TerminateSession`, it is TERMINATING (`terminating`), then TERMINATED; when its cluster shuts down it is
//! TERMINATED with it. A `ClientRequestToken` seen before on the same cluster gives the session it started.
//! `ListSessions` lists the newest first, `MaxResults` a page (50 by default) with `NextToken`, filtered by
//! `SessionStates`. Engine and monitoring configurations are kept as the JSON the wire carries them in.
//!
//! The endpoint, the auth token and the credentials are the emulator's and are plainly fake: the endpoint is on the
//! emulator's own host under `/_emulator/sessions/`, the token starts `emulator-session-token-`, and the cluster
//! session credentials (the model's `UsernamePassword`) are a user name starting `ASIAEMULATOR` and a password
//! starting `emulator-not-a-secret-`, valid for an hour on the emulator's clock (`ExpiresAt`).

use crate::clusters::{
    built, fill, no_cluster, page, time, Clusters, Failure, OWN_CLUSTER_NOT_ACTIVE, OWN_NO_SESSION,
    OWN_SESSION_NOT_READY, PAGE_SIZE,
};
use crate::ids::Fresh;
use crate::lifecycle::{self, cluster_state as cs, ms, Durations};
use crate::model::operations::*;
use crate::model::types::*;
use crate::policies::{unwire, wire};
use crate::state::{ClusterRecord, SessionRecord, State, TagRecord};

/// How long tokens and credentials last, in milliseconds: an hour.
pub const CREDENTIALS_LIFETIME_MS: i64 = 3_600_000;
/// `SessionIdleTimeoutInMinutes` when the request does not say (the emulator's choice).
pub const DEFAULT_IDLE_TIMEOUT_MINUTES: i64 = 60;

/// Session states.
pub mod session_state {
    pub const SUBMITTED: &str = "SUBMITTED";
    pub const STARTING: &str = "STARTING";
    pub const STARTED: &str = "STARTED";
    pub const IDLE: &str = "IDLE";
    pub const TERMINATING: &str = "TERMINATING";
    pub const TERMINATED: &str = "TERMINATED";
}
use session_state as ss;

/// Where a session is at `now`: its state, why, when it became idle and when it ended.
pub(crate) struct SessionAt {
    pub state: &'static str,
    pub reason: &'static str,
    pub started: Option<i64>,
    pub idle_since: Option<i64>,
    pub ended: Option<i64>,
}

pub(crate) fn session_at(r: &SessionRecord, cluster_ended: Option<i64>, now: i64, d: &Durations) -> SessionAt {
    let starting = r.created + ms(d.step_pending);
    let started = starting + ms(d.starting);
    let idle = started + ms(d.running);
    let timed_out = idle + r.idle_timeout_minutes.saturating_mul(60_000);
    let asked = r.terminate_requested.map(|t| t.max(r.created));
    // What ends it first: a request, the idle timeout, or its cluster.
    let (end_from, reason) = match asked {
        Some(t) if t < timed_out => (t, "Terminated by user request"),
        _ => (timed_out, "Terminated after its idle timeout"),
    };
    let terminated = end_from + ms(d.terminating);
    if let Some(t) = cluster_ended.filter(|t| *t < terminated && now >= *t) {
        return SessionAt {
            state: ss::TERMINATED,
            reason: "Terminated with its cluster",
            started: (t >= started).then_some(started),
            idle_since: (t >= idle).then_some(idle),
            ended: Some(t),
        };
    }
    let at = |state, reason| SessionAt {
        state,
        reason,
        started: (now >= started).then_some(started),
        idle_since: (now >= idle && now < end_from).then_some(idle),
        ended: None,
    };
    match now {
        t if t >= terminated => SessionAt {
            ended: Some(terminated),
            idle_since: None,
            ..at(ss::TERMINATED, reason)
        },
        t if t >= end_from => at(ss::TERMINATING, reason),
        t if t < starting => at(ss::SUBMITTED, "Session submitted"),
        t if t < started => at(ss::STARTING, "Session is starting"),
        t if t < idle => at(ss::STARTED, "Session started"),
        _ => at(ss::IDLE, "Session is idle"),
    }
}

fn cluster_ended(c: Option<&ClusterRecord>) -> Option<i64> {
    c.filter(|c| lifecycle::is_ending(&c.state))
        .map(|c| c.ended.unwrap_or(c.last_change))
}

fn active_cluster<'a>(state: &'a State, id: &str) -> Result<&'a ClusterRecord, Failure> {
    let c = state.clusters.get(id).ok_or_else(|| Failure::Invalid(no_cluster(id)))?;
    if !matches!(c.state.as_str(), cs::RUNNING | cs::WAITING) {
        return Err(Failure::Invalid(fill(
            OWN_CLUSTER_NOT_ACTIVE,
            &[("id", id), ("state", &c.state)],
        )));
    }
    Ok(c)
}

impl Clusters {
    fn session_record(&self, cluster: &str, id: &str) -> Result<(SessionRecord, Option<i64>), Failure> {
        self.settle()?;
        self.store.read(|s| {
            let c = s
                .clusters
                .get(cluster)
                .ok_or_else(|| Failure::Invalid(no_cluster(cluster)))?;
            let r = s
                .sessions
                .get(id)
                .filter(|r| r.cluster_id == cluster)
                .ok_or_else(|| Failure::Invalid(fill(OWN_NO_SESSION, &[("id", id), ("cluster", cluster)])))?;
            Ok((r.clone(), cluster_ended(Some(c))))
        })
    }

    fn session_of(&self, r: &SessionRecord, ended: Option<i64>, now: i64) -> Result<Session, Failure> {
        let at = session_at(r, ended, now, &self.durations);
        let configurations = r
            .engine_configurations
            .as_ref()
            .map(|v| unwire(v, "engine configurations", de_configuration_list))
            .transpose()?;
        let monitoring = r
            .monitoring_configuration
            .as_ref()
            .map(|v| {
                unwire(
                    v,
                    "session monitoring configuration",
                    de_session_monitoring_configuration,
                )
            })
            .transpose()?;
        built(
            Session::builder()
                .id(&r.id)
                .arn(&r.arn)
                .cluster_id(&r.cluster_id)
                .account_id(&self.account_id)
                .set_name(r.name.clone())
                .state(SessionState::from(at.state))
                .state_change_reason(at.reason)
                .set_release_label(r.release_label.clone())
                .set_execution_role_arn(r.execution_role_arn.clone())
                .session_idle_timeout_in_minutes(r.idle_timeout_minutes)
                .set_engine_configurations(configurations)
                .set_monitoring_configuration(monitoring)
                .server_url(self.endpoint_of(r))
                .created_at(time(r.created))
                .updated_at(time(r.terminate_requested.unwrap_or(r.created)))
                .set_started_at(at.started.map(time))
                .set_idle_since(at.idle_since.map(time))
                .set_ended_at(at.ended.map(time))
                .tags(
                    r.tags
                        .iter()
                        .map(|t| Tag::builder().set_key(t.key.clone()).set_value(t.value.clone()).build())
                        .collect::<Vec<_>>(),
                )
                .build(),
        )
    }

    fn endpoint_of(&self, r: &SessionRecord) -> String {
        format!("{}/_emulator/sessions/{}/{}", self.url, r.cluster_id, r.id)
    }

    pub(crate) fn start_session(&self, input: StartSessionInput) -> Result<StartSessionOutput, Failure> {
        if let Some(t) = input.session_idle_timeout_in_minutes.filter(|t| *t < 1) {
            return Err(Failure::Invalid(format!(
                "SessionIdleTimeoutInMinutes must be 1 or more; {t} is not."
            )));
        }
        let (record, ended) = self.change(|state, now| {
            let c = active_cluster(state, &input.cluster_id)?;
            let release_label = c.release_label.clone();
            if let Some(token) = &input.client_request_token {
                if let Some(r) = state
                    .sessions
                    .values()
                    .find(|r| r.cluster_id == input.cluster_id && r.client_request_token.as_ref() == Some(token))
                {
                    return Ok((r.clone(), None));
                }
            }
            let id = Fresh::new(self.ids.as_ref(), state.resource_ids()).resource_id("ses-");
            let record = SessionRecord {
                arn: format!(
                    "arn:aws:elasticmapreduce:{}:{}:cluster/{}/session/{id}",
                    self.region, self.account_id, input.cluster_id
                ),
                id: id.clone(),
                cluster_id: input.cluster_id.clone(),
                name: input.name.clone(),
                client_request_token: input.client_request_token.clone(),
                release_label,
                execution_role_arn: input.execution_role_arn.clone(),
                idle_timeout_minutes: input
                    .session_idle_timeout_in_minutes
                    .unwrap_or(DEFAULT_IDLE_TIMEOUT_MINUTES),
                engine_configurations: input
                    .engine_configurations
                    .as_ref()
                    .map(|c| wire(|w| ser_configuration_list(c, w))),
                monitoring_configuration: input
                    .monitoring_configuration
                    .as_ref()
                    .map(|m| wire(|w| ser_session_monitoring_configuration(m, w))),
                tags: input
                    .tags
                    .iter()
                    .flatten()
                    .map(|t| TagRecord {
                        key: t.key.clone(),
                        value: t.value.clone(),
                    })
                    .collect(),
                created: now,
                terminate_requested: None,
            };
            state.sessions.insert(id, record.clone());
            Ok((record, None))
        })?;
        let at = session_at(&record, ended, self.clock.now_ms(), &self.durations);
        built(
            StartSessionOutput::builder()
                .id(&record.id)
                .arn(&record.arn)
                .cluster_id(&record.cluster_id)
                .account_id(&self.account_id)
                .state(SessionState::from(at.state))
                .build(),
        )
    }

    pub(crate) fn get_session(&self, input: GetSessionInput) -> Result<GetSessionOutput, Failure> {
        let (r, ended) = self.session_record(&input.cluster_id, &input.session_id)?;
        let session = self.session_of(&r, ended, self.clock.now_ms())?;
        built(GetSessionOutput::builder().session(session).build())
    }

    pub(crate) fn list_sessions(&self, input: ListSessionsInput) -> Result<ListSessionsOutput, Failure> {
        let now = self.settle()?;
        let (mut records, ended) = self.store.read(|s| {
            let c = s
                .clusters
                .get(&input.cluster_id)
                .ok_or_else(|| Failure::Invalid(no_cluster(&input.cluster_id)))?;
            let records: Vec<SessionRecord> = s
                .sessions
                .values()
                .filter(|r| r.cluster_id == input.cluster_id)
                .cloned()
                .collect();
            Ok::<_, Failure>((records, cluster_ended(Some(c))))
        })?;
        records.sort_by(|a, b| b.created.cmp(&a.created).then(b.id.cmp(&a.id)));
        let wanted = |state: &str| {
            input
                .session_states
                .as_ref()
                .is_none_or(|states| states.iter().any(|s| s.as_str() == state))
        };
        let mut items = Vec::new();
        for r in &records {
            if wanted(session_at(r, ended, now, &self.durations).state) {
                items.push((r.id.clone(), self.session_of(r, ended, now)?));
            }
        }
        let size = input
            .max_results
            .and_then(|m| usize::try_from(m).ok())
            .filter(|m| *m > 0)
            .unwrap_or(PAGE_SIZE);
        let (sessions, next) = page(items, input.next_token.as_deref(), size)?;
        Ok(ListSessionsOutput::builder()
            .sessions(sessions)
            .set_next_token(next)
            .build())
    }

    pub(crate) fn terminate_session(&self, input: TerminateSessionInput) -> Result<TerminateSessionOutput, Failure> {
        let (cluster, id) = (&input.cluster_id, &input.session_id);
        let state = self.change(|state, now| {
            let ended = cluster_ended(Some(
                state
                    .clusters
                    .get(cluster)
                    .ok_or_else(|| Failure::Invalid(no_cluster(cluster)))?,
            ));
            let r = state
                .sessions
                .get_mut(id)
                .filter(|r| r.cluster_id == *cluster)
                .ok_or_else(|| Failure::Invalid(fill(OWN_NO_SESSION, &[("id", id), ("cluster", cluster)])))?;
            if !matches!(
                session_at(r, ended, now, &self.durations).state,
                ss::TERMINATING | ss::TERMINATED
            ) {
                r.terminate_requested = Some(now);
            }
            Ok(session_at(r, ended, now, &self.durations).state)
        })?;
        built(
            TerminateSessionOutput::builder()
                .cluster_id(cluster)
                .session_id(id)
                .state(SessionState::from(state))
                .build(),
        )
    }

    pub(crate) fn get_session_endpoint(
        &self,
        input: GetSessionEndpointInput,
    ) -> Result<GetSessionEndpointOutput, Failure> {
        let (r, ended) = self.session_record(&input.cluster_id, &input.session_id)?;
        let now = self.clock.now_ms();
        let at = session_at(&r, ended, now, &self.durations);
        if !matches!(at.state, ss::STARTED | ss::IDLE) {
            return Err(Failure::Invalid(fill(
                OWN_SESSION_NOT_READY,
                &[("id", &r.id), ("state", at.state)],
            )));
        }
        let token = format!("emulator-session-token-{}", self.ids.request_id());
        built(
            GetSessionEndpointOutput::builder()
                .endpoint(self.endpoint_of(&r))
                .auth_token(token)
                .auth_token_expiration_time(time(now + CREDENTIALS_LIFETIME_MS))
                .build(),
        )
    }

    pub(crate) fn get_cluster_session_credentials(
        &self,
        input: GetClusterSessionCredentialsInput,
    ) -> Result<GetClusterSessionCredentialsOutput, Failure> {
        let now = self.settle()?;
        self.store.read(|s| active_cluster(s, &input.cluster_id).map(drop))?;
        // Plainly fake: no real key has `EMULATOR` in it, and the secret says what it is.
        // The last 8 characters of a fresh id: they differ from call to call, counter or random.
        let id = self.ids.resource_id("");
        let key = &id[id.len().saturating_sub(8)..];
        let credentials = UsernamePassword::builder()
            .username(format!("ASIAEMULATOR{key}"))
            .password(format!("emulator-not-a-secret-{}", self.ids.request_id()))
            .build();
        Ok(GetClusterSessionCredentialsOutput::builder()
            .credentials(Credentials::UsernamePassword(credentials))
            .expires_at(time(now + CREDENTIALS_LIFETIME_MS))
            .build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn record(terminate: Option<i64>) -> SessionRecord {
        SessionRecord {
            id: "ses-1".into(),
            arn: "arn".into(),
            cluster_id: "j-1".into(),
            name: None,
            client_request_token: None,
            release_label: None,
            execution_role_arn: None,
            idle_timeout_minutes: 1,
            engine_configurations: None,
            monitoring_configuration: None,
            tags: Vec::new(),
            created: 0,
            terminate_requested: terminate,
        }
    }

    #[test]
    fn a_session_starts_idles_and_ends_on_the_clock() {
        let d = Durations::each(Duration::from_secs(30));
        let states: Vec<_> = [0, 30_000, 60_000, 90_000, 150_000, 180_000]
            .iter()
            .map(|t| session_at(&record(None), None, *t, &d).state)
            .collect();
        assert_eq!(
            states,
            [
                ss::SUBMITTED,
                ss::STARTING,
                ss::STARTED,
                ss::IDLE,
                ss::TERMINATING,
                ss::TERMINATED
            ]
        );
        assert_eq!(session_at(&record(None), None, 100_000, &d).idle_since, Some(90_000));
        let asked = session_at(&record(Some(95_000)), None, 100_000, &d);
        assert_eq!(
            (asked.state, asked.reason),
            (ss::TERMINATING, "Terminated by user request")
        );
        let with_cluster = session_at(&record(None), Some(40_000), 50_000, &d);
        assert_eq!((with_cluster.state, with_cluster.ended), (ss::TERMINATED, Some(40_000)));
    }
}
