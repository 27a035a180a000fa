//! Error responses: code from the header, `code` or `__type` (namespace and URI stripped), unknown codes,
//! malformed bodies, a proxy's HTML page; what `Display` shows; and that no response can cause a panic.

mod support;

use lean_aws_runtime::env::Env;
use lean_aws_runtime::error::http_status;
use lean_aws_runtime::profile::Fs;
use lean_aws_runtime::transport::HttpResponse;
use lean_aws_runtime::{Config, Credentials, ProvideErrorMetadata, SdkError};
use lean_emr::operation::update_studio_session_mapping::UpdateStudioSessionMappingError as E;
use lean_emr::types::IdentityType;
use support::*;

async fn call(response: HttpResponse) -> SdkError<E> {
    let (client, _) = in_memory_client(vec![response]);
    valid_builder().send_with(&client).await.expect_err("an error response")
}

async fn service_error(response: HttpResponse) -> E {
    match call(response).await {
        SdkError::ServiceError(e) => e.into_err(),
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[tokio::test]
async fn code_from_type_field() {
    let body = r#"{"__type":"InvalidRequestException","ErrorCode":"E1","Message":"Studio es-1 does not exist"}"#;
    let e = service_error(HttpResponse::new(400, body).with_header("x-amzn-RequestId", "rid-1")).await;
    let E::InvalidRequestException(inner) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(inner.error_code.as_deref(), Some("E1"));
    assert_eq!(inner.message.as_deref(), Some("Studio es-1 does not exist"));
    assert_eq!(
        e.to_string(),
        "InvalidRequestException: Studio es-1 does not exist (HTTP 400, request id: rid-1)"
    );
}

#[tokio::test]
async fn code_from_header_wins() {
    let body = r#"{"__type":"SomethingElse","message":"boom"}"#;
    let e = service_error(
        HttpResponse::new(500, body).with_header("X-Amzn-ErrorType", "InternalServerError:http://internal.amazon.com/"),
    )
    .await;
    assert!(matches!(e, E::InternalServerError(_)), "{e:?}");
    assert_eq!(
        e.to_string(),
        "InternalServerError: boom (HTTP 500, request id: <none>)"
    );
}

#[tokio::test]
async fn code_with_namespace_and_uri() {
    let body = r#"{"__type":"com.amazon.elasticmapreduce#InvalidRequestException:http://internal.amazon.com/coral/com.amazon.coral.validate/","message":"m"}"#;
    let e = service_error(HttpResponse::new(400, body)).await;
    assert!(matches!(e, E::InvalidRequestException(_)), "{e:?}");
    assert_eq!(e.code(), Some("InvalidRequestException"));
    let e = service_error(HttpResponse::new(
        400,
        r#"{"code":"aws.emr#InvalidRequestException","message":"m"}"#,
    ))
    .await;
    assert!(matches!(e, E::InvalidRequestException(_)), "{e:?}");
}

#[tokio::test]
async fn unknown_code_is_unhandled_with_everything_kept() {
    let e = service_error(
        HttpResponse::new(400, r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#)
            .with_header("x-amzn-RequestId", "rid-9"),
    )
    .await;
    let E::Unhandled(u) = &e else { panic!("{e:?}") };
    assert_eq!(u.meta.code(), Some("ThrottlingException"));
    assert_eq!(http_status(&u.meta), Some(400));
    assert_eq!(
        e.to_string(),
        "ThrottlingException: Rate exceeded (HTTP 400, request id: rid-9)"
    );
}

#[tokio::test]
async fn malformed_json_error_body() {
    let e = service_error(HttpResponse::new(400, "{not json").with_header("x-amzn-RequestId", "rid-2")).await;
    assert!(matches!(e, E::Unhandled(_)), "{e:?}");
    assert_eq!(e.to_string(), "<no error code> (HTTP 400, request id: rid-2)");
}

#[tokio::test]
async fn html_502_from_a_proxy() {
    let html = "<html><head><title>502 Bad Gateway</title></head><body>bad gateway</body></html>";
    let err = call(HttpResponse::new(502, html).with_header("content-type", "text/html")).await;
    assert_eq!(err.to_string(), "<no error code> (HTTP 502, request id: <none>)");
    let E::Unhandled(u) = err.into_service_error() else {
        panic!()
    };
    assert_eq!(http_status(&u.meta), Some(502));
}

#[tokio::test]
async fn malformed_success_body_is_a_response_error() {
    let err = call(HttpResponse::new(200, "[1,2]").with_header("x-amzn-RequestId", "rid-3")).await;
    assert_eq!(
        err.to_string(),
        "malformed response: expected a JSON object (HTTP 200, request id: rid-3)"
    );
    let err = call(HttpResponse::new(200, "{\"a\":")).await;
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
}

#[tokio::test]
async fn modelled_error_with_wrongly_typed_member_falls_back_to_unhandled() {
    let e = service_error(HttpResponse::new(
        400,
        r#"{"__type":"InvalidRequestException","ErrorCode":7}"#,
    ))
    .await;
    assert!(matches!(e, E::Unhandled(_)), "{e:?}");
    assert_eq!(e.code(), Some("InvalidRequestException"));
}

/// Every message of an error chain, outermost first, as an error-chain printer walks it.
fn chain(err: &dyn std::error::Error) -> Vec<String> {
    std::iter::successors(Some(err), |e| e.source())
        .map(ToString::to_string)
        .collect()
}

#[tokio::test]
async fn errors_print_their_cause_once() {
    let service = call(
        HttpResponse::new(
            400,
            r#"{"__type":"InvalidRequestException","message":"no such studio"}"#,
        )
        .with_header("x-amzn-RequestId", "rid-7"),
    )
    .await;
    let (client, _) = in_memory_client(vec![]);
    let invalid = client
        .update_studio_session_mapping()
        .studio_id("x".repeat(300))
        .identity_name("alice")
        .identity_type(IdentityType::User)
        .session_policy_arn("arn:aws:iam::123456789012:policy/P")
        .send()
        .await
        .unwrap_err();
    let no_region = lean_emr::Client::new(
        Config::builder()
            .env(Env::from_pairs::<&str, &str>([]))
            .fs(Fs::from_files::<&str, &str>([]))
            .credentials(Credentials::new(ACCESS_KEY, SECRET_KEY, None))
            .build(),
    );
    let no_region = valid_builder().send_with(&no_region).await.unwrap_err();
    assert!(matches!(no_region, SdkError::Config(_)), "{no_region:?}");
    for err in [service, invalid, no_region] {
        let messages = chain(&err);
        assert_eq!(messages[0], err.to_string());
        let shown = messages.join(": ");
        for message in &messages {
            assert_eq!(
                shown.matches(message.as_str()).count(),
                1,
                "{message:?} twice in {shown:?}"
            );
        }
    }
}

/// A small deterministic generator (SplitMix64): the same cases on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[tokio::test]
async fn no_response_panics() {
    let fragments: [&[u8]; 14] = [
        b"{",
        b"}",
        b"\"__type\":",
        b"\"code\":",
        b"\"message\":",
        b"\"InvalidRequestException\"",
        b"null",
        b"[",
        b"]",
        b"#",
        b":",
        b"\xff\xfe",
        b"1e999",
        b",",
    ];
    let mut rng = Rng(42);
    let mut cases = 0;
    for _ in 0..2000 {
        let mut body = Vec::new();
        for _ in 0..(rng.next() % 12) {
            body.extend_from_slice(fragments[(rng.next() % fragments.len() as u64) as usize]);
        }
        let status = [200, 204, 299, 300, 400, 404, 429, 500, 502, 503][(rng.next() % 10) as usize];
        let mut response = HttpResponse::new(status, body);
        if rng.next().is_multiple_of(3) {
            response = response.with_header("x-amzn-errortype", "a#b:c#d:");
        }
        let (client, _) = in_memory_client(vec![response]);
        // Either outcome is fine; the point is a typed result for every input.
        let _ = valid_builder().send_with(&client).await;
        cases += 1;
    }
    assert_eq!(cases, 2000);
}

#[tokio::test]
async fn raw_response_is_kept_for_service_errors_and_unreadable_answers_only() {
    let body = r#"{"__type":"InvalidRequestException","Message":"no such studio"}"#;
    let error = call(HttpResponse::new(400, body).with_header("x-amzn-RequestId", "rid-9")).await;
    let raw = error.raw_response().expect("a service error keeps its response");
    assert_eq!(raw.status, 400);
    assert_eq!(raw.header("x-amzn-requestid"), Some("rid-9"));
    assert_eq!(raw.body, body.as_bytes());
    // Kept beside the operation's error, and never shown whole in Debug.
    let debug = format!("{error:?}");
    assert!(
        debug.contains("RawResponse { status: 400, headers: 1, body_bytes: "),
        "{debug}"
    );
    assert!(!debug.contains("no such studio\"}"), "{debug}");

    let unreadable = call(HttpResponse::new(200, "{not json")).await;
    assert!(matches!(unreadable, SdkError::ResponseError(_)), "{unreadable:?}");
    assert_eq!(
        unreadable.raw_response().map(|r| r.body.as_slice()),
        Some(&b"{not json"[..])
    );

    // Nothing received: nothing to show.
    let (client, _) = in_memory_client(vec![]);
    let invalid = lean_emr::operation::update_studio_session_mapping::UpdateStudioSessionMappingInput::builder()
        .send_with(&client)
        .await
        .expect_err("missing required members");
    assert!(matches!(invalid, SdkError::Validation(_)), "{invalid:?}");
    assert!(invalid.raw_response().is_none());
}
