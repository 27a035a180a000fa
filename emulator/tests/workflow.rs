//! The client's session-mapping workflow end to end through `lean-emr`: create a studio, map identities, update,
//! get, list across pages with the paginator, delete; and the service's errors on the way.

mod support;

use lean_emr::operation::create_studio_session_mapping::builders::CreateStudioSessionMappingInputBuilder;
use lean_emr::operation::create_studio_session_mapping::CreateStudioSessionMappingInput;
use lean_emr::operation::delete_studio::DeleteStudioInput;
use lean_emr::operation::delete_studio_session_mapping::DeleteStudioSessionMappingInput;
use lean_emr::operation::describe_studio::DescribeStudioInput;
use lean_emr::operation::get_studio_session_mapping::GetStudioSessionMappingInput;
use lean_emr::operation::list_studio_session_mappings::ListStudioSessionMappingsInput;
use lean_emr::operation::update_studio::UpdateStudioInput;
use lean_emr::operation::update_studio_session_mapping::UpdateStudioSessionMappingInput;
use lean_emr::operation::RequestId;
use lean_emr::types::IdentityType;
use lean_emr::SdkError;
use support::POLICY;

const ALICE_ID: &str = "9067d1a5c1-0000-0000-0000-00000000a11c";

fn mapping(studio: &str, identity_type: IdentityType, name: &str) -> CreateStudioSessionMappingInputBuilder {
    CreateStudioSessionMappingInput::builder()
        .studio_id(studio)
        .identity_type(identity_type)
        .identity_name(name)
        .session_policy_arn(POLICY)
}

/// The service error's code and message (without the status and request id that follow them).
fn service_error<E: std::fmt::Debug + std::fmt::Display>(e: SdkError<E>) -> String {
    match e {
        SdkError::ServiceError(e) => {
            let text = e.to_string();
            assert!(
                text.contains("(HTTP 400, request id: 00000000-0000-4000-8000-"),
                "{text}"
            );
            text.split(" (HTTP").next().unwrap_or_default().to_owned()
        }
        other => panic!("expected a service error, got {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_mapping_workflow_runs_end_to_end() {
    let emulator = support::start();
    let client = support::client(&emulator);

    // A studio: id, ARN, URL and creation time.
    let studio = support::create_studio(&client, "research").await;
    assert_eq!(studio, "es-0000000000000000000000001");
    let described = DescribeStudioInput::builder()
        .studio_id(&studio)
        .send_with(&client)
        .await
        .unwrap()
        .studio
        .unwrap();
    assert_eq!(
        described.studio_arn.as_deref(),
        Some("arn:aws:elasticmapreduce:us-east-1:123456789012:studio/es-0000000000000000000000001")
    );
    assert_eq!(
        described.url.as_deref(),
        Some("https://es-0000000000000000000000001.emrstudio-prod.us-east-1.amazonaws.com")
    );
    assert_eq!(described.name.as_deref(), Some("research"));
    assert_eq!(
        described.subnet_ids.as_deref(),
        Some(&["subnet-0123456789abcdef0".to_owned()][..])
    );
    let created = described.creation_time.unwrap().secs();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((now - created).abs() < 60, "creation time {created}, now {now}");

    // Map alice by name; she is then found by id too, and holds the policy.
    let output = mapping(&studio, IdentityType::User, "alice@example.com")
        .send_with(&client)
        .await
        .unwrap();
    assert!(output.request_id().is_some(), "every response carries x-amzn-RequestId");
    let by_id = GetStudioSessionMappingInput::builder()
        .studio_id(&studio)
        .identity_type(IdentityType::User)
        .identity_id(ALICE_ID);
    let got = by_id.clone().send_with(&client).await.unwrap().session_mapping.unwrap();
    assert_eq!(got.identity_name.as_deref(), Some("alice@example.com"));
    assert_eq!(got.session_policy_arn.as_deref(), Some(POLICY));

    // Update her session policy and read it back by name.
    let new_policy = "arn:aws:iam::123456789012:policy/EMRStudioReadOnly";
    UpdateStudioSessionMappingInput::builder()
        .studio_id(&studio)
        .identity_type(IdentityType::User)
        .identity_name("alice@example.com")
        .session_policy_arn(new_policy)
        .send_with(&client)
        .await
        .unwrap();
    let by_name = GetStudioSessionMappingInput::builder()
        .studio_id(&studio)
        .identity_type(IdentityType::User)
        .identity_name("alice@example.com");
    let got = by_name
        .clone()
        .send_with(&client)
        .await
        .unwrap()
        .session_mapping
        .unwrap();
    assert_eq!(got.session_policy_arn.as_deref(), Some(new_policy));
    assert_eq!(got.identity_id.as_deref(), Some(ALICE_ID));
    assert!(got.last_modified_time.unwrap() >= got.creation_time.unwrap());

    // Three more mappings; pages of 2 make the paginator ask twice.
    for (ty, name) in [
        (IdentityType::User, "bob@example.com"),
        (IdentityType::User, "carol@example.com"),
        (IdentityType::Group, "analysts"),
    ] {
        mapping(&studio, ty, name).send_with(&client).await.unwrap();
    }
    let mut pages = client
        .list_studio_session_mappings()
        .studio_id(&studio)
        .into_paginator()
        .send();
    let mut names = Vec::new();
    let mut page_count = 0;
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        page_count += 1;
        assert!(page.session_mappings.as_ref().unwrap().len() <= 2);
        names.extend(
            page.session_mappings
                .unwrap()
                .into_iter()
                .map(|m| m.identity_name.unwrap()),
        );
    }
    assert_eq!(page_count, 2);
    names.sort();
    assert_eq!(
        names,
        ["alice@example.com", "analysts", "bob@example.com", "carol@example.com"]
    );
    let groups = ListStudioSessionMappingsInput::builder()
        .studio_id(&studio)
        .identity_type(IdentityType::Group);
    let only_groups = groups.send_with(&client).await.unwrap();
    assert_eq!(only_groups.session_mappings.unwrap().len(), 1);
    assert_eq!(only_groups.marker, None);

    // The service's errors.
    let again = mapping(&studio, IdentityType::User, "alice@example.com")
        .send_with(&client)
        .await
        .unwrap_err();
    assert_eq!(
        service_error(again),
        "InvalidRequestException: Studio session mapping already exists."
    );
    let stranger = mapping(&studio, IdentityType::User, "mallory@example.com")
        .send_with(&client)
        .await
        .unwrap_err();
    assert_eq!(
        service_error(stranger),
        "InvalidRequestException: IdentityName is invalid"
    );
    let no_studio = mapping("es-ZZZZZZZZZZZZZZZZZZZZZZZZZ", IdentityType::User, "bob@example.com")
        .send_with(&client)
        .await
        .unwrap_err();
    assert_eq!(
        service_error(no_studio),
        "InvalidRequestException: Studio does not exist."
    );

    // Delete alice's mapping: it is gone.
    DeleteStudioSessionMappingInput::builder()
        .studio_id(&studio)
        .identity_type(IdentityType::User)
        .identity_id(ALICE_ID)
        .send_with(&client)
        .await
        .unwrap();
    let gone = by_name.send_with(&client).await.unwrap_err();
    assert!(service_error(gone).contains("Studio session mapping does not exist."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn studios_are_listed_across_pages_updated_and_deleted_with_their_mappings() {
    let emulator = support::start();
    let client = support::client(&emulator);
    let ids = [
        support::create_studio(&client, "one").await,
        support::create_studio(&client, "two").await,
        support::create_studio(&client, "three").await,
    ];
    mapping(&ids[0], IdentityType::User, "bob@example.com")
        .send_with(&client)
        .await
        .unwrap();

    let mut pages = client.list_studios().into_paginator().send();
    let mut listed = Vec::new();
    while let Some(page) = pages.next().await {
        listed.extend(page.unwrap().studios.unwrap().into_iter().map(|s| s.studio_id.unwrap()));
    }
    assert_eq!(listed, ids);

    UpdateStudioInput::builder()
        .studio_id(&ids[1])
        .name("two, renamed")
        .set_subnet_ids(Some(vec!["subnet-0123456789abcdef0".to_owned(), "subnet-1".to_owned()]))
        .send_with(&client)
        .await
        .unwrap();
    let two = DescribeStudioInput::builder()
        .studio_id(&ids[1])
        .send_with(&client)
        .await
        .unwrap()
        .studio
        .unwrap();
    assert_eq!(two.name.as_deref(), Some("two, renamed"));
    assert_eq!(two.subnet_ids.unwrap().len(), 2);
    let dropped = UpdateStudioInput::builder()
        .studio_id(&ids[1])
        .set_subnet_ids(Some(vec!["subnet-2".to_owned()]))
        .send_with(&client)
        .await
        .unwrap_err();
    assert!(service_error(dropped).contains("must include all of the subnet IDs previously associated"));

    DeleteStudioInput::builder()
        .studio_id(&ids[0])
        .send_with(&client)
        .await
        .unwrap();
    let missing = DescribeStudioInput::builder()
        .studio_id(&ids[0])
        .send_with(&client)
        .await
        .unwrap_err();
    assert_eq!(
        service_error(missing),
        "InvalidRequestException: Studio does not exist."
    );
    let all = ListStudioSessionMappingsInput::builder()
        .send_with(&client)
        .await
        .unwrap();
    assert_eq!(
        all.session_mappings.unwrap().len(),
        0,
        "a deleted studio's mappings go with it"
    );
}
