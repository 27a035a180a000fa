//! Hostile requests: arbitrary bytes and headers, signed or not, to every operation and to ones that do not exist.
//! The emulator answers every one with a typed error or a result, never panics, keeps serving, and its state stays
//! as it was. Property-tested with a fixed seed and a bounded number of cases.

mod support;

use lean_aws_runtime::Credentials;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::time::SystemTime;

const OPERATIONS: &[&str] = &[
    "CreateStudio",
    "DescribeStudio",
    "ListStudios",
    "UpdateStudio",
    "DeleteStudio",
    "CreateStudioSessionMapping",
    "GetStudioSessionMapping",
    "UpdateStudioSessionMapping",
    "DeleteStudioSessionMapping",
    "ListStudioSessionMappings",
    "DescribeCluster",
    "DescribeJobFlows",
    "ListInstances",
    "ModifyInstanceGroups",
    "AddInstanceFleet",
    "PutAutoScalingPolicy",
    "GetManagedScalingPolicy",
    "PutAutoTerminationPolicy",
    "GetBlockPublicAccessConfiguration",
    "PutBlockPublicAccessConfiguration",
    "CreateSecurityConfiguration",
    "DescribeSecurityConfiguration",
    "DeleteSecurityConfiguration",
    "ListSecurityConfigurations",
    "ListReleaseLabels",
    "DescribeReleaseLabel",
    "ListSupportedInstanceTypes",
    "StartNotebookExecution",
    "DescribeNotebookExecution",
    "ListNotebookExecutions",
    "StopNotebookExecution",
    "CreatePersistentAppUI",
    "DescribePersistentAppUI",
    "GetPersistentAppUIPresignedURL",
    "GetOnClusterAppUIPresignedURL",
    "StartSession",
    "GetSession",
    "ListSessions",
    "TerminateSession",
    "GetSessionEndpoint",
    "GetClusterSessionCredentials",
    "",
];

/// Member names the operations know (but not `VpcId`, `SecurityConfiguration` or `BlockPublicAccessConfiguration`,
/// so that no random `CreateStudio`, `CreateSecurityConfiguration` or `PutBlockPublicAccessConfiguration` is
/// complete).
const KEYS: &[&str] = &[
    "StudioId",
    "IdentityType",
    "IdentityId",
    "IdentityName",
    "SessionPolicyArn",
    "Marker",
    "Name",
    "AuthMode",
    "SubnetIds",
    "ServiceRole",
    "Tags",
    "ClusterId",
    "JobFlowIds",
    "InstanceGroups",
    "InstanceGroupId",
    "InstanceCount",
    "ReleaseLabel",
    "NotebookExecutionId",
    "EditorId",
    "RelativePath",
    "Status",
    "TargetResourceArn",
    "PersistentAppUIId",
    "PersistentAppUIType",
    "DryRun",
    "SessionId",
    "SessionStates",
    "ExecutionRoleArn",
    "NextToken",
    "MaxResults",
    "Filters",
    "Prefix",
    "Key",
    "Value",
    "__type",
];

/// JSON values of every kind, nested a little.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::json!(f)),
        "\\PC{0,12}".prop_map(serde_json::Value::from),
        prop::sample::select(vec!["USER", "GROUP", "SSO", "IAM", "es-0000000000000000000000009"])
            .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(prop::sample::select(KEYS), inner, 0..5)
                .prop_map(|m| { serde_json::Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()) }),
        ]
    })
}

/// A body: arbitrary bytes, or JSON made of the operations' member names.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        json_value().prop_map(|v| v.to_string().into_bytes()),
    ]
}

#[derive(Debug, Clone)]
struct Hostile {
    method: &'static str,
    operation: &'static str,
    content_type: &'static str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// 0: unsigned, 1: signed right, 2: signed with a wrong secret.
    signing: u8,
}

fn hostile() -> impl Strategy<Value = Hostile> {
    (
        prop::sample::select(vec!["POST", "POST", "POST", "GET", "PUT"]),
        prop::sample::select(OPERATIONS),
        prop::sample::select(vec!["application/x-amz-json-1.1", "application/json", "text/plain", ""]),
        prop::collection::vec(("x-[a-z0-9-]{1,12}", "[ -~]{0,40}"), 0..4),
        body(),
        prop_oneof![Just(0u8), Just(1u8), Just(1u8), Just(1u8), Just(2u8)],
    )
        .prop_map(|(method, operation, content_type, headers, body, signing)| Hostile {
            method,
            operation,
            content_type,
            headers,
            body,
            signing,
        })
}

#[test]
fn every_hostile_request_gets_an_answer_and_the_state_stays_intact() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let _guard = runtime.enter();
    let emulator = support::start();
    let (studio, before) = runtime.block_on(async {
        let client = support::client(&emulator);
        let studio = support::create_studio(&client, "target").await;
        (studio, emulator.state())
    });
    assert!(before.contains(&studio));

    let config = Config {
        cases: 1000,
        failure_persistence: None,
        ..Config::default()
    };
    let seed = *b"lean-emr-emulator hostile seed01";
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
    let statuses = std::cell::RefCell::new(std::collections::BTreeMap::new());
    runner
        .run(&hostile(), |h| {
            let mut request = support::request(&emulator, h.operation, "");
            request.method = h.method.to_owned();
            request.body = h.body.clone();
            request.headers.retain(|(n, _)| n != "content-type");
            if !h.content_type.is_empty() {
                request.headers.push(("content-type".into(), h.content_type.into()));
            }
            request.headers.extend(h.headers.iter().cloned());
            let request = match h.signing {
                0 => request,
                1 => support::signed(request, emulator.credentials(), "us-east-1", SystemTime::now()),
                _ => support::signed(
                    request,
                    &Credentials::new(support::ACCESS_KEY, "wrong", None),
                    "us-east-1",
                    SystemTime::now(),
                ),
            };
            let answer = runtime.block_on(support::send_raw(&emulator, &support::to_bytes(&request)));
            let answer = answer.ok_or_else(|| TestCaseError::fail("no answer"))?;
            prop_assert!(answer.header("x-amzn-requestid").is_some(), "no request id: {answer:?}");
            prop_assert!(matches!(answer.status, 200 | 400 | 403), "status {}", answer.status);
            if answer.status != 200 {
                prop_assert!(!answer.code().is_empty(), "an untyped error: {answer:?}");
            }
            *statuses.borrow_mut().entry((answer.status, answer.code())).or_insert(0) += 1;
            Ok(())
        })
        .unwrap();

    // Bytes that are not HTTP at all: the connection may be refused an answer, but the server goes on.
    for garbage in [
        &b"\x00\x01\x02\xff\r\n\r\n"[..],
        b"GET\r\n\r\n",
        b"POST / HTTP/1.1\r\ncontent-length: -5\r\n\r\n",
    ] {
        let _ = runtime.block_on(support::send_raw(&emulator, garbage));
    }

    assert_eq!(emulator.state(), before, "no hostile request changed the state");
    let answer = runtime.block_on(support::call(
        &emulator,
        "DescribeStudio",
        &format!(r#"{{"StudioId": "{studio}"}}"#),
    ));
    assert_eq!(answer.status, 200, "the emulator still serves");
    // The cases reached past the signature check into decoding and validation, not just the front door.
    let statuses = statuses.into_inner();
    for code in [
        "SerializationException",
        "ValidationException",
        "InvalidSignatureException",
        "UnknownOperationException",
    ] {
        assert!(
            statuses.keys().any(|(_, c)| c == code),
            "no case ended in {code}: {statuses:?}"
        );
    }
}
