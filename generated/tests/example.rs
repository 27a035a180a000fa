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
