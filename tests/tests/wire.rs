//! What goes on the wire: a loopback server records the request; the signature is recomputed independently.

mod support;

use hmac::{Hmac, Mac};
use lean_emr::operation::RequestId;
use lean_emr::Client;
use sha2::{Digest, Sha256};
use support::*;
use test_support::{reply, Recorded, Server};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// SigV4 written out from the specification, independent of aws-sigv4: returns the expected Authorization.
fn expected_authorization(req: &Recorded, secret: &str, region: &str, service: &str) -> String {
    let auth = req.header("authorization").expect("signed");
    let signed: Vec<&str> = auth
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .split(';')
        .collect();
    let canonical_headers: String = signed
        .iter()
        .map(|h| {
            format!(
                "{h}:{}\n",
                req.header(h)
                    .unwrap_or_else(|| panic!("signed header {h} was not sent"))
                    .trim()
            )
        })
        .collect();
    let canonical_request = format!(
        "{}\n{}\n\n{}\n{}\n{}",
        req.method,
        req.path,
        canonical_headers,
        signed.join(";"),
        hex(&Sha256::digest(&req.body))
    );
    let date_time = req.header("x-amz-date").expect("x-amz-date");
    let date = &date_time[..8];
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{date_time}\n{scope}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date);
    let k_region = hmac(&k_date, region);
    let k_service = hmac(&k_region, service);
    let k_signing = hmac(&k_service, "aws4_request");
    let signature = hex(&hmac(&k_signing, &string_to_sign));
    format!(
        "AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/{scope}, SignedHeaders={}, Signature={signature}",
        signed.join(";")
    )
}

async fn call_loopback(session_token: Option<&str>) -> Recorded {
    let server = Server::start([reply(200, "{}").header("x-amzn-RequestId", "req-123")]).await;
    let config = offline_config(session_token).endpoint_url(server.url()).build();
    let output = valid_builder().send_with(&Client::new(config)).await.expect("success");
    assert_eq!(output.request_id(), Some("req-123"));
    let mut recorded = server.finish().await;
    assert_eq!(recorded.len(), 1);
    recorded.remove(0)
}

#[tokio::test]
async fn request_matches_the_awsjson_contract_and_botocore_body() {
    let req = call_loopback(None).await;
    assert_eq!(req.method, "POST");
    assert_eq!(req.path, "/");
    assert_eq!(req.header("content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(
        req.header("x-amz-target"),
        Some("ElasticMapReduce.UpdateStudioSessionMapping")
    );
    assert!(
        req.header("user-agent").unwrap().starts_with("lean-emr/"),
        "{:?}",
        req.header("user-agent")
    );
    let body: serde_json::Value = serde_json::from_slice(&req.body).expect("JSON body");
    assert_eq!(
        body,
        serde_json::json!({
            "StudioId": "es-0123456789ABCDEFGHIJKLMNO",
            "IdentityName": "alice@example.com",
            "IdentityType": "USER",
            "SessionPolicyArn": "arn:aws:iam::123456789012:policy/EMRStudioSessionPolicy"
        })
    );
    assert_eq!(req.header("x-amz-date"), Some("20150830T123600Z"));
    assert!(req.header("x-amz-security-token").is_none());
}

#[tokio::test]
async fn signature_recomputes_without_session_token() {
    let req = call_loopback(None).await;
    let auth = req.header("authorization").unwrap();
    assert!(
        auth.contains("SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-type;host;x-amz-date;x-amz-target,"),
        "{auth}"
    );
    assert_eq!(
        auth,
        expected_authorization(&req, SECRET_KEY, "us-east-1", "elasticmapreduce")
    );
}

#[tokio::test]
async fn signature_recomputes_with_session_token() {
    let req = call_loopback(Some(SESSION_TOKEN)).await;
    assert_eq!(req.header("x-amz-security-token"), Some(SESSION_TOKEN));
    let auth = req.header("authorization").unwrap();
    assert!(
        auth.contains(
            "SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-type;host;x-amz-date;x-amz-security-token;\
             x-amz-target,"
        ),
        "{auth}"
    );
    assert_eq!(
        auth,
        expected_authorization(&req, SECRET_KEY, "us-east-1", "elasticmapreduce")
    );
}

#[tokio::test]
async fn the_config_environment_names_the_proxy_and_the_signature_survives_it() {
    use lean_aws_runtime::env::Env;
    let proxy = Server::start([reply(200, "{}").header("x-amzn-RequestId", "via-proxy")]).await;
    let config = offline_config(None)
        .endpoint_url("http://emr.example.test")
        .env(Env::from_pairs([
            ("HTTP_PROXY", format!("http://user:pass@{}", proxy.addr())),
            ("NO_PROXY", "localhost".to_owned()),
        ]))
        .build();
    let output = valid_builder()
        .send_with(&Client::new(config))
        .await
        .expect("answered by the proxy");
    assert_eq!(output.request_id(), Some("via-proxy"));
    let req = proxy.finish().await.remove(0);
    assert_eq!(req.path, "http://emr.example.test/", "absolute form");
    assert_eq!(req.header("host"), Some("emr.example.test"));
    assert_eq!(req.header("proxy-authorization"), Some("Basic dXNlcjpwYXNz"));
    // The signature covers the destination's host, not the proxy's, and no proxy header.
    let auth = req.header("authorization").unwrap();
    assert!(!auth.contains("proxy-authorization"), "{auth}");
    let origin_form = Recorded {
        path: "/".to_owned(),
        ..req.clone()
    };
    assert_eq!(
        auth,
        expected_authorization(&origin_form, SECRET_KEY, "us-east-1", "elasticmapreduce")
    );
}

/// The `Host` a request is signed with is the `Host` it is sent with, however the endpoint URL is written:
/// explicit default ports, case, user info, IPv6 literals. Through the real transport: directly to the loopback
/// server, and, for hosts that cannot be reached here, through it as an HTTP proxy (which receives the `Host` the
/// destination would). The signature is recomputed from what arrived.
#[tokio::test]
async fn the_signed_host_is_the_host_sent_for_every_form_of_endpoint_url() {
    use lean_aws_runtime::env::Env;
    let server = Server::start((0..2).map(|_| reply(200, "{}"))).await;
    let port = server.addr().port();
    let direct = [
        (format!("http://127.0.0.1:{port}"), format!("127.0.0.1:{port}")),
        (format!("http://user@127.0.0.1:{port}/"), format!("127.0.0.1:{port}")),
    ];
    let proxied = [
        ("http://127.0.0.1:80", "127.0.0.1"),
        ("http://127.0.0.1:080/", "127.0.0.1"),
        ("http://EMR.Example.Test:80/", "emr.example.test"),
        ("http://emr.example.test:8080", "emr.example.test:8080"),
        ("http://emr.example.test:443", "emr.example.test:443"),
        ("http://user:pass@emr.example.test", "emr.example.test"),
        ("http://[::1]:80", "[::1]"),
        ("http://[::1]:8080/", "[::1]:8080"),
    ];
    let proxy = Server::start(proxied.iter().map(|_| reply(200, "{}"))).await;
    let call = |url: &str, env: Env| {
        let config = offline_config(None).endpoint_url(url).env(env).build();
        async move {
            valid_builder()
                .send_with(&Client::new(config))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
    };
    for (url, _) in &direct {
        call(url, Env::from_pairs::<&str, &str>([])).await;
    }
    for (url, _) in proxied {
        call(url, Env::from_pairs([("HTTP_PROXY", proxy.url())])).await;
    }
    let expected: Vec<(&str, &str)> = direct
        .iter()
        .map(|(url, host)| (url.as_str(), host.as_str()))
        .chain(proxied)
        .collect();
    let mut received = server.finish().await;
    received.extend(proxy.finish().await);
    assert_eq!(received.len(), expected.len());
    for ((url, host), req) in expected.into_iter().zip(received) {
        assert_eq!(req.header("host"), Some(host), "{url}");
        let origin_form = Recorded {
            path: "/".to_owned(),
            ..req.clone()
        };
        assert_eq!(
            req.header("authorization").unwrap(),
            expected_authorization(&origin_form, SECRET_KEY, "us-east-1", "elasticmapreduce"),
            "{url}: signed for another host than the one sent"
        );
    }
}

#[tokio::test]
async fn default_endpoint_comes_from_the_rule_set() {
    let (client, transport) = in_memory_client(vec![]);
    valid_builder()
        .send_with(&client)
        .await
        .expect("default response is 200 {}");
    let sent = transport.requests();
    assert_eq!(sent[0].url, "https://elasticmapreduce.us-east-1.amazonaws.com/");
    assert_eq!(sent[0].header("host"), Some("elasticmapreduce.us-east-1.amazonaws.com"));
}

#[tokio::test]
async fn empty_body_and_empty_object_both_mean_success() {
    use lean_aws_runtime::transport::HttpResponse;
    let (client, _) = in_memory_client(vec![
        HttpResponse::new(200, "").with_header("x-amzn-RequestId", "a"),
        HttpResponse::new(200, "{}").with_header("x-amzn-RequestId", "b"),
    ]);
    let first = valid_builder().send_with(&client).await.unwrap();
    let second = valid_builder().send_with(&client).await.unwrap();
    assert_eq!((first.request_id(), second.request_id()), (Some("a"), Some("b")));
}
