//! Persistent app UIs and presigned URLs through `lean-emr`: created on a cluster by its ARN, described, their URLs
//! on the emulator's own host (never an AWS one), kept through a restart and past their cluster's end; and their
//! errors.

mod support;

use lean_emr::operation::create_persistent_app_ui::CreatePersistentAppUiError;
use lean_emr::operation::get_persistent_app_ui_presigned_url::GetPersistentAppUiPresignedUrlError;
use lean_emr::types::{OnClusterAppUiType, PersistentAppUiType};
use serde_json::json;
use std::time::Duration;
use support::{cluster, err, ok, run_job_flow};

const POLL: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_persistent_app_ui_is_created_described_and_presigned_on_the_emulators_host() {
    let dir = std::env::temp_dir().join(format!("lean-emr-emulator-app-uis-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.json");
    let clock = lean_aws_runtime::clock::ManualClock::from_epoch_secs(1_700_000_000);
    let settings = || support::settings().manual_clock(clock.clone()).state_file(&file);

    let emulator = lean_emr_emulator::start(settings()).unwrap();
    let client = support::client(&emulator);
    let id = cluster(&emulator, run_job_flow("ui", true, &[])).await;
    let arn = format!("arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/{id}");
    let created = client
        .create_persistent_app_ui()
        .target_resource_arn(&arn)
        .send()
        .await
        .unwrap();
    let ui = created.persistent_app_ui_id().unwrap().to_owned();
    assert!(ui.starts_with("p-") && ui.len() == 15, "{ui}");

    let described = client
        .describe_persistent_app_ui()
        .persistent_app_ui_id(&ui)
        .send()
        .await
        .unwrap();
    let d = described.persistent_app_ui().unwrap();
    assert_eq!(d.persistent_app_ui_status(), Some("ATTACHED"));
    assert_eq!(
        d.persistent_app_ui_type_list(),
        [
            PersistentAppUiType::Shs,
            PersistentAppUiType::Tez,
            PersistentAppUiType::Yts
        ]
    );

    let url = client
        .get_persistent_app_ui_presigned_url()
        .persistent_app_ui_id(&ui)
        .persistent_app_ui_type(PersistentAppUiType::Yts)
        .application_id("application_1700000000000_0001")
        .send()
        .await
        .unwrap();
    assert_eq!(url.presigned_url_ready(), Some(true));
    let url = url.presigned_url().unwrap();
    assert_eq!(
        url,
        format!(
            "{}/_emulator/app-ui/persistent/{ui}/yts?served-by=lean-emr-emulator&application=application_1700000000000_0001",
            emulator.url()
        )
    );
    assert!(!url.contains("amazonaws"), "{url}");

    // On the cluster: not ready while it starts, ready once it runs; a dry run gives no URL.
    let on = |dry: bool| {
        let client = client.clone();
        let id = id.clone();
        async move {
            client
                .get_on_cluster_app_ui_presigned_url()
                .cluster_id(id)
                .on_cluster_app_ui_type(OnClusterAppUiType::SparkHistoryServer)
                .dry_run(dry)
                .send()
                .await
                .unwrap()
        }
    };
    let early = on(false).await;
    assert_eq!(
        (early.presigned_url_ready(), early.presigned_url()),
        (Some(false), None)
    );
    emulator.advance(POLL * 2).unwrap();
    let running = on(false).await;
    assert_eq!(running.presigned_url_ready(), Some(true));
    assert_eq!(
        running.presigned_url(),
        Some(
            format!(
                "{}/_emulator/app-ui/on-cluster/{id}/SparkHistoryServer?served-by=lean-emr-emulator",
                emulator.url()
            )
            .as_str()
        )
    );
    let dry = on(true).await;
    assert_eq!((dry.presigned_url_ready(), dry.presigned_url()), (Some(true), None));

    // Errors: an ARN that is no cluster, a UI id that is not there, a type the UI does not offer, a cluster that is
    // not there.
    let refused = client
        .create_persistent_app_ui()
        .target_resource_arn("arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-NOTACLUSTER1")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(refused.as_service_error(), Some(CreatePersistentAppUiError::InvalidRequestException(e))
            if e.message.as_deref().is_some_and(|m| m.contains("is not the ARN of a cluster the emulator holds"))),
        "{refused}"
    );
    let missing = client
        .get_persistent_app_ui_presigned_url()
        .persistent_app_ui_id("p-NOTAUI000001")
        .send()
        .await
        .unwrap_err();
    match missing.into_service_error() {
        GetPersistentAppUiPresignedUrlError::InvalidRequestException(e) => {
            assert_eq!(
                e.message.as_deref(),
                Some("Persistent app UI id 'p-NOTAUI000001' is not valid.")
            )
        }
        other => panic!("{other}"),
    }
    let shs_only = ok(
        &emulator,
        "CreatePersistentAppUI",
        json!({"TargetResourceArn": arn, "ProfilerType": "SHS"}),
    )
    .await["PersistentAppUIId"]
        .as_str()
        .unwrap()
        .to_owned();
    let tez = err(
        &emulator,
        "GetPersistentAppUIPresignedURL",
        json!({"PersistentAppUIId": shs_only, "PersistentAppUIType": "TEZ"}),
    )
    .await;
    assert_eq!(tez.2, "The persistent app UI does not offer TEZ; it offers SHS.");
    let no_cluster = err(
        &emulator,
        "GetOnClusterAppUIPresignedURL",
        json!({"ClusterId": "j-NOTACLUSTER1"}),
    )
    .await;
    assert_eq!(
        no_cluster,
        (
            400,
            "InvalidRequestException".into(),
            "Cluster id 'j-NOTACLUSTER1' is not valid.".into()
        )
    );

    // It outlives its cluster and a restart.
    ok(&emulator, "TerminateJobFlows", json!({"JobFlowIds": [id]})).await;
    emulator.advance(POLL * 2).unwrap();
    let before = ok(&emulator, "DescribePersistentAppUI", json!({"PersistentAppUIId": ui})).await;
    drop(emulator);
    let emulator = lean_emr_emulator::start(settings()).unwrap();
    assert_eq!(
        ok(&emulator, "DescribePersistentAppUI", json!({"PersistentAppUIId": ui})).await,
        before
    );
    let after = ok(
        &emulator,
        "GetPersistentAppUIPresignedURL",
        json!({"PersistentAppUIId": ui}),
    )
    .await;
    assert_eq!(after["PresignedURLReady"], true);
    assert!(after["PresignedURL"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{}/_emulator/", emulator.url())));
    let gone = ok(&emulator, "GetOnClusterAppUIPresignedURL", json!({"ClusterId": id})).await;
    assert_eq!(gone, json!({"PresignedURLReady": false}));
    let _ = std::fs::remove_dir_all(&dir);
}
