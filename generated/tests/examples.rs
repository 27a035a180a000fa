//! The command-line examples end to end, against a loopback server: what they send, what they print, and their
//! exit codes.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::thread;
use std::time::Duration;

/// The example binary `name`, which cargo builds before the tests.
fn example(name: &str) -> PathBuf {
    // target/<profile>/deps/examples-<hash> → target/<profile>/examples/<name>
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("examples").join(name)
}

/// Serves `responses` on 127.0.0.1, one connection each, in turn, and returns the requests it received (it stops
/// after the last response, or when no client comes within five seconds).
fn serve(responses: Vec<(u16, &'static str)>) -> (String, thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(false).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = thread::spawn(move || {
        let mut requests = Vec::new();
        for (status, body) in responses {
            let Some(mut socket) = accept_within(&listener, Duration::from_secs(5)) else {
                break;
            };
            requests.push(read_request(&mut socket));
            let response = format!(
                "HTTP/1.1 {status} X\r\nx-amzn-RequestId: rid-example\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            );
            socket.write_all(response.as_bytes()).unwrap();
        }
        requests
    });
    (url, handle)
}

fn accept_within(listener: &TcpListener, limit: Duration) -> Option<std::net::TcpStream> {
    listener.set_nonblocking(true).unwrap();
    let start = std::time::Instant::now();
    loop {
        match listener.accept() {
            Ok((socket, _)) => {
                socket.set_nonblocking(false).unwrap();
                return Some(socket);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock && start.elapsed() < limit => {
                thread::sleep(Duration::from_millis(5));
            }
            Err(_) => return None,
        }
    }
}

fn read_request(socket: &mut std::net::TcpStream) -> String {
    socket.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = vec![0u8; 65536];
    let mut len = 0;
    loop {
        let n = socket.read(&mut buf[len..]).unwrap_or(0);
        len += n;
        let text = String::from_utf8_lossy(&buf[..len]).to_string();
        if let Some(head_end) = text.find("\r\n\r\n") {
            let want = text[..head_end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap())
                })
                .unwrap_or(0);
            if len >= head_end + 4 + want || n == 0 {
                break;
            }
        } else if n == 0 {
            break;
        }
    }
    String::from_utf8_lossy(&buf[..len]).into_owned()
}

/// Runs example `name` with `args` against `url`, with keys and region from the environment and nothing else.
fn run_example(name: &str, args: &[&str], url: &str) -> std::process::Output {
    Command::new(example(name))
        .args(args)
        .args(["--endpoint-url", url])
        .env_clear()
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_REGION", "eu-west-1")
        .output()
        .unwrap()
}

fn run(url: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "--studio-id",
        "es-1",
        "--identity-type",
        "GROUP",
        "--session-policy-arn",
        "arn:aws:iam::1:policy/P",
    ];
    args.extend_from_slice(extra);
    run_example("update_studio_session_mapping", &args, url)
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn success_prints_the_request_id_and_exits_zero() {
    let (url, server) = serve(vec![(200, "{}")]);
    let out = run(&url, &["--identity-name", "analysts"]);
    let request = server.join().unwrap().remove(0);
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

#[test]
fn service_error_prints_code_message_request_id_and_exits_nonzero() {
    let (url, server) = serve(vec![(
        400,
        r#"{"__type":"InvalidRequestException","Message":"Studio es-1 not found"}"#,
    )]);
    let out = run(&url, &["--identity-id", "u-1"]);
    server.join().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: InvalidRequestException: Studio es-1 not found (HTTP 400, request id: rid-example)\n"
    );
}

#[test]
fn credentials_and_region_come_from_the_shared_files_without_code_changes() {
    let dir = std::env::temp_dir().join(format!("lean-emr-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config");
    let credentials = dir.join("credentials");
    std::fs::write(&config, "[profile dev]\nregion = ap-southeast-2\n").unwrap();
    std::fs::write(
        &credentials,
        "[dev]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n",
    )
    .unwrap();
    let (url, server) = serve(vec![(200, "{}")]);
    let out = Command::new(example("update_studio_session_mapping"))
        .args(["--studio-id", "es-1", "--identity-name", "n", "--identity-type", "USER"])
        .args([
            "--session-policy-arn",
            "arn:aws:iam::1:policy/P",
            "--endpoint-url",
            &url,
        ])
        .env_clear()
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        .env("AWS_PROFILE", "dev")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    let request = server.join().unwrap().remove(0);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(request.contains("Credential=AKIDPROFILE/"), "{request}");
    assert!(
        request.contains("/ap-southeast-2/elasticmapreduce/aws4_request"),
        "{request}"
    );
}

#[test]
fn bad_usage_exits_two_without_sending() {
    let out = Command::new(example("update_studio_session_mapping"))
        .args(["--studio-id", "es-1"])
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("missing required members IdentityType, SessionPolicyArn"),
        "{err}"
    );
}

#[test]
fn list_clusters_follows_every_page_and_prints_id_and_state() {
    let (url, server) = serve(vec![
        (
            200,
            r#"{"Clusters": [{"Id": "j-1", "Status": {"State": "RUNNING"}}], "Marker": "m-1"}"#,
        ),
        (200, r#"{"Clusters": [], "Marker": "m-2"}"#),
        (
            200,
            r#"{"Clusters": [{"Id": "j-2", "Status": {"State": "WAITING"}}, {"Id": "j-3"}]}"#,
        ),
    ]);
    let out = run_example(
        "list_clusters",
        &[
            "--cluster-states",
            "RUNNING",
            "WAITING",
            "--created-after",
            "2024-05-01",
        ],
        &url,
    );
    let requests = server.join().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "j-1\tRUNNING\nj-2\tWAITING\nj-3\t-\n");
    assert_eq!(requests.len(), 3);
    assert!(requests[0].contains("ElasticMapReduce.ListClusters"), "{}", requests[0]);
    assert!(
        requests[0].contains(r#""ClusterStates":["RUNNING","WAITING"]"#),
        "{}",
        requests[0]
    );
    assert!(
        requests[0].contains(r#""CreatedAfter":1714521600"#),
        "midnight UTC: {}",
        requests[0]
    );
    assert!(!requests[0].contains("Marker"), "{}", requests[0]);
    assert!(requests[1].contains(r#""Marker":"m-1""#), "{}", requests[1]);
    assert!(requests[2].contains(r#""Marker":"m-2""#), "{}", requests[2]);
}

#[test]
fn list_clusters_prints_what_it_got_then_the_error_and_exits_one() {
    let (url, server) = serve(vec![
        (
            200,
            r#"{"Clusters": [{"Id": "j-1", "Status": {"State": "RUNNING"}}], "Marker": "m-1"}"#,
        ),
        (
            400,
            r#"{"__type": "InvalidRequestException", "Message": "Marker m-1 is not valid"}"#,
        ),
    ]);
    let out = run_example("list_clusters", &["--active", "--created-after=1714521600"], &url);
    let requests = server.join().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "j-1\tRUNNING\n");
    assert_eq!(
        stderr(&out),
        "error: InvalidRequestException: Marker m-1 is not valid (HTTP 400, request id: rid-example)\n"
    );
    assert!(requests[0].contains(r#""ClusterStates":["STARTING","BOOTSTRAPPING","RUNNING","WAITING","TERMINATING"]"#));
}

#[test]
fn list_clusters_refuses_an_unknown_state_or_time_without_sending() {
    for args in [
        &["--cluster-states", "RUNING"][..],
        &["--created-after", "yesterday"][..],
        &["--bogus"][..],
    ] {
        let out = Command::new(example("list_clusters"))
            .args(args)
            .env_clear()
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains("usage: list_clusters"), "{}", stderr(&out));
    }
    let out = Command::new(example("list_clusters"))
        .args(["--cluster-states", "RUNING"])
        .env_clear()
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("\"RUNING\" is not one of STARTING, BOOTSTRAPPING, RUNNING"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn describe_cluster_prints_id_name_and_state() {
    let (url, server) = serve(vec![(
        200,
        r#"{"Cluster": {"Id": "j-1", "Name": "nightly", "Status": {"State": "WAITING"}, "Tags": []}}"#,
    )]);
    let out = run_example("describe_cluster", &["--cluster-id", "j-1"], &url);
    let request = server.join().unwrap().remove(0);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "id: j-1\nname: nightly\nstate: WAITING\n");
    assert!(request.contains("ElasticMapReduce.DescribeCluster"), "{request}");
    assert!(request.contains(r#"{"ClusterId":"j-1"}"#), "{request}");
}

#[test]
fn describe_cluster_prints_the_error_and_exits_one() {
    let (url, server) = serve(vec![(
        400,
        r#"{"__type": "InvalidRequestException", "Message": "Cluster id 'j-404' is not valid."}"#,
    )]);
    let out = run_example("describe_cluster", &["--cluster-id", "j-404"], &url);
    server.join().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: InvalidRequestException: Cluster id 'j-404' is not valid. (HTTP 400, request id: rid-example)\n"
    );
    let out = Command::new(example("describe_cluster")).env_clear().output().unwrap();
    assert_eq!(out.status.code(), Some(2), "no --cluster-id");
    assert!(
        stderr(&out).contains("missing required member ClusterId"),
        "{}",
        stderr(&out)
    );
}

const STARTING: &str = r#"{"Cluster": {"Id": "j-1", "Status": {"State": "STARTING"}}}"#;

#[test]
fn wait_cluster_running_polls_until_running_and_exits_zero() {
    let (url, server) = serve(vec![
        (200, STARTING),
        (200, STARTING),
        (200, r#"{"Cluster": {"Id": "j-1", "Status": {"State": "RUNNING"}}}"#),
    ]);
    let out = run_example(
        "wait_cluster_running",
        &["--cluster-id", "j-1", "--delay", "0.001"],
        &url,
    );
    let requests = server.join().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.contains("ElasticMapReduce.DescribeCluster")));
}

#[test]
fn wait_cluster_running_exits_255_on_a_failure_state() {
    let (url, server) = serve(vec![
        (200, STARTING),
        (
            200,
            r#"{"Cluster": {"Id": "j-1", "Status": {"State": "TERMINATED_WITH_ERRORS"}}}"#,
        ),
    ]);
    let out = run_example("wait_cluster_running", &["--cluster-id", "j-1", "--delay", "0"], &url);
    server.join().unwrap();
    assert_eq!(out.status.code(), Some(255));
    assert_eq!(
        stderr(&out),
        "error: waiter ClusterRunning reached a failure state: Cluster.Status.State == \"TERMINATED_WITH_ERRORS\"\n"
    );
}

#[test]
fn wait_cluster_running_exits_one_when_attempts_run_out_or_the_call_fails() {
    let (url, server) = serve(vec![(200, STARTING), (200, STARTING)]);
    let out = run_example(
        "wait_cluster_running",
        &["--cluster-id", "j-1", "--delay", "0", "--max-attempts", "2"],
        &url,
    );
    assert_eq!(server.join().unwrap().len(), 2);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error: waiter ClusterRunning gave up after 2 polls over "),
        "{}",
        stderr(&out)
    );

    let (url, server) = serve(vec![(
        400,
        r#"{"__type": "InvalidRequestException", "Message": "no such cluster"}"#,
    )]);
    let out = run_example("wait_cluster_running", &["--cluster-id", "j-1"], &url);
    server.join().unwrap();
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
        let out = Command::new(example("wait_cluster_running"))
            .args(bad)
            .env_clear()
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
}
