//! The command-line examples end to end, against a loopback server: what they send, what they print, and their
//! exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};
use test_support::{reply, Recorded, Server, TempDir};

/// The example binary `name`, which cargo builds before the tests.
fn example_named(name: &str) -> PathBuf {
    // target/<profile>/deps/examples-<hash> → target/<profile>/examples/<name>
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("examples").join(name)
}

fn example() -> PathBuf {
    example_named("update_studio_session_mapping")
}

/// A loopback server that answers with `replies` (status, body) in turn, each with request id `rid-example`.
async fn serve(replies: &[(u16, &'static str)]) -> Server {
    Server::start(
        replies
            .iter()
            .map(|(status, body)| reply(*status, *body).header("x-amzn-RequestId", "rid-example")),
    )
    .await
}

/// Runs example `name` with `args` against `url`, with keys and region from the environment and nothing else.
async fn run_example(name: &str, args: &[&str], url: &str) -> Output {
    let mut command = Command::new(example_named(name));
    command
        .args(args)
        .args(["--endpoint-url", url])
        .env_clear()
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_REGION", "eu-west-1");
    output(command).await
}

/// Runs example `name` with `args` and nothing else: bad usage must stop it before it sends anything.
async fn run_offline(name: &str, args: &[&str]) -> Output {
    let mut command = Command::new(example_named(name));
    command.args(args).env_clear();
    output(command).await
}

/// The request bodies `server` received, in order.
async fn bodies(server: Server) -> Vec<String> {
    server.finish().await.iter().map(Recorded::body_text).collect()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
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

#[tokio::test]
async fn list_clusters_follows_every_page_and_prints_id_and_state() {
    let server = serve(&[
        (
            200,
            r#"{"Clusters": [{"Id": "j-1", "Status": {"State": "RUNNING"}}], "Marker": "m-1"}"#,
        ),
        (200, r#"{"Clusters": [], "Marker": "m-2"}"#),
        (
            200,
            r#"{"Clusters": [{"Id": "j-2", "Status": {"State": "WAITING"}}, {"Id": "j-3"}]}"#,
        ),
    ])
    .await;
    let args = [
        "--cluster-states",
        "RUNNING",
        "WAITING",
        "--created-after",
        "2024-05-01",
    ];
    let out = run_example("list_clusters", &args, &server.url()).await;
    let requests = server.finish().await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "j-1\tRUNNING\nj-2\tWAITING\nj-3\t-\n");
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[0].header("x-amz-target"),
        Some("ElasticMapReduce.ListClusters")
    );
    let bodies: Vec<String> = requests.iter().map(Recorded::body_text).collect();
    assert!(
        bodies[0].contains(r#""ClusterStates":["RUNNING","WAITING"]"#),
        "{}",
        bodies[0]
    );
    assert!(
        bodies[0].contains(r#""CreatedAfter":1714521600"#),
        "midnight UTC: {}",
        bodies[0]
    );
    assert!(!bodies[0].contains("Marker"), "{}", bodies[0]);
    assert!(bodies[1].contains(r#""Marker":"m-1""#), "{}", bodies[1]);
    assert!(bodies[2].contains(r#""Marker":"m-2""#), "{}", bodies[2]);
}

#[tokio::test]
async fn list_clusters_prints_what_it_got_then_the_error_and_exits_one() {
    let server = serve(&[
        (
            200,
            r#"{"Clusters": [{"Id": "j-1", "Status": {"State": "RUNNING"}}], "Marker": "m-1"}"#,
        ),
        (
            400,
            r#"{"__type": "InvalidRequestException", "Message": "Marker m-1 is not valid"}"#,
        ),
    ])
    .await;
    let out = run_example(
        "list_clusters",
        &["--active", "--created-after=1714521600"],
        &server.url(),
    )
    .await;
    let bodies = bodies(server).await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "j-1\tRUNNING\n");
    assert_eq!(
        stderr(&out),
        "error: InvalidRequestException: Marker m-1 is not valid (HTTP 400, request id: rid-example)\n"
    );
    let active = r#""ClusterStates":["STARTING","BOOTSTRAPPING","RUNNING","WAITING","TERMINATING"]"#;
    assert!(bodies[0].contains(active), "{}", bodies[0]);
}

#[tokio::test]
async fn list_clusters_refuses_an_unknown_state_or_time_without_sending() {
    for args in [
        &["--cluster-states", "RUNING"][..],
        &["--created-after", "yesterday"][..],
        &["--bogus"][..],
    ] {
        let out = run_offline("list_clusters", args).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains("usage: list_clusters"), "{}", stderr(&out));
    }
    let out = run_offline("list_clusters", &["--cluster-states", "RUNING"]).await;
    let expected = "\"RUNING\" is not one of STARTING, BOOTSTRAPPING, RUNNING";
    assert!(stderr(&out).contains(expected), "{}", stderr(&out));
}

#[tokio::test]
async fn describe_cluster_prints_id_name_and_state() {
    let server = serve(&[(
        200,
        r#"{"Cluster": {"Id": "j-1", "Name": "nightly", "Status": {"State": "WAITING"}, "Tags": []}}"#,
    )])
    .await;
    let out = run_example("describe_cluster", &["--cluster-id", "j-1"], &server.url()).await;
    let requests = server.finish().await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "id: j-1\nname: nightly\nstate: WAITING\n");
    assert_eq!(
        requests[0].header("x-amz-target"),
        Some("ElasticMapReduce.DescribeCluster")
    );
    assert_eq!(requests[0].body_text(), r#"{"ClusterId":"j-1"}"#);
}

#[tokio::test]
async fn describe_cluster_prints_the_error_and_exits_one() {
    let server = serve(&[(
        400,
        r#"{"__type": "InvalidRequestException", "Message": "Cluster id 'j-404' is not valid."}"#,
    )])
    .await;
    let out = run_example("describe_cluster", &["--cluster-id", "j-404"], &server.url()).await;
    server.finish().await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: InvalidRequestException: Cluster id 'j-404' is not valid. (HTTP 400, request id: rid-example)\n"
    );
    let out = run_offline("describe_cluster", &[]).await;
    assert_eq!(out.status.code(), Some(2), "no --cluster-id");
    assert!(
        stderr(&out).contains("missing required member ClusterId"),
        "{}",
        stderr(&out)
    );
}

const STARTING: &str = r#"{"Cluster": {"Id": "j-1", "Status": {"State": "STARTING"}}}"#;

#[tokio::test]
async fn wait_cluster_running_polls_until_running_and_exits_zero() {
    let server = serve(&[
        (200, STARTING),
        (200, STARTING),
        (200, r#"{"Cluster": {"Id": "j-1", "Status": {"State": "RUNNING"}}}"#),
    ])
    .await;
    let args = ["--cluster-id", "j-1", "--delay", "0.001"];
    let out = run_example("wait_cluster_running", &args, &server.url()).await;
    let requests = server.finish().await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(requests.len(), 3);
    assert!(requests
        .iter()
        .all(|r| r.header("x-amz-target") == Some("ElasticMapReduce.DescribeCluster")));
}

#[tokio::test]
async fn wait_cluster_running_exits_255_on_a_failure_state() {
    let server = serve(&[
        (200, STARTING),
        (
            200,
            r#"{"Cluster": {"Id": "j-1", "Status": {"State": "TERMINATED_WITH_ERRORS"}}}"#,
        ),
    ])
    .await;
    let out = run_example(
        "wait_cluster_running",
        &["--cluster-id", "j-1", "--delay", "0"],
        &server.url(),
    )
    .await;
    server.finish().await;
    assert_eq!(out.status.code(), Some(255));
    assert_eq!(
        stderr(&out),
        "error: waiter ClusterRunning reached a failure state: Cluster.Status.State == \"TERMINATED_WITH_ERRORS\"\n"
    );
}

#[tokio::test]
async fn wait_cluster_running_exits_one_when_attempts_run_out_or_the_call_fails() {
    let server = serve(&[(200, STARTING), (200, STARTING)]).await;
    let args = ["--cluster-id", "j-1", "--delay", "0", "--max-attempts", "2"];
    let out = run_example("wait_cluster_running", &args, &server.url()).await;
    assert_eq!(server.finish().await.len(), 2);
    assert_eq!(out.status.code(), Some(1));
    let gave_up = "error: waiter ClusterRunning gave up after 2 polls over ";
    assert!(stderr(&out).starts_with(gave_up), "{}", stderr(&out));

    let server = serve(&[(
        400,
        r#"{"__type": "InvalidRequestException", "Message": "no such cluster"}"#,
    )])
    .await;
    let out = run_example("wait_cluster_running", &["--cluster-id", "j-1"], &server.url()).await;
    server.finish().await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("InvalidRequestException: no such cluster"),
        "{}",
        stderr(&out)
    );

    for bad in [
        &["--cluster-id", "j-1", "--delay", "soon"][..],
        &["--cluster-id", "j-1", "--max-attempts", "0"][..],
    ] {
        let out = run_offline("wait_cluster_running", bad).await;
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
}
