//! The command-line example end to end, against a loopback server: exit codes and what it prints.

use std::path::PathBuf;
use std::process::{Command, Output};
use test_support::{reply, Recorded, Server, TempDir};

fn example() -> PathBuf {
    // target/<profile>/deps/example-<hash> → target/<profile>/examples/update_studio_session_mapping
    let exe = std::env::current_exe().unwrap();
    exe.parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join("update_studio_session_mapping")
}

/// Serves one HTTP response, with request id `rid-example`, on a loopback port.
async fn serve_once(status: u16, body: &'static str) -> Server {
    Server::start([reply(status, body).header("x-amzn-RequestId", "rid-example")]).await
}

/// Runs the example to the end without blocking the server's runtime.
async fn output(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().expect("the example runs"))
        .await
        .expect("the blocking task")
}

async fn run(url: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "--studio-id",
        "es-1",
        "--identity-type",
        "GROUP",
        "--session-policy-arn",
        "arn:aws:iam::1:policy/P",
    ];
    args.extend_from_slice(extra);
    let mut command = Command::new(example());
    command
        .args(&args)
        .args(["--endpoint-url", url])
        .env_clear()
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_REGION", "eu-west-1");
    output(command).await
}

/// The one request `server` received, as text: request line, headers and body.
async fn only_request(server: Server) -> String {
    let recorded: Vec<Recorded> = server.finish().await;
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    let r = &recorded[0];
    let headers: String = r.headers.iter().map(|(n, v)| format!("{n}: {v}\n")).collect();
    format!("{} {}\n{headers}\n{}", r.method, r.path, r.body_text())
}

#[tokio::test]
async fn success_prints_the_request_id_and_exits_zero() {
    let server = serve_once(200, "{}").await;
    let out = run(&server.url(), &["--identity-name", "analysts"]).await;
    let request = only_request(server).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "request id: rid-example\n");
    assert!(
        request.contains("ElasticMapReduce.UpdateStudioSessionMapping"),
        "{request}"
    );
    assert!(request.contains("\"IdentityName\":\"analysts\""), "{request}");
    assert!(
        request.contains("/eu-west-1/elasticmapreduce/aws4_request"),
        "region from AWS_REGION: {request}"
    );
}

#[tokio::test]
async fn service_error_prints_code_message_request_id_and_exits_nonzero() {
    let server = serve_once(
        400,
        r#"{"__type":"InvalidRequestException","Message":"Studio es-1 not found"}"#,
    )
    .await;
    let out = run(&server.url(), &["--identity-id", "u-1"]).await;
    only_request(server).await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: InvalidRequestException: Studio es-1 not found (HTTP 400, request id: rid-example)\n"
    );
}

/// The example run with only `env` (no keys in the environment) against `url`.
async fn run_with_env(url: &str, env: &[(&str, &std::ffi::OsStr)]) -> Output {
    let mut command = Command::new(example());
    command
        .args(["--studio-id", "es-1", "--identity-name", "n", "--identity-type", "USER"])
        .args(["--session-policy-arn", "arn:aws:iam::1:policy/P", "--endpoint-url", url])
        .env_clear()
        .env("AWS_EC2_METADATA_DISABLED", "true");
    for (name, value) in env {
        command.env(name, value);
    }
    output(command).await
}

#[tokio::test]
async fn credentials_and_region_come_from_the_shared_files_without_code_changes() {
    let dir = TempDir::new();
    let config = dir.path().join("config");
    let credentials = dir.path().join("credentials");
    std::fs::write(&config, "[profile dev]\nregion = ap-southeast-2\n").unwrap();
    std::fs::write(
        &credentials,
        "[dev]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n",
    )
    .unwrap();
    let server = serve_once(200, "{}").await;
    let out = run_with_env(
        &server.url(),
        &[
            ("AWS_CONFIG_FILE", config.as_os_str()),
            ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_os_str()),
            ("AWS_PROFILE", "dev".as_ref()),
        ],
    )
    .await;
    let request = only_request(server).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(request.contains("Credential=AKIDPROFILE/"), "{request}");
    assert!(
        request.contains("/ap-southeast-2/elasticmapreduce/aws4_request"),
        "{request}"
    );
}

#[tokio::test]
async fn sso_credentials_from_a_profile_sign_the_call() {
    let home = TempDir::new();
    let cache = home.path().join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    // What `aws sso login` leaves behind for the session `my-sso`: sha1("my-sso").json. The expiry is far ahead, so
    // the real clock the example runs on finds the token fresh.
    std::fs::write(
        cache.join("0ad374308c5a4e22f723adf10145eafad7c4031c.json"),
        r#"{"startUrl": "https://d-abc123.awsapps.com/start", "region": "eu-west-1",
            "accessToken": "cached-sso-access-token", "expiresAt": "2099-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    let config = home.path().join("config");
    std::fs::write(
        &config,
        "[profile dev]\nsso_session = my-sso\nsso_account_id = 123456789012\nsso_role_name = Admin\n\
         region = eu-west-1\n[sso-session my-sso]\nsso_start_url = https://d-abc123.awsapps.com/start\n\
         sso_region = eu-west-1\n",
    )
    .unwrap();
    let server = Server::route(2, |request| {
        if request.path.starts_with("/federation/credentials") {
            reply(
                200,
                r#"{"roleCredentials": {"accessKeyId": "ASIAFROMSSO", "secretAccessKey": "sso-role-secret",
                    "sessionToken": "sso-role-session-token", "expiration": 4070908800000}}"#,
            )
        } else {
            reply(200, "{}").header("x-amzn-RequestId", "rid-sso")
        }
    })
    .await;
    let out = run_with_env(
        &server.url(),
        &[
            ("HOME", home.path().as_os_str()),
            ("AWS_CONFIG_FILE", config.as_os_str()),
            ("AWS_PROFILE", "dev".as_ref()),
            ("AWS_ENDPOINT_URL_SSO", server.url().as_ref()),
        ],
    )
    .await;
    let recorded = server.finish().await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "request id: rid-sso\n");
    assert_eq!(recorded.len(), 2, "{recorded:?}");
    let portal = &recorded[0];
    assert_eq!(
        portal.path,
        "/federation/credentials?role_name=Admin&account_id=123456789012"
    );
    assert_eq!(portal.header("x-amz-sso_bearer_token"), Some("cached-sso-access-token"));
    let emr = &recorded[1];
    assert!(
        emr.header("authorization").unwrap().contains("Credential=ASIAFROMSSO/"),
        "{emr:?}"
    );
    assert!(emr
        .header("authorization")
        .unwrap()
        .contains("/eu-west-1/elasticmapreduce/aws4_request"));
    assert_eq!(emr.header("x-amz-security-token"), Some("sso-role-session-token"));
}

#[tokio::test]
async fn bad_usage_exits_two_without_sending() {
    let mut command = Command::new(example());
    command.args(["--studio-id", "es-1"]).env_clear();
    let out = output(command).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("missing required members IdentityType, SessionPolicyArn"),
        "{err}"
    );
}
