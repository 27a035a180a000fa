//! How the emulator treats requests on the wire: SigV4 rejections (each leaving the state as it was), strict
//! decoding and validation in the service's words, malformed input, unknown operations, request ids.

mod support;

use lean_aws_runtime::clock::FixedClock;
use lean_aws_runtime::Credentials;
use lean_emr::operation::describe_studio::DescribeStudioInput;
use std::time::{Duration, SystemTime};
use support::{call, send_raw, signed, to_bytes, ACCESS_KEY, SECRET};

const CREATE_MAPPING: &str = r#"{"StudioId": "STUDIO", "IdentityType": "USER", "IdentityName": "bob@example.com",
    "SessionPolicyArn": "arn:aws:iam::123456789012:policy/p"}"#;

/// An emulator whose clock reads a fixed time, with one studio; and that studio's id.
async fn fixed_time_emulator(now: SystemTime) -> (lean_emr_emulator::Emulator, String) {
    let emulator = lean_emr_emulator::start(support::settings().clock(FixedClock(now))).unwrap();
    let studio = support::create_studio(
        &lean_emr::Client::new(
            test_support::offline_config()
                .endpoint_url(emulator.url())
                .credentials(Credentials::new(ACCESS_KEY, SECRET, None))
                .clock(FixedClock(now))
                .build(),
        ),
        "s",
    )
    .await;
    (emulator, studio)
}

#[tokio::test]
async fn a_bad_signature_an_unknown_key_and_a_stale_date_are_each_rejected_and_nothing_changes() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000);
    let (emulator, studio) = fixed_time_emulator(now).await;
    let before = emulator.state();
    let body = CREATE_MAPPING.replace("STUDIO", &studio);
    let unsigned = support::request(&emulator, "CreateStudioSessionMapping", &body);

    let wrong_secret = signed(
        unsigned.clone(),
        &Credentials::new(ACCESS_KEY, "not-the-secret", None),
        "us-east-1",
        now,
    );
    let answer = send_raw(&emulator, &to_bytes(&wrong_secret)).await.unwrap();
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (403, "InvalidSignatureException")
    );
    assert_eq!(
        answer.message(),
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret \
         Access Key and signing method. Consult the service documentation for details."
    );

    let unknown_key = signed(
        unsigned.clone(),
        &Credentials::new("AKIDSOMEONEELSE", SECRET, None),
        "us-east-1",
        now,
    );
    let answer = send_raw(&emulator, &to_bytes(&unknown_key)).await.unwrap();
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (403, "UnrecognizedClientException")
    );
    assert_eq!(
        answer.message(),
        "The security token included in the request is invalid."
    );

    let stale = signed(
        unsigned.clone(),
        emulator.credentials(),
        "us-east-1",
        now - Duration::from_secs(16 * 60),
    );
    let answer = send_raw(&emulator, &to_bytes(&stale)).await.unwrap();
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (403, "InvalidSignatureException")
    );
    // 1_750_000_000 is 2025-06-15T15:06:40Z.
    assert_eq!(
        answer.message(),
        "Signature expired: 20250615T145040Z is now earlier than 20250615T145140Z (20250615T150640Z - 15 min.)"
    );
    let early = signed(
        unsigned.clone(),
        emulator.credentials(),
        "us-east-1",
        now + Duration::from_secs(16 * 60),
    );
    let answer = send_raw(&emulator, &to_bytes(&early)).await.unwrap();
    assert_eq!(
        answer.message(),
        "Signature not yet current: 20250615T152240Z is still later than 20250615T152140Z (20250615T150640Z + 15 min.)"
    );

    // A signed request altered on the way: another body under the same signature.
    let mut tampered = signed(unsigned.clone(), emulator.credentials(), "us-east-1", now);
    tampered.body = body.replace("bob@example.com", "carol@example.com").into_bytes();
    let answer = send_raw(&emulator, &to_bytes(&tampered)).await.unwrap();
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (403, "InvalidSignatureException")
    );

    // Signed for another region, or with no signature at all.
    let elsewhere = signed(unsigned.clone(), emulator.credentials(), "eu-west-1", now);
    let answer = send_raw(&emulator, &to_bytes(&elsewhere)).await.unwrap();
    assert_eq!(
        answer.message(),
        "Credential should be scoped to a valid region, not 'eu-west-1'."
    );
    let answer = send_raw(&emulator, &to_bytes(&unsigned)).await.unwrap();
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (403, "MissingAuthenticationTokenException")
    );

    assert_eq!(emulator.state(), before, "no rejected request changed anything");
    // Within 15 minutes the same request goes through.
    let in_time = signed(
        unsigned,
        emulator.credentials(),
        "us-east-1",
        now - Duration::from_secs(14 * 60),
    );
    let answer = send_raw(&emulator, &to_bytes(&in_time)).await.unwrap();
    assert_eq!(answer.status, 200, "{:?}", answer.json());
    assert_ne!(emulator.state(), before);
}

#[tokio::test]
async fn constraint_violations_get_validation_exception_in_the_services_words() {
    let emulator = support::start();
    let answer = call(&emulator, "DescribeStudio", "{}").await;
    assert_eq!((answer.status, answer.code().as_str()), (400, "ValidationException"));
    assert_eq!(
        answer.message(),
        "1 validation error detected: Value null at 'studioId' failed to satisfy constraint: Member must not be null"
    );
    let answer = call(&emulator, "DescribeStudio", r#"{"StudioId": null}"#).await;
    assert!(
        answer.message().contains("Value null at 'studioId'"),
        "{}",
        answer.message()
    );

    let long = "x".repeat(257);
    let body = format!(
        r#"{{"StudioId": "{long}", "IdentityType": "ROBOT", "IdentityName": "bob@example.com",
            "SessionPolicyArn": "arn:aws:iam::123456789012:policy/p\u0001"}}"#
    );
    let answer = call(&emulator, "CreateStudioSessionMapping", &body).await;
    assert_eq!(answer.code(), "ValidationException");
    assert_eq!(
        answer.message(),
        format!(
            "3 validation errors detected: Value 'ROBOT' at 'identityType' failed to satisfy constraint: Member must \
             satisfy enum value set: [USER, GROUP]; Value 'arn:aws:iam::123456789012:policy/p\u{1}' at \
             'sessionPolicyArn' failed to satisfy constraint: Member must satisfy regular expression pattern: \
             [\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t]*; Value '{long}' at 'studioId' \
             failed to satisfy constraint: Member must have length less than or equal to 256"
        )
    );
    // Exactly one of IdentityId and IdentityName, as the model's documentation says.
    let both = r#"{"StudioId": "es-1", "IdentityType": "USER", "IdentityName": "a", "IdentityId": "b"}"#;
    let answer = call(&emulator, "GetStudioSessionMapping", both).await;
    assert_eq!(answer.code(), "InvalidRequestException");
    assert_eq!(
        answer.message(),
        "Either IdentityName or IdentityId must be specified, but not both."
    );
    assert_eq!(answer.json()["__type"], "InvalidRequestException");
    assert!(
        answer.json().get("Message").is_some(),
        "modelled errors use the model's member names"
    );
}

#[tokio::test]
async fn malformed_input_gets_a_typed_400_and_every_answer_a_request_id() {
    let emulator = support::start();
    let now = SystemTime::now();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("not JSON", b"{not json".to_vec(), "SerializationException"),
        ("not an object", b"[1, 2]".to_vec(), "SerializationException"),
        ("a wrong type", br#"{"StudioId": 5}"#.to_vec(), "SerializationException"),
        ("empty", Vec::new(), "SerializationException"),
    ];
    for (what, body, code) in cases {
        let mut request = support::request(&emulator, "DescribeStudio", "");
        request.body = body;
        let answer = send_raw(
            &emulator,
            &to_bytes(&signed(request, emulator.credentials(), "us-east-1", now)),
        )
        .await
        .unwrap();
        assert_eq!(
            (answer.status, answer.code().as_str()),
            (400, code),
            "{what}: {:?}",
            answer.json()
        );
        assert!(answer.header("x-amzn-requestid").is_some(), "{what}");
    }
    let answer = call(&emulator, "DescribeStudio", r#"{"StudioId": 5}"#).await;
    assert_eq!(answer.message(), "StudioId: expected a string, got a number");

    // The wrong X-Amz-Target: another service's prefix, an operation EMR does not have, none at all.
    for target in [
        "DynamoDB_20120810.ListTables",
        "ElasticMapReduce.DescribeKafkaCluster",
        "ElasticMapReduce",
        "",
    ] {
        let mut request = support::request(&emulator, "X", "{}");
        request.headers.retain(|(n, _)| n != "x-amz-target");
        if !target.is_empty() {
            request.headers.push(("x-amz-target".into(), target.into()));
        }
        let answer = send_raw(
            &emulator,
            &to_bytes(&signed(request, emulator.credentials(), "us-east-1", now)),
        )
        .await
        .unwrap();
        assert_eq!(
            (answer.status, answer.code().as_str()),
            (400, "UnknownOperationException"),
            "{target}"
        );
    }

    // The wrong content type.
    let mut request = support::request(&emulator, "ListStudios", "{}");
    request.headers.retain(|(n, _)| n != "content-type");
    request.headers.push(("content-type".into(), "application/json".into()));
    let answer = send_raw(
        &emulator,
        &to_bytes(&signed(request, emulator.credentials(), "us-east-1", now)),
    )
    .await
    .unwrap();
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (400, "UnknownOperationException")
    );
    assert!(
        answer.message().contains("application/x-amz-json-1.1"),
        "{}",
        answer.message()
    );

    // A body over 1 MiB, declared or not.
    let big = format!(r#"{{"Marker": "{}"}}"#, "x".repeat(1024 * 1024));
    let answer = call(&emulator, "ListStudios", &big).await;
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (400, "RequestEntityTooLargeException")
    );
    let chunked = format!(
        "POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-amz-json-1.1\r\ntransfer-encoding: chunked\r\n\
         connection: close\r\n\r\n{:x}\r\n{big}\r\n0\r\n\r\n",
        big.len()
    );
    let answer = send_raw(&emulator, chunked.as_bytes()).await.unwrap();
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (400, "RequestEntityTooLargeException")
    );

    // And the emulator still serves.
    let answer = call(&emulator, "ListStudios", "{}").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(answer.json(), serde_json::json!({"Studios": []}));
}

#[tokio::test]
async fn markers_that_the_emulator_did_not_give_are_refused() {
    let emulator = support::start();
    let answer = call(&emulator, "ListStudios", r#"{"Marker": "not a marker"}"#).await;
    assert_eq!(
        (answer.code().as_str(), answer.message().as_str()),
        ("InvalidRequestException", "Marker is invalid.")
    );
}

#[tokio::test]
async fn the_secret_never_shows() {
    let emulator = support::start();
    let settings = format!("{:?}", support::settings());
    let handle = format!("{emulator:?}");
    for shown in [settings, handle] {
        assert!(shown.contains(ACCESS_KEY), "{shown}");
        assert!(!shown.contains(SECRET), "{shown}");
    }
    let client = support::client(&emulator);
    let e = DescribeStudioInput::builder()
        .studio_id("es-1")
        .send_with(&client)
        .await
        .unwrap_err();
    assert!(!format!("{e} {e:?}").contains(SECRET));
}

#[tokio::test]
async fn dropping_the_handle_stops_the_emulator() {
    let emulator = support::start();
    let addr = emulator.addr();
    assert_eq!(support::call(&emulator, "ListStudios", "{}").await.status, 200);
    drop(emulator);
    // The listener closes once the runtime has cancelled the serving task: within a few polls.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while tokio::net::TcpStream::connect(addr).await.is_ok() {
        assert!(std::time::Instant::now() < deadline, "{addr} still accepts connections");
        tokio::task::yield_now().await;
    }
}
