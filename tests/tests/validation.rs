//! Input validation: every violation reported at once, with field path, rule and limit; nothing sent.

mod support;

use lean_aws_runtime::validate::{Rule, Validate};
use lean_aws_runtime::{SdkError, ValidationMode};
use lean_emr::operation::update_studio_session_mapping::builders::UpdateStudioSessionMappingInputBuilder;
use lean_emr::operation::update_studio_session_mapping::UpdateStudioSessionMappingInput;
use lean_emr::types::IdentityType;
use support::*;

fn input() -> UpdateStudioSessionMappingInputBuilder {
    UpdateStudioSessionMappingInput::builder()
        .studio_id("es-123")
        .identity_id("d-0123456789")
        .identity_type(IdentityType::Group)
        .session_policy_arn("arn:aws:iam::123456789012:policy/P")
}

async fn rejected(input: UpdateStudioSessionMappingInputBuilder) -> lean_aws_runtime::validate::ValidationError {
    let (client, transport) = in_memory_client(vec![]);
    let err = input.send_with(&client).await.expect_err("invalid input");
    assert!(transport.requests().is_empty(), "nothing may be sent for invalid input");
    match err {
        SdkError::Validation(v) => v,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn the_call_names_every_missing_required_member() {
    let (client, transport) = in_memory_client(vec![]);
    let err = client
        .update_studio_session_mapping()
        .identity_name("x")
        .send()
        .await
        .expect_err("required members are missing");
    assert!(
        transport.requests().is_empty(),
        "nothing may be sent without required members"
    );
    let SdkError::Validation(err) = err else {
        panic!("expected a validation error, got {err:?}")
    };
    let missing: Vec<(String, &Rule)> = err.violations.iter().map(|v| (v.path.to_string(), &v.rule)).collect();
    assert_eq!(
        missing,
        vec![
            ("IdentityType".to_owned(), &Rule::Required),
            ("SessionPolicyArn".to_owned(), &Rule::Required),
            ("StudioId".to_owned(), &Rule::Required),
        ]
    );
    assert_eq!(err.violations[0].to_string(), "IdentityType: required, but not set");
    // The same input builds: the builder leaves the check to the call.
    let built = UpdateStudioSessionMappingInput::builder()
        .identity_name("x")
        .build()
        .expect("an input's build never fails");
    assert_eq!(built.studio_id(), None);
}

#[tokio::test]
async fn length_is_counted_in_characters() {
    // 256 characters of three bytes each is within the limit; 257 is not.
    assert!(input().studio_id("€".repeat(256)).build().unwrap().validate().is_ok());
    let err = rejected(input().studio_id("€".repeat(257))).await;
    assert_eq!(err.violations.len(), 1);
    assert_eq!(err.violations[0].path, "StudioId");
    assert_eq!(err.violations[0].rule, Rule::MaxLength { max: 256, actual: 257 });
    assert_eq!(
        err.violations[0].to_string(),
        "StudioId: length must be at most 256, got 257"
    );
}

#[tokio::test]
async fn pattern_rejects_a_control_character_anywhere() {
    let err = rejected(input().identity_id("ok\u{1}ok")).await;
    assert_eq!(err.violations.len(), 1);
    assert_eq!(err.violations[0].path, "IdentityId");
    assert!(matches!(err.violations[0].rule, Rule::Pattern { .. }));
    assert!(
        err.violations[0]
            .to_string()
            .starts_with("IdentityId: must match the pattern [\\u0020-"),
        "{}",
        err
    );
}

#[tokio::test]
async fn exactly_one_of_identity_id_and_identity_name() {
    let neither = input().set_identity_id(None);
    let err = rejected(neither).await;
    assert_eq!(
        err.violations[0].rule,
        Rule::ExactlyOneOf {
            members: &["IdentityId", "IdentityName"],
            set: 0
        }
    );
    assert_eq!(
        err.violations[0].to_string(),
        "input: exactly one of IdentityId, IdentityName must be set, got 0"
    );
    let both = input().identity_name("alice");
    let err = rejected(both).await;
    assert_eq!(
        err.violations[0].rule,
        Rule::ExactlyOneOf {
            members: &["IdentityId", "IdentityName"],
            set: 2
        }
    );
}

#[tokio::test]
async fn every_violation_is_reported_at_once() {
    let bad = input()
        .studio_id("x".repeat(300))
        .identity_name("bob\u{7}")
        .session_policy_arn("arn\u{0}");
    let err = rejected(bad).await;
    let paths: Vec<String> = err.violations.iter().map(|v| v.path.to_string()).collect();
    assert_eq!(paths, vec!["IdentityName", "SessionPolicyArn", "StudioId", ""], "{err}");
    assert!(
        err.to_string()
            .starts_with("invalid UpdateStudioSessionMappingInput: 4 violations; "),
        "{err}"
    );
}

#[tokio::test]
async fn essential_mode_leaves_length_and_pattern_to_the_service() {
    let transport = lean_aws_runtime::transport::InMemoryTransport::new();
    let client = lean_emr::Client::new(
        offline_config(None)
            .transport(transport.clone())
            .validation(ValidationMode::Essential)
            .build(),
    );
    input()
        .studio_id("x".repeat(300))
        .send_with(&client)
        .await
        .expect("length is not checked in Essential mode");
    assert_eq!(transport.requests().len(), 1);
    // The exactly-one-of rule is still enforced.
    let neither = input().set_identity_id(None).send_with(&client).await.unwrap_err();
    assert!(matches!(neither, SdkError::Validation(_)), "{neither:?}");
    // So are required members.
    let missing = input().set_studio_id(None).send_with(&client).await.unwrap_err();
    let SdkError::Validation(missing) = missing else {
        panic!("expected a validation error, got {missing:?}")
    };
    assert_eq!(missing.violations[0].rule, Rule::Required);
    assert_eq!(transport.requests().len(), 1, "nothing more was sent");
}

#[test]
fn ranges_report_their_limit() {
    use lean_aws_runtime::validate::{check_range, Path};
    let mut out = Vec::new();
    check_range(
        0.0,
        Some(1.0),
        Some(10.0),
        &Path::Root.member("InstanceCount"),
        &mut out,
    );
    check_range(
        11.0,
        Some(1.0),
        Some(10.0),
        &Path::Root.member("InstanceCount"),
        &mut out,
    );
    let shown: Vec<String> = out.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        vec![
            "InstanceCount: must be at least 1, got 0",
            "InstanceCount: must be at most 10, got 11"
        ]
    );
}

#[test]
fn unknown_enum_values_are_kept() {
    let t = IdentityType::from("ROBOT");
    assert_eq!(t.as_str(), "ROBOT");
    assert!(matches!(t, IdentityType::Unknown(_)));
    assert_eq!(IdentityType::from("USER"), IdentityType::User);
    assert_eq!(IdentityType::values(), &["USER", "GROUP"]);
    let parsed: IdentityType = "GROUP".parse().unwrap_or_else(|never| match never {});
    assert_eq!(parsed, IdentityType::Group);
    let unknown: IdentityType = "ROBOT".parse().unwrap_or_else(|never| match never {});
    assert_eq!(unknown.as_str(), "ROBOT", "an unknown value is kept");
}

#[tokio::test]
async fn missing_required_members_are_found_at_any_depth_in_every_mode() {
    use lean_emr::types::{HadoopJarStepConfig, StepConfig};
    for mode in [ValidationMode::Full, ValidationMode::Essential] {
        let transport = lean_aws_runtime::transport::InMemoryTransport::new();
        let client = lean_emr::Client::new(
            offline_config(None)
                .transport(transport.clone())
                .validation(mode)
                .build(),
        );
        let error = client
            .add_job_flow_steps()
            .steps(
                StepConfig::builder()
                    .name("ok")
                    .hadoop_jar_step(HadoopJarStepConfig::builder().jar("a.jar").build())
                    .build(),
            )
            .steps(
                StepConfig::builder()
                    .hadoop_jar_step(HadoopJarStepConfig::builder().args("x").build())
                    .build(),
            )
            .send()
            .await
            .expect_err("three required members are missing");
        let SdkError::Validation(error) = error else {
            panic!("expected a validation error, got {error:?}")
        };
        let missing: Vec<String> = error
            .violations
            .iter()
            .filter(|v| v.rule == Rule::Required)
            .map(|v| v.path.to_string())
            .collect();
        assert_eq!(
            missing,
            ["JobFlowId", "Steps[1].HadoopJarStep.Jar", "Steps[1].Name"],
            "{mode:?}"
        );
        assert!(transport.requests().is_empty(), "nothing is sent ({mode:?})");
    }
}
