//! `--state FILE`: written atomically after every change, read at start, so that a restart loses nothing.

mod support;

use lean_emr::operation::create_studio_session_mapping::CreateStudioSessionMappingInput;
use lean_emr::operation::describe_studio::DescribeStudioInput;
use lean_emr::operation::get_studio_session_mapping::GetStudioSessionMappingInput;
use lean_emr::types::IdentityType;
use std::path::PathBuf;

/// A fresh folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("lean-emr-emulator-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_survives_a_restart() {
    let dir = TempDir::new("restart");
    let file = dir.0.join("state.json");
    let get = |studio: &str| {
        GetStudioSessionMappingInput::builder()
            .studio_id(studio)
            .identity_type(IdentityType::Group)
            .identity_name("analysts")
    };

    let (studio, mapping, described) = {
        let emulator = lean_emr_emulator::start(support::settings().state_file(&file)).unwrap();
        let client = support::client(&emulator);
        let studio = support::create_studio(&client, "kept").await;
        CreateStudioSessionMappingInput::builder()
            .studio_id(&studio)
            .identity_type(IdentityType::Group)
            .identity_name("analysts")
            .session_policy_arn(support::POLICY)
            .send_with(&client)
            .await
            .unwrap();
        let mapping = get(&studio).send_with(&client).await.unwrap().session_mapping;
        let described = DescribeStudioInput::builder()
            .studio_id(&studio)
            .send_with(&client)
            .await
            .unwrap()
            .studio;
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            emulator.state(),
            "the file has every change"
        );
        (studio, mapping, described)
        // The emulator stops here.
    };
    let files: Vec<_> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files, ["state.json"], "no temporary file is left behind");

    let emulator = lean_emr_emulator::start(support::settings().state_file(&file)).unwrap();
    let client = support::client(&emulator);
    assert_eq!(get(&studio).send_with(&client).await.unwrap().session_mapping, mapping);
    let again = DescribeStudioInput::builder()
        .studio_id(&studio)
        .send_with(&client)
        .await
        .unwrap()
        .studio;
    assert_eq!(again, described);
    // Ids from a counter that starts again do not collide with the studios the file brought back.
    let second = support::create_studio(&client, "new").await;
    assert_ne!(second, studio);
}

#[tokio::test]
async fn a_state_file_that_is_not_the_emulators_stops_the_start_and_says_why() {
    let dir = TempDir::new("corrupt");
    let file = dir.0.join("state.json");
    std::fs::write(&file, "{\"studios\": 5}").unwrap();
    let e = lean_emr_emulator::start(support::settings().state_file(&file)).unwrap_err();
    let text = e.to_string();
    assert!(
        text.starts_with("state file: ") && text.contains("state.json"),
        "{text}"
    );
}
