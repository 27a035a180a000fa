//! `amz-sdk-invocation-id` and `amz-sdk-request`, as botocore and aws-sdk-rust send them: one random UUID v4 per
//! operation, the same on each of its attempts; `attempt=N; max=M` counting them; both signed.

mod support;

use lean_aws_runtime::invocation::{InvocationIdGenerator, RandomInvocationIds, SeededInvocationIds};
use lean_aws_runtime::time::RecordingSleep;
use lean_aws_runtime::transport::{HttpRequest, InMemoryTransport};
use std::collections::BTreeSet;
use support::resilience::*;

fn header<'a>(request: &'a HttpRequest, name: &str) -> &'a str {
    request
        .header(name)
        .unwrap_or_else(|| panic!("no {name} in {request:?}"))
}

/// A lower-case UUID v4 in 8-4-4-4-12 form with the RFC 9562 variant.
fn is_uuid_v4(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && id
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c))
        && groups[2].starts_with('4')
        && groups[3].starts_with(['8', '9', 'a', 'b'])
}

#[tokio::test]
async fn the_attempts_of_one_call_share_its_invocation_id_and_count_themselves() {
    let transport = InMemoryTransport::new();
    transport
        .push_response(status(503))
        .push_response(status(500))
        .push_response(ok("r"));
    run(config(&transport, &RecordingSleep::new()))
        .await
        .expect("the third attempt succeeds");
    let requests = transport.requests();
    assert_eq!(requests.len(), 3);
    let id = header(&requests[0], "amz-sdk-invocation-id");
    assert!(is_uuid_v4(id), "{id}");
    for (i, request) in requests.iter().enumerate() {
        assert_eq!(header(request, "amz-sdk-invocation-id"), id, "attempt {}", i + 1);
        assert_eq!(header(request, "amz-sdk-request"), format!("attempt={}; max=3", i + 1));
    }
}

#[tokio::test]
async fn every_call_gets_a_new_random_id() {
    let transport = InMemoryTransport::new();
    let client = lean_emr::Client::new(config(&transport, &RecordingSleep::new()).build());
    for _ in 0..3 {
        support::valid_builder().send_with(&client).await.expect("200 {}");
    }
    let ids: Vec<String> = transport
        .requests()
        .iter()
        .map(|r| header(r, "amz-sdk-invocation-id").to_owned())
        .collect();
    assert!(ids.iter().all(|id| is_uuid_v4(id)), "{ids:?}");
    assert!(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2], "{ids:?}");
}

#[test]
fn generators_make_distinct_version_4_uuids() {
    let seeded = SeededInvocationIds::new(7);
    let generators: [&dyn InvocationIdGenerator; 2] = [&RandomInvocationIds, &seeded];
    for generator in generators {
        let ids: BTreeSet<String> = (0..1000).map(|_| generator.generate().to_string()).collect();
        assert_eq!(ids.len(), 1000, "{generator:?} repeated an id");
        assert!(ids.iter().all(|id| is_uuid_v4(id)), "{ids:?}");
    }
}

#[tokio::test]
async fn ids_come_from_the_configured_generator() {
    let expected = SeededInvocationIds::new(9);
    let transport = InMemoryTransport::new();
    let client = lean_emr::Client::new(
        config(&transport, &RecordingSleep::new())
            .invocation_ids(SeededInvocationIds::new(9))
            .build(),
    );
    support::valid_builder().send_with(&client).await.unwrap();
    support::valid_builder().send_with(&client).await.unwrap();
    let requests = transport.requests();
    for request in &requests {
        assert_eq!(header(request, "amz-sdk-invocation-id"), expected.generate().as_str());
    }
}

#[tokio::test]
async fn max_is_the_configured_number_of_attempts() {
    for (max, sent) in [
        (1, "attempt=1; max=1"),
        (5, "attempt=1; max=5"),
        (0, "attempt=1; max=1"),
    ] {
        let transport = InMemoryTransport::new();
        run(config(&transport, &RecordingSleep::new()).retry_config(attempts(max)))
            .await
            .unwrap();
        assert_eq!(header(&transport.requests()[0], "amz-sdk-request"), sent);
    }
}

#[tokio::test]
async fn both_headers_are_signed() {
    let transport = InMemoryTransport::new();
    run(config(&transport, &RecordingSleep::new())).await.unwrap();
    let authorization = transport.requests()[0].header("authorization").unwrap().to_owned();
    let signed = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .unwrap();
    let signed: Vec<&str> = signed.split(';').collect();
    assert!(signed.contains(&"amz-sdk-invocation-id"), "{authorization}");
    assert!(signed.contains(&"amz-sdk-request"), "{authorization}");
}
