//! SSO credentials through the EMR client: an `sso-session` profile whose cached token is about to expire is
//! refreshed, exchanged at the portal, and the EMR request is signed with the role credentials, with no token,
//! refresh token, client secret or secret key in any log line. The services are one loopback stand-in.

mod support;

use lean_aws_runtime::clock::FixedClock;
use lean_aws_runtime::env::Env;
use lean_aws_runtime::Config;
use lean_emr::operation::RequestId;
use serde_json::json;
use support::capture::Capture;
use test_support::{reply, Server, TempDir};

/// 2026-01-01T00:00:00Z.
const NOW: u64 = 1_767_225_600;
const ACCESS_TOKEN: &str = "aoa-old-access-token-0123456789";
const NEW_ACCESS_TOKEN: &str = "aoa-new-access-token-0123456789";
const REFRESH_TOKEN: &str = "aor-refresh-token-0123456789";
const CLIENT_SECRET: &str = "client-secret-0123456789";
const ROLE_SECRET: &str = "role-secret-key-0123456789";
const ROLE_SESSION_TOKEN: &str = "role-session-token-0123456789";

#[test]
fn an_sso_profile_signs_emr_calls_and_logs_no_secret() {
    let home = TempDir::new();
    let cache = home.path().join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    let token = json!({
        "startUrl": "https://d-abc123.awsapps.com/start", "region": "eu-west-1",
        "accessToken": ACCESS_TOKEN, "expiresAt": "2026-01-01T00:01:00Z",
        "clientId": "client-1", "clientSecret": CLIENT_SECRET,
        "registrationExpiresAt": "2026-03-01T00:00:00Z", "refreshToken": REFRESH_TOKEN,
    });
    std::fs::write(
        cache.join("0ad374308c5a4e22f723adf10145eafad7c4031c.json"),
        token.to_string(),
    )
    .unwrap();
    let config_file = home.path().join("config");
    std::fs::write(
        &config_file,
        "[profile dev]\nsso_session = my-sso\nsso_account_id = 123456789012\nsso_role_name = Admin\n\
         region = eu-west-1\n[sso-session my-sso]\nsso_start_url = https://d-abc123.awsapps.com/start\n\
         sso_region = eu-west-1\n",
    )
    .unwrap();

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let capture = Capture::default();
    let requests = tracing::subscriber::with_default(capture.clone(), || {
        runtime.block_on(async {
            let server = Server::route(3, |request| match request.path.as_str() {
                "/token" => reply(
                    200,
                    json!({"accessToken": NEW_ACCESS_TOKEN, "expiresIn": 3600, "tokenType": "Bearer"}).to_string(),
                ),
                "/" => reply(200, "{}").header("x-amzn-RequestId", "req-sso"),
                _ => reply(
                    200,
                    json!({"roleCredentials": {"accessKeyId": "ASIASSOEMR", "secretAccessKey": ROLE_SECRET,
                        "sessionToken": ROLE_SESSION_TOKEN, "expiration": (NOW + 3600) * 1000}})
                    .to_string(),
                ),
            })
            .await;
            let home = home.path_str();
            let config_file = config_file.display().to_string();
            let env = Env::from_pairs([
                ("HOME", home.as_str()),
                ("AWS_CONFIG_FILE", config_file.as_str()),
                ("AWS_PROFILE", "dev"),
                ("AWS_EC2_METADATA_DISABLED", "true"),
                ("AWS_ENDPOINT_URL_SSO", &server.url()),
                ("AWS_ENDPOINT_URL_SSO_OIDC", &server.url()),
                ("AWS_ENDPOINT_URL_EMR", &server.url()),
            ]);
            let client = lean_emr::Client::new(
                Config::builder()
                    .env(env)
                    .clock(FixedClock::from_epoch_secs(NOW))
                    .build(),
            );
            let output = support::valid_builder()
                .send_with(&client)
                .await
                .expect("signed with SSO credentials");
            assert_eq!(output.request_id(), Some("req-sso"));
            server.finish().await
        })
    });
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/token",
            "/federation/credentials?role_name=Admin&account_id=123456789012",
            "/"
        ]
    );
    let emr = &requests[2];
    let authorization = emr.header("authorization").expect("signed");
    assert!(
        authorization
            .starts_with("AWS4-HMAC-SHA256 Credential=ASIASSOEMR/20260101/eu-west-1/elasticmapreduce/aws4_request"),
        "{authorization}"
    );
    assert_eq!(emr.header("x-amz-security-token"), Some(ROLE_SESSION_TOKEN));

    let logs = capture.text();
    assert!(logs.contains("refreshing the SSO token"), "{logs}");
    for secret in [
        ACCESS_TOKEN,
        NEW_ACCESS_TOKEN,
        REFRESH_TOKEN,
        CLIENT_SECRET,
        ROLE_SECRET,
        ROLE_SESSION_TOKEN,
    ] {
        assert!(!logs.contains(secret), "{secret} logged:\n{logs}");
    }
}
