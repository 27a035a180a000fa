//! The README's in-process example: a test against the emulator in one line, in the fluent call style.

use lean_emr::types::{AuthMode, IdentityType};
use lean_emr_emulator::identities::Identity;
use lean_emr_emulator::Settings;

#[tokio::test]
async fn maps_alice_to_a_studio() -> Result<(), Box<dyn std::error::Error>> {
    let alice = Identity::user("9067d1a5c1-5f6e7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b", "alice@example.com");
    let emulator = lean_emr_emulator::start(Settings::default().identities(vec![alice]))?; // stops when dropped
    let client = lean_emr::Client::new(emulator.config()); // its URL, region and credentials

    let studio_id = client
        .create_studio()
        .name("test")
        .auth_mode(AuthMode::Sso)
        .vpc_id("vpc-1")
        .subnet_ids("subnet-1")
        .service_role("arn:aws:iam::123456789012:role/Service")
        .workspace_security_group_id("sg-1")
        .engine_security_group_id("sg-2")
        .default_s3_location("s3://bucket/studio")
        .send()
        .await?
        .studio_id
        .unwrap();
    client
        .create_studio_session_mapping()
        .studio_id(&studio_id)
        .identity_type(IdentityType::User)
        .identity_name("alice@example.com")
        .session_policy_arn("arn:aws:iam::123456789012:policy/Policy")
        .send()
        .await?;

    let mapping = client
        .get_studio_session_mapping()
        .studio_id(&studio_id)
        .identity_type(IdentityType::User)
        .identity_name("alice@example.com")
        .send()
        .await?
        .session_mapping
        .unwrap();
    assert_eq!(
        mapping.session_policy_arn(),
        Some("arn:aws:iam::123456789012:policy/Policy")
    );
    Ok(())
}
