//! Concurrent requests from parallel clients: none is lost, each gets its answer.

mod support;

use lean_emr::operation::create_studio_session_mapping::CreateStudioSessionMappingInput;
use lean_emr::operation::get_studio_session_mapping::GetStudioSessionMappingInput;
use lean_emr::operation::update_studio_session_mapping::UpdateStudioSessionMappingInput;
use lean_emr::operation::RequestId;
use lean_emr::types::IdentityType;

const CLIENTS: usize = 64;

fn policy(i: usize) -> String {
    format!("arn:aws:iam::123456789012:policy/policy-{i}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_concurrent_updates_of_one_mapping_leave_one_of_their_policies() {
    let emulator = support::start();
    let client = support::client(&emulator);
    let studio = support::create_studio(&client, "busy").await;
    CreateStudioSessionMappingInput::builder()
        .studio_id(&studio)
        .identity_type(IdentityType::User)
        .identity_name("alice@example.com")
        .session_policy_arn(support::POLICY)
        .send_with(&client)
        .await
        .unwrap();

    let mut tasks = Vec::new();
    for i in 0..CLIENTS {
        // A client of its own each: its own connections.
        let client = support::client(&emulator);
        let input = UpdateStudioSessionMappingInput::builder()
            .studio_id(&studio)
            .identity_type(IdentityType::User)
            .identity_name("alice@example.com")
            .session_policy_arn(policy(i));
        tasks.push(tokio::spawn(async move { input.send_with(&client).await }));
    }
    let mut answered = 0;
    for task in tasks {
        let output = task
            .await
            .expect("no client task panics")
            .expect("every update succeeds");
        assert!(output.request_id().is_some());
        answered += 1;
    }
    assert_eq!(answered, CLIENTS);

    let got = GetStudioSessionMappingInput::builder()
        .studio_id(&studio)
        .identity_type(IdentityType::User)
        .identity_name("alice@example.com")
        .send_with(&client)
        .await
        .unwrap()
        .session_mapping
        .unwrap();
    let held = got.session_policy_arn.unwrap();
    assert!(
        (0..CLIENTS).any(|i| policy(i) == held),
        "{held} is none of the 64 policies"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_concurrent_creations_are_all_kept() {
    let emulator = lean_emr_emulator::start(support::settings().page_size(100)).unwrap();
    let mut tasks = Vec::new();
    for i in 0..CLIENTS {
        let client = support::client(&emulator);
        tasks.push(tokio::spawn(async move {
            support::create_studio(&client, &format!("studio-{i}")).await
        }));
    }
    let mut created = Vec::new();
    for task in tasks {
        created.push(task.await.expect("no client task panics"));
    }
    created.sort();
    created.dedup();
    assert_eq!(created.len(), CLIENTS, "every studio got its own id");
    let listed = support::client(&emulator)
        .list_studios()
        .send()
        .await
        .unwrap()
        .studios
        .unwrap();
    let mut listed: Vec<String> = listed.into_iter().map(|s| s.studio_id.unwrap()).collect();
    listed.sort();
    assert_eq!(listed, created);
}
