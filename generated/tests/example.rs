//! The command-line example end to end, against a loopback server: exit codes and what it prints.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::thread;
use std::time::Duration;

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

/// Serves one HTTP response on 127.0.0.1 and returns the request it received.
fn serve_once(status: u16, body: &'static str) -> (String, thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
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
        let response = format!(
            "HTTP/1.1 {status} X\r\nx-amzn-RequestId: rid-example\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        socket.write_all(response.as_bytes()).unwrap();
        String::from_utf8_lossy(&buf[..len]).into_owned()
    });
    (url, handle)
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
    Command::new(example())
        .args(&args)
        .args(["--endpoint-url", url])
        .env_clear()
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_REGION", "eu-west-1")
        .output()
        .unwrap()
}

#[test]
fn success_prints_the_request_id_and_exits_zero() {
    let (url, server) = serve_once(200, "{}");
    let out = run(&url, &["--identity-name", "analysts"]);
    let request = server.join().unwrap();
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
    let (url, server) = serve_once(
        400,
        r#"{"__type":"InvalidRequestException","Message":"Studio es-1 not found"}"#,
    );
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
    let (url, server) = serve_once(200, "{}");
    let out = Command::new(example())
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
    let request = server.join().unwrap();
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
    let out = Command::new(example())
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
