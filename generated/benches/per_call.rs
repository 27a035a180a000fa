//! Per-call cost in memory (build, validate, serialize, sign, parse the response) against a bare aws-sigv4
//! signature of the same request, measured in the same run. Target: per call ≤ 1.5 × the baseline.
//!
//! `cargo bench -p lean-emr --bench per_call`

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_runtime_api::client::identity::Identity;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use lean_aws_runtime::operation::parse_response;
use lean_aws_runtime::protocol::json::{build_request, JsonWriter, RequestParts};
use lean_aws_runtime::transport::HttpResponse;
use lean_aws_runtime::validate::Validate;
use lean_aws_runtime::{Credentials, Operation};
use lean_emr::operation::update_studio_session_mapping::{UpdateStudioSessionMapping, UpdateStudioSessionMappingInput};
use lean_emr::service::SERVICE;
use lean_emr::types::IdentityType;
use std::time::{Duration, UNIX_EPOCH};

fn per_call(c: &mut Criterion) {
    let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
    let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
    let parts = RequestParts {
        endpoint_url: "https://elasticmapreduce.us-east-1.amazonaws.com",
        json_version: SERVICE.json_version,
        target_prefix: SERVICE.target_prefix,
        operation: "UpdateStudioSessionMapping",
        user_agent: SERVICE.user_agent,
        content_encoding: None,
    };
    let response = HttpResponse::new(200, "{}").with_header("x-amzn-RequestId", "rid");

    let call = || {
        let input = UpdateStudioSessionMappingInput::builder()
            .studio_id("es-0123456789ABCDEFGHIJKLMNO")
            .identity_name("alice@example.com")
            .identity_type(IdentityType::User)
            .session_policy_arn("arn:aws:iam::123456789012:policy/EMRStudioSessionPolicy")
            .build()
            .unwrap();
        input.validate().unwrap();
        let mut body = JsonWriter::new();
        UpdateStudioSessionMapping::serialize(&input, &mut body);
        let mut request = build_request(&parts, body.finish());
        lean_aws_runtime::sign::sign(&mut request, &creds, "us-east-1", "elasticmapreduce", time).unwrap();
        parse_response::<UpdateStudioSessionMapping>(&response).unwrap()
    };

    // The baseline signs exactly the request our client builds, with aws-sigv4 alone.
    let input = UpdateStudioSessionMappingInput::builder()
        .studio_id("es-0123456789ABCDEFGHIJKLMNO")
        .identity_name("alice@example.com")
        .identity_type(IdentityType::User)
        .session_policy_arn("arn:aws:iam::123456789012:policy/EMRStudioSessionPolicy")
        .build()
        .unwrap();
    let mut body = JsonWriter::new();
    UpdateStudioSessionMapping::serialize(&input, &mut body);
    let request = build_request(&parts, body.finish());
    let baseline = || {
        let identity: Identity = aws_credential_types::Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "bench",
        )
        .into();
        let params = SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("elasticmapreduce")
            .time(time)
            .settings(SigningSettings::default())
            .build()
            .unwrap()
            .into();
        let signable = SignableRequest::new(
            &request.method,
            request.url.as_str(),
            request.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            SignableBody::Bytes(&request.body),
        )
        .unwrap();
        sign(signable, &params).unwrap().into_parts()
    };

    let mut group = c.benchmark_group("update_studio_session_mapping");
    group.bench_function("baseline_bare_sigv4_sign", |b| b.iter(|| black_box(baseline())));
    group.bench_function("per_call_in_memory", |b| b.iter(|| black_box(call())));
    group.bench_function("part_validate", |b| b.iter(|| black_box(&input).validate()));
    group.bench_function("part_parse_response", |b| {
        b.iter(|| parse_response::<UpdateStudioSessionMapping>(black_box(&response)).is_ok())
    });
    group.bench_function("part_sign_ours", |b| {
        b.iter(|| {
            let mut r = request.clone();
            lean_aws_runtime::sign::sign(&mut r, &creds, "us-east-1", "elasticmapreduce", time).unwrap();
            r
        })
    });
    group.finish();
}

criterion_group!(benches, per_call);
criterion_main!(benches);
