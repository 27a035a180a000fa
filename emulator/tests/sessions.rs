//! Interactive sessions and cluster session credentials through `lean-emr`, on the emulator's manual clock: a
//! session through its states, its endpoint, listing with states and pages, termination by request, by idle timeout
//! and with its cluster, a restart that keeps it; plainly fake credentials with an expiry; and their errors.

mod support;

use lean_emr::operation::get_cluster_session_credentials::GetClusterSessionCredentialsError;
use lean_emr::operation::get_session::GetSessionError;
use lean_emr::types::{Credentials, SessionState};
use serde_json::json;
use std::time::Duration;
use support::{cluster, err, ok, run_job_flow};

const POLL: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_starts_on_a_running_cluster_idles_and_ends() {
    let dir = std::env::temp_dir().join(format!("lean-emr-emulator-sessions-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.json");
    let clock = lean_aws_runtime::clock::ManualClock::from_epoch_secs(1_700_000_000);
    let settings = || support::settings().manual_clock(clock.clone()).state_file(&file);
    let emulator = lean_emr_emulator::start(settings()).unwrap();
    let client = support::client(&emulator);
    let id = cluster(&emulator, run_job_flow("interactive", true, &[])).await;

    // Not on a cluster that is starting or not there.
    let early = err(&emulator, "StartSession", json!({"ClusterId": id})).await;
    assert_eq!(
        early.2,
        format!("Cluster {id} is STARTING: it must be RUNNING or WAITING.")
    );
    let unknown = err(&emulator, "StartSession", json!({"ClusterId": "j-NOTACLUSTER1"})).await;
    assert_eq!(
        unknown,
        (
            400,
            "InvalidRequestException".into(),
            "Cluster id 'j-NOTACLUSTER1' is not valid.".into()
        )
    );
    emulator.advance(POLL * 2).unwrap();

    let started = client
        .start_session()
        .cluster_id(&id)
        .name("explore")
        .client_request_token("token-1")
        .execution_role_arn("arn:aws:iam::123456789012:role/Analyst")
        .session_idle_timeout_in_minutes(10)
        .send()
        .await
        .unwrap();
    let session = started.id().unwrap().to_owned();
    assert!(session.starts_with("ses-") && session.len() == 17, "{session}");
    assert_eq!(started.state(), Some(&SessionState::Submitted));
    // The same token again: the same session.
    let again = ok(
        &emulator,
        "StartSession",
        json!({"ClusterId": id, "ClientRequestToken": "token-1"}),
    )
    .await;
    assert_eq!(again["Id"], session.as_str());

    let endpoint_early = err(
        &emulator,
        "GetSessionEndpoint",
        json!({"ClusterId": id, "SessionId": session}),
    )
    .await;
    assert_eq!(
        endpoint_early.2,
        format!("Session {session} is SUBMITTED: its endpoint is there once it has STARTED.")
    );
    let mut seen = Vec::new();
    for _ in 0..3 {
        emulator.advance(POLL).unwrap();
        let got = client
            .get_session()
            .cluster_id(&id)
            .session_id(&session)
            .send()
            .await
            .unwrap();
        seen.push(got.session().unwrap().state().unwrap().clone());
    }
    assert_eq!(
        seen,
        [SessionState::Starting, SessionState::Started, SessionState::Idle]
    );
    let got = client
        .get_session()
        .cluster_id(&id)
        .session_id(&session)
        .send()
        .await
        .unwrap();
    let s = got.session().unwrap();
    assert_eq!((s.name(), s.release_label()), (Some("explore"), Some("emr-7.5.0")));
    assert_eq!(s.execution_role_arn(), Some("arn:aws:iam::123456789012:role/Analyst"));
    assert!(s.idle_since().is_some() && s.ended_at().is_none());

    let endpoint = client
        .get_session_endpoint()
        .cluster_id(&id)
        .session_id(&session)
        .send()
        .await
        .unwrap();
    assert_eq!(
        endpoint.endpoint(),
        Some(format!("{}/_emulator/sessions/{id}/{session}", emulator.url()).as_str())
    );
    assert!(endpoint.auth_token().unwrap().starts_with("emulator-session-token-"));

    // A second session, ended by request; one idle past its timeout ends by itself.
    let second = ok(
        &emulator,
        "StartSession",
        json!({"ClusterId": id, "SessionIdleTimeoutInMinutes": 1}),
    )
    .await["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let third = ok(&emulator, "StartSession", json!({"ClusterId": id})).await["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ended = client
        .terminate_session()
        .cluster_id(&id)
        .session_id(&third)
        .send()
        .await
        .unwrap();
    assert_eq!(ended.state(), Some(&SessionState::Terminating));
    emulator.advance(POLL * 6).unwrap();
    let states = |body| {
        let emulator = &emulator;
        async move {
            let listed = ok(emulator, "ListSessions", body).await;
            listed["Sessions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s["Id"].as_str().unwrap().to_owned(),
                        s["State"].as_str().unwrap().to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        states(json!({"ClusterId": id})).await,
        [
            (third.clone(), "TERMINATED".to_owned()),
            (second.clone(), "TERMINATED".to_owned()),
            (session.clone(), "IDLE".to_owned())
        ]
    );
    assert_eq!(
        states(json!({"ClusterId": id, "SessionStates": ["IDLE"]})).await,
        [(session.clone(), "IDLE".to_owned())]
    );
    let first_page = ok(&emulator, "ListSessions", json!({"ClusterId": id, "MaxResults": 2})).await;
    let rest = ok(
        &emulator,
        "ListSessions",
        json!({"ClusterId": id, "MaxResults": 2, "NextToken": first_page["NextToken"]}),
    )
    .await;
    assert_eq!(rest["Sessions"][0]["Id"], session.as_str());
    assert!(rest.get("NextToken").is_none());

    // Credentials tied to the cluster: plainly fake, valid for an hour on the emulator's clock.
    let creds = client
        .get_cluster_session_credentials()
        .cluster_id(&id)
        .execution_role_arn("arn:aws:iam::123456789012:role/Analyst")
        .send()
        .await
        .unwrap();
    let Some(Credentials::UsernamePassword(up)) = creds.credentials() else {
        panic!("{creds:?}")
    };
    assert!(up.username().unwrap().starts_with("ASIAEMULATOR"), "{up:?}");
    assert!(up.password().unwrap().starts_with("emulator-not-a-secret-"));
    let other = ok(&emulator, "GetClusterSessionCredentials", json!({"ClusterId": id})).await;
    let other = other["Credentials"]["UsernamePassword"]["Username"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        other.starts_with("ASIAEMULATOR") && Some(other.as_str()) != up.username(),
        "{other}"
    );
    let expires = creds.expires_at().unwrap().to_millis().unwrap();
    assert_eq!(expires, (1_700_000_000 + 60 + 90 + 180) * 1000 + 3_600_000);
    let bad = client
        .get_cluster_session_credentials()
        .cluster_id("j-NOTACLUSTER1")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            bad.as_service_error(),
            Some(GetClusterSessionCredentialsError::InvalidRequestException(_))
        ),
        "{bad}"
    );

    // It is kept through a restart; its cluster's end ends it.
    // (Its ServerUrl is on the emulator's host, whose port the restart changes.)
    let without_url = |mut v: serde_json::Value| {
        v["Session"].as_object_mut().unwrap().remove("ServerUrl");
        v
    };
    let before = without_url(ok(&emulator, "GetSession", json!({"ClusterId": id, "SessionId": session})).await);
    drop(emulator);
    let emulator = lean_emr_emulator::start(settings()).unwrap();
    let client = support::client(&emulator);
    let after = ok(&emulator, "GetSession", json!({"ClusterId": id, "SessionId": session})).await;
    assert!(after["Session"]["ServerUrl"]
        .as_str()
        .unwrap()
        .starts_with(emulator.url()));
    assert_eq!(without_url(after), before);
    ok(&emulator, "TerminateJobFlows", json!({"JobFlowIds": [id]})).await;
    emulator.advance(POLL * 2).unwrap();
    let after = client
        .get_session()
        .cluster_id(&id)
        .session_id(&session)
        .send()
        .await
        .unwrap();
    assert_eq!(after.session().unwrap().state(), Some(&SessionState::Terminated));
    assert_eq!(
        after.session().unwrap().state_change_reason(),
        Some("Terminated with its cluster")
    );
    let creds = err(&emulator, "GetClusterSessionCredentials", json!({"ClusterId": id})).await;
    assert_eq!(
        creds.2,
        format!("Cluster {id} is TERMINATED: it must be RUNNING or WAITING.")
    );

    let missing = client
        .get_session()
        .cluster_id(&id)
        .session_id("ses-NOTASESSION1")
        .send()
        .await
        .unwrap_err();
    match missing.into_service_error() {
        GetSessionError::InvalidRequestException(e) => assert_eq!(
            e.message.as_deref(),
            Some(format!("Session id 'ses-NOTASESSION1' is not valid for cluster {id}.").as_str())
        ),
        other => panic!("{other}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
