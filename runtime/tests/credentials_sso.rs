//! SSO credentials: both profile forms, the token cache the AWS CLI writes, refresh through SSO-OIDC with the
//! file written back, one refresh at a time, the errors that say to sign in again, and what the portal and
//! SSO-OIDC may answer. The portal and SSO-OIDC are loopback stand-ins; the token cache is a temp folder.

mod support;

use lean_aws_runtime::clock::FixedClock;
use lean_aws_runtime::credentials::sso::{cache_file_name, SsoSettings};
use lean_aws_runtime::credentials::{
    Credentials, CredentialsError, DefaultChain, ProvideCredentials, SsoError, SsoProvider,
};
use lean_aws_runtime::env::Env;
use lean_aws_runtime::profile::ProfileSet;
use lean_aws_runtime::transport::{HttpResponse, InMemoryTransport};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};
use support::https_transport;
use test_support::{reply, Recorded, Reply, Server, TempDir};

/// 2026-01-01T00:00:00Z: what every provider's clock reads.
const NOW: u64 = 1_767_225_600;

const ACCESS_TOKEN: &str = "aoa-cached-access-token-0123456789";
const REFRESH_TOKEN: &str = "aor-cached-refresh-token-0123456789";
const CLIENT_SECRET: &str = "client-secret-0123456789";
const NEW_ACCESS_TOKEN: &str = "aoa-refreshed-access-token-9876543210";
const ROLE_SECRET: &str = "role-secret-access-key-0123456789";

const SESSION_CONFIG: &str = "[profile dev]\nsso_session = my-sso\nsso_account_id = 123456789012\n\
    sso_role_name = Admin\n[sso-session my-sso]\nsso_start_url = https://d-abc123.awsapps.com/start\n\
    sso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n";

/// The `sso-session` profile.
const DEV: (&str, &str) = (SESSION_CONFIG, "dev");

const LEGACY_CONFIG: &str = "[profile old]\nsso_start_url = https://d-abc123.awsapps.com/start\n\
    sso_region = us-east-1\nsso_account_id = 210987654321\nsso_role_name = ReadOnly\n";

/// A home folder with an empty `.aws/sso/cache`.
struct Home {
    dir: TempDir,
}

impl Home {
    fn new() -> Home {
        let dir = TempDir::new();
        std::fs::create_dir_all(dir.path().join(".aws/sso/cache")).unwrap();
        Home { dir }
    }

    fn env(&self, extra: &[(&str, &str)]) -> Env {
        let home = self.dir.path_str();
        Env::from_pairs([("HOME", home.as_str())].iter().chain(extra).copied())
    }

    fn cache_file(&self, key: &str) -> PathBuf {
        self.dir.path().join(".aws/sso/cache").join(cache_file_name(key))
    }

    fn write_token(&self, key: &str, token: &Value) {
        std::fs::write(self.cache_file(key), serde_json::to_vec_pretty(token).unwrap()).unwrap();
    }

    fn read_token(&self, key: &str) -> Value {
        serde_json::from_slice(&std::fs::read(self.cache_file(key)).unwrap()).unwrap()
    }

    /// The names of the files in the cache folder.
    fn cache_files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path().join(".aws/sso/cache"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

/// A token file as `aws sso login` writes it, expiring `expires_in` seconds after [`NOW`] (negative: before).
fn token_file(expires_in: i64, refreshable: bool) -> Value {
    let mut token = json!({
        "startUrl": "https://d-abc123.awsapps.com/start",
        "region": "eu-west-1",
        "accessToken": ACCESS_TOKEN,
        "expiresAt": timestamp(expires_in),
        "somethingNewerCliVersionsWrite": {"kept": true},
    });
    if refreshable {
        let fields = token.as_object_mut().unwrap();
        fields.insert("clientId".into(), json!("client-id-1"));
        fields.insert("clientSecret".into(), json!(CLIENT_SECRET));
        fields.insert("registrationExpiresAt".into(), json!(timestamp(90 * 24 * 3600)));
        fields.insert("refreshToken".into(), json!(REFRESH_TOKEN));
    }
    token
}

/// RFC 3339 for `NOW + offset` seconds.
fn timestamp(offset: i64) -> String {
    let secs = NOW as i64 + offset;
    let time = UNIX_EPOCH + Duration::from_secs(secs as u64);
    lean_aws_runtime::DateTime::from(time)
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap()
}

fn settings(config: &str, profile: &str) -> SsoSettings {
    let profiles = ProfileSet::parse(Some(config), None).unwrap();
    SsoSettings::from_profile(&profiles, profile).unwrap().unwrap()
}

/// A provider for `profile` of `config`, with `home`'s cache, both services at `url`, the fixed clock.
fn provider(config: &str, profile: &str, home: &Home, url: &str) -> SsoProvider {
    SsoProvider::new(settings(config, profile), &home.env(&[]))
        .with_portal_endpoint(url)
        .with_oidc_endpoint(url)
        .with_transport(https_transport())
        .with_clock(Arc::new(FixedClock::from_epoch_secs(NOW)))
}

fn role_credentials(key_id: &str) -> Reply {
    let body = json!({"roleCredentials": {
        "accessKeyId": key_id,
        "secretAccessKey": ROLE_SECRET,
        "sessionToken": "role-session-token",
        "expiration": (NOW + 3600) * 1000,
    }});
    reply(200, body.to_string())
}

fn new_token() -> Reply {
    let body = json!({"accessToken": NEW_ACCESS_TOKEN, "expiresIn": 28800, "refreshToken": "aor-new-refresh",
                      "tokenType": "Bearer"});
    reply(200, body.to_string())
}

/// A stand-in for both services: `/token` is SSO-OIDC, anything else the portal.
async fn services(connections: usize, oidc: Reply, portal: Reply) -> Server {
    Server::route(connections, move |request| {
        if request.path == "/token" {
            oidc.clone()
        } else {
            portal.clone()
        }
    })
    .await
}

/// One `provide_credentials` of `profile` against stand-ins answering SSO-OIDC with `oidc` and the portal with
/// `portal` (at most `connections` requests), and the requests they received.
async fn exchange(
    (config, profile): (&str, &str),
    home: &Home,
    connections: usize,
    oidc: Reply,
    portal: Reply,
) -> (Result<Credentials, CredentialsError>, Vec<Recorded>) {
    let server = services(connections, oidc, portal).await;
    let result = provider(config, profile, home, &server.url())
        .provide_credentials()
        .await;
    (result, server.finish().await)
}

fn sso_error(err: CredentialsError) -> SsoError {
    match err {
        CredentialsError::Sso(e) => e,
        other => panic!("expected an SSO error, got {other:?}"),
    }
}

fn is_portal_call(request: &Recorded) -> bool {
    request.method == "GET" && request.path.starts_with("/federation/credentials?")
}

#[tokio::test]
async fn the_session_form_exchanges_the_token_cached_under_the_session_name() {
    let home = Home::new();
    home.write_token("my-sso", &token_file(3600, true));
    assert!(
        home.cache_files()[0].starts_with("0ad374308c5a4e22f723adf10145eafad7c4031c"),
        "sha1(\"my-sso\")"
    );
    let (creds, requests) = exchange(DEV, &home, 1, reply(500, ""), role_credentials("ASIASSO")).await;
    let creds = creds.expect("credentials");
    assert_eq!(creds.access_key_id(), "ASIASSO");
    assert_eq!(creds.secret_access_key(), ROLE_SECRET);
    assert_eq!(creds.session_token(), Some("role-session-token"));
    assert_eq!(creds.expiry(), Some(UNIX_EPOCH + Duration::from_secs(NOW + 3600)));
    assert_eq!(requests.len(), 1);
    let portal = &requests[0];
    assert_eq!(portal.method, "GET");
    assert_eq!(
        portal.path,
        "/federation/credentials?role_name=Admin&account_id=123456789012"
    );
    assert_eq!(portal.header("x-amz-sso_bearer_token"), Some(ACCESS_TOKEN));
    assert_eq!(
        portal.header("authorization"),
        None,
        "the portal call is not SigV4-signed"
    );
    assert_eq!(
        home.read_token("my-sso"),
        token_file(3600, true),
        "a fresh token is not rewritten"
    );
}

#[tokio::test]
async fn the_legacy_form_reads_the_token_cached_under_the_start_url() {
    let home = Home::new();
    home.write_token("https://d-abc123.awsapps.com/start", &token_file(600, false));
    assert_eq!(home.cache_files(), ["40a89917e3175433e361b710a9d43528d7f1890a.json"]);
    let (creds, requests) = exchange(
        (LEGACY_CONFIG, "old"),
        &home,
        1,
        reply(500, ""),
        role_credentials("ASIALEGACY"),
    )
    .await;
    assert_eq!(creds.expect("credentials").access_key_id(), "ASIALEGACY");
    assert_eq!(
        requests[0].path,
        "/federation/credentials?role_name=ReadOnly&account_id=210987654321"
    );
}

#[tokio::test]
async fn a_token_expiring_within_five_minutes_is_refreshed_and_written_back() {
    let home = Home::new();
    home.write_token("my-sso", &token_file(4 * 60, true));
    let (creds, requests) = exchange(DEV, &home, 2, new_token(), role_credentials("ASIAREFRESHED")).await;
    assert_eq!(creds.expect("credentials").access_key_id(), "ASIAREFRESHED");
    assert_eq!(requests.len(), 2);
    let create_token = &requests[0];
    assert_eq!(
        (create_token.method.as_str(), create_token.path.as_str()),
        ("POST", "/token")
    );
    assert_eq!(create_token.header("content-type"), Some("application/json"));
    assert_eq!(create_token.header("authorization"), None);
    let body: Value = serde_json::from_slice(&create_token.body).unwrap();
    assert_eq!(
        body,
        json!({"clientId": "client-id-1", "clientSecret": CLIENT_SECRET, "grantType": "refresh_token",
               "refreshToken": REFRESH_TOKEN})
    );
    assert!(is_portal_call(&requests[1]));
    assert_eq!(requests[1].header("x-amz-sso_bearer_token"), Some(NEW_ACCESS_TOKEN));

    let mut expected = token_file(4 * 60, true);
    let fields = expected.as_object_mut().unwrap();
    fields.insert("accessToken".into(), json!(NEW_ACCESS_TOKEN));
    fields.insert("expiresAt".into(), json!("2026-01-01T08:00:00Z"));
    fields.insert("refreshToken".into(), json!("aor-new-refresh"));
    assert_eq!(home.read_token("my-sso"), expected, "every other field is kept");
    assert_eq!(
        home.cache_files(),
        [cache_file_name("my-sso")],
        "the temporary file was renamed over the old one"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(home.cache_file("my-sso"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner may read the token");
    }
}

#[tokio::test]
async fn a_token_is_never_refreshed_twice_at_the_same_time() {
    let home = Home::new();
    home.write_token("my-sso", &token_file(60, true));
    let server = services(9, new_token(), role_credentials("ASIACONCURRENT")).await;
    // Two providers of the same profile (two clients, say) and several callers each.
    let first = Arc::new(provider(SESSION_CONFIG, "dev", &home, &server.url()));
    let second = Arc::new(provider(SESSION_CONFIG, "dev", &home, &server.url()));
    let calls: Vec<_> = (0..8)
        .map(|i| {
            let provider = if i % 2 == 0 { first.clone() } else { second.clone() };
            tokio::spawn(async move { provider.provide_credentials().await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().access_key_id(), "ASIACONCURRENT");
    }
    let requests = server.finish().await;
    assert_eq!(
        requests.iter().filter(|r| r.path == "/token").count(),
        1,
        "{requests:?}"
    );
    assert_eq!(requests.iter().filter(|r| is_portal_call(r)).count(), 8);
    assert!(requests
        .iter()
        .filter(|r| is_portal_call(r))
        .all(|r| r.header("x-amz-sso_bearer_token") == Some(NEW_ACCESS_TOKEN)));
}

/// The provider's error, with nothing sent anywhere.
async fn error_without_sending(config: &str, profile: &str, home: &Home) -> SsoError {
    let transport = InMemoryTransport::new();
    let err = SsoProvider::new(settings(config, profile), &home.env(&[]))
        .with_transport(Arc::new(transport.clone()))
        .with_clock(Arc::new(FixedClock::from_epoch_secs(NOW)))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(transport.requests().is_empty(), "{:?}", transport.requests());
    sso_error(err)
}

#[tokio::test]
async fn an_expired_token_without_a_refresh_token_needs_a_new_sign_in() {
    let home = Home::new();
    home.write_token("my-sso", &token_file(-60, false));
    let err = error_without_sending(SESSION_CONFIG, "dev", &home).await;
    assert_eq!(
        err.to_string(),
        "SSO credentials for profile \"dev\": the cached SSO token expired at 2025-12-31T23:59:00Z and the cached \
         token has no refresh token; sign in again with `aws sso login --profile dev`"
    );
    assert!(matches!(err, SsoError::LoginRequired { .. }));
    home.write_token("https://d-abc123.awsapps.com/start", &token_file(-1, true));
    let legacy = error_without_sending(LEGACY_CONFIG, "old", &home).await;
    assert!(
        legacy.to_string().contains(
            "(a profile without sso_session cannot refresh it); sign in again with `aws sso login --profile old`"
        ),
        "{legacy}"
    );
}

#[tokio::test]
async fn a_missing_or_unreadable_cache_names_the_file_and_the_fix() {
    let home = Home::new();
    let missing = error_without_sending(SESSION_CONFIG, "dev", &home).await;
    let path = home.cache_file("my-sso");
    assert_eq!(
        missing.to_string(),
        format!(
            "SSO credentials for profile \"dev\": there is no cached SSO token at {}; sign in again with \
             `aws sso login --profile dev`",
            path.display()
        )
    );
    std::fs::write(&path, format!("{{\"accessToken\": \"{ACCESS_TOKEN}\"}}")).unwrap();
    let broken = error_without_sending(SESSION_CONFIG, "dev", &home).await;
    assert!(
        matches!(&broken, SsoError::Cache { path: p, .. } if *p == path),
        "{broken:?}"
    );
    let shown = broken.to_string();
    assert!(
        shown.contains("the file has no `expiresAt`") && !shown.contains(ACCESS_TOKEN),
        "{shown}"
    );
    let no_home = SsoProvider::new(settings(SESSION_CONFIG, "dev"), &Env::from_pairs::<&str, &str>([]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        no_home
            .to_string()
            .contains("no home directory is known (HOME is not set)"),
        "{no_home}"
    );
}

#[tokio::test]
async fn portal_errors_are_typed_and_a_refused_token_needs_a_new_sign_in() {
    let home = Home::new();
    home.write_token("my-sso", &token_file(3600, true));
    let refused = reply(401, r#"{"message":"Session token not found or invalid"}"#)
        .header("x-amzn-ErrorType", "UnauthorizedException");
    let forbidden = reply(
        403,
        format!(r#"{{"__type":"ForbiddenException","message":"No access for {ACCESS_TOKEN}"}}"#),
    )
    .header("x-amzn-RequestId", "req-403");
    for (answer, check) in [
        (refused, "login"),
        (forbidden, "forbidden"),
        (reply(502, "<html>bad gateway</html>"), "gateway"),
    ] {
        let (result, requests) = exchange(DEV, &home, 1, reply(500, ""), answer).await;
        assert_eq!(requests.len(), 1);
        let err = result.unwrap_err();
        let shown = err.to_string();
        assert!(!shown.contains(ACCESS_TOKEN), "the token leaked: {shown}");
        match (sso_error(err), check) {
            (SsoError::LoginRequired { reason, .. }, "login") => assert_eq!(
                reason,
                "the SSO portal refused the cached token (HTTP 401: UnauthorizedException: Session token not \
                 found or invalid)"
            ),
            (
                SsoError::Portal {
                    status, code, reason, ..
                },
                "forbidden",
            ) => {
                assert_eq!((status, code.as_deref()), (Some(403), Some("ForbiddenException")));
                assert_eq!(
                    reason,
                    "HTTP 403: ForbiddenException: No access for ** redacted ** (request id req-403)"
                );
            }
            (SsoError::Portal { status, code, .. }, "gateway") => assert_eq!((status, code), (Some(502), None)),
            (other, check) => panic!("{check}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_failed_refresh_keeps_a_valid_token_and_reports_an_expired_one() {
    let invalid_grant = reply(
        400,
        format!(r#"{{"error":"invalid_grant","error_description":"refresh token {REFRESH_TOKEN} is revoked"}}"#),
    );
    let home = Home::new();
    home.write_token("my-sso", &token_file(120, true));
    let (creds, requests) = exchange(DEV, &home, 2, invalid_grant.clone(), role_credentials("ASIASTILLVALID")).await;
    let creds = creds.expect("the old token still works for two minutes");
    assert_eq!(creds.access_key_id(), "ASIASTILLVALID");
    assert_eq!(requests[1].header("x-amz-sso_bearer_token"), Some(ACCESS_TOKEN));
    assert_eq!(home.read_token("my-sso"), token_file(120, true), "nothing written");

    let home = Home::new();
    home.write_token("my-sso", &token_file(-1, true));
    let (result, requests) = exchange(DEV, &home, 2, invalid_grant, reply(500, "")).await;
    assert_eq!(requests.len(), 1, "the portal is not called without a token");
    let shown = result.unwrap_err().to_string();
    assert!(
        shown.contains(
            "the cached SSO token expired at 2025-12-31T23:59:59Z and refreshing it failed: HTTP 400: \
             invalid_grant: refresh token ** redacted ** is revoked"
        ),
        "{shown}"
    );
    assert!(
        shown.ends_with("sign in again with `aws sso login --profile dev`"),
        "{shown}"
    );
}

#[tokio::test]
async fn hostile_create_token_answers_fail_the_refresh_without_a_panic() {
    let answers = [
        "".to_owned(),
        "[]".to_owned(),
        r#"{"accessToken": 5, "expiresIn": 10}"#.to_owned(),
        r#"{"accessToken": "x"}"#.to_owned(),
        r#"{"accessToken": "x", "expiresIn": -5}"#.to_owned(),
        r#"{"accessToken": "x", "expiresIn": 1e30}"#.to_owned(),
        r#"{"accessToken": "x", "expiresIn": 18446744073709551615}"#.to_owned(),
        r#"{"accessToken": "x", "expiresIn": 10, "refreshToken": 7}"#.to_owned(),
        "\u{0}\u{ff}garbage".to_owned(),
    ];
    for answer in answers {
        let home = Home::new();
        home.write_token("my-sso", &token_file(-1, true));
        let transport = InMemoryTransport::new();
        transport.push_response(HttpResponse::new(200, answer.clone()));
        let err = SsoProvider::new(settings(SESSION_CONFIG, "dev"), &home.env(&[]))
            .with_transport(Arc::new(transport.clone()))
            .with_clock(Arc::new(FixedClock::from_epoch_secs(NOW)))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            matches!(sso_error(err.clone()), SsoError::LoginRequired { ref reason, .. } if reason.contains("refreshing it failed")),
            "{answer:?}: {err}"
        );
        assert_eq!(transport.requests().len(), 1, "{answer:?}: only CreateToken was called");
        assert_eq!(
            home.read_token("my-sso"),
            token_file(-1, true),
            "{answer:?}: nothing written"
        );
    }
}

#[tokio::test]
async fn endpoints_come_from_the_environment_or_the_services_section() {
    let home = Home::new();
    home.write_token("my-sso", &token_file(60, true));
    let oidc = Server::start([new_token()]).await;
    let portal = Server::start([role_credentials("ASIAFROMENV")]).await;
    let env = home.env(&[
        ("AWS_PROFILE", "dev"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_ENDPOINT_URL_SSO", &portal.url()),
        ("AWS_ENDPOINT_URL_SSO_OIDC", &oidc.url()),
    ]);
    let chain = DefaultChain::new(env)
        .profiles(ProfileSet::parse(Some(SESSION_CONFIG), None).unwrap())
        .sso_transport(https_transport())
        .clock(Arc::new(FixedClock::from_epoch_secs(NOW)));
    let creds = chain.build().provide_credentials().await.expect("credentials");
    assert_eq!(creds.access_key_id(), "ASIAFROMENV");
    assert_eq!(oidc.finish().await[0].path, "/token");
    assert!(is_portal_call(&portal.finish().await[0]));

    let home = Home::new();
    home.write_token("my-sso", &token_file(60, true));
    let oidc = Server::start([new_token()]).await;
    let portal = Server::start([role_credentials("ASIAFROMSERVICES")]).await;
    let config = format!(
        "{SESSION_CONFIG}[profile dev]\nservices = local\n[services local]\nsso =\n  endpoint_url = {}\n\
         sso_oidc =\n  endpoint_url = {}\n",
        portal.url(),
        oidc.url()
    );
    let chain = DefaultChain::new(home.env(&[("AWS_PROFILE", "dev"), ("AWS_EC2_METADATA_DISABLED", "true")]))
        .profiles(ProfileSet::parse(Some(&config), None).unwrap())
        .sso_transport(https_transport())
        .clock(Arc::new(FixedClock::from_epoch_secs(NOW)));
    let creds = chain.build().provide_credentials().await.expect("credentials");
    assert_eq!(creds.access_key_id(), "ASIAFROMSERVICES");
    assert_eq!(oidc.finish().await.len(), 1);
    assert_eq!(portal.finish().await.len(), 1);
}

#[tokio::test]
async fn an_sso_profile_can_be_the_source_of_a_role() {
    let home = Home::new();
    home.write_token("my-sso", &token_file(3600, true));
    let portal = Server::start([role_credentials("ASIASSOSOURCE")]).await;
    let sts_xml = "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE</AccessKeyId>\
        <SecretAccessKey>role-secret</SecretAccessKey><SessionToken>role-token</SessionToken>\
        <Expiration>2026-01-01T01:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>";
    let sts = Server::start([reply(200, sts_xml)]).await;
    let config = format!("{SESSION_CONFIG}[profile role]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = dev\n");
    let env = home.env(&[
        ("AWS_PROFILE", "role"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_ENDPOINT_URL_SSO", &portal.url()),
        ("AWS_ENDPOINT_URL_STS", &sts.url()),
        ("AWS_REGION", "eu-west-1"),
    ]);
    let creds = DefaultChain::new(env)
        .profiles(ProfileSet::parse(Some(&config), None).unwrap())
        .sso_transport(https_transport())
        .sts_transport(https_transport())
        .clock(Arc::new(FixedClock::from_epoch_secs(NOW)))
        .build()
        .provide_credentials()
        .await
        .expect("credentials");
    assert_eq!(creds.access_key_id(), "ASIAROLE");
    portal.finish().await;
    let assume_role = &sts.finish().await[0];
    assert!(
        assume_role
            .header("authorization")
            .unwrap()
            .contains("Credential=ASIASSOSOURCE/20260101/eu-west-1/sts/aws4_request"),
        "AssumeRole is signed with the SSO credentials: {assume_role:?}"
    );
}

#[tokio::test]
async fn no_secret_shows_in_debug_or_errors() {
    let home = Home::new();
    home.write_token("my-sso", &token_file(-1, true));
    let echo = reply(
        400,
        format!(
            r#"{{"error":"invalid_client","error_description":"{CLIENT_SECRET} / {REFRESH_TOKEN} / {ACCESS_TOKEN}"}}"#
        ),
    );
    let server = services(1, echo, reply(500, "")).await;
    let provider = provider(SESSION_CONFIG, "dev", &home, &server.url());
    let err = provider.provide_credentials().await.unwrap_err();
    server.finish().await;
    let shown = format!("{err} {err:?} {provider:?} {provider:#?}");
    for secret in [ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
    assert!(shown.contains("** redacted **"), "{shown}");
    let request = lean_aws_runtime::transport::HttpRequest::new(
        "GET",
        "https://portal.sso.eu-west-1.amazonaws.com/federation/credentials",
    )
    .with_header("x-amz-sso_bearer_token", ACCESS_TOKEN);
    assert!(!format!("{request:?}").contains(ACCESS_TOKEN));
}
