//! The command line: `lean-emr-emulator --port 0 --credentials AKID:SECRET --identities FILE` started as a
//! process, its printed URL used by the client, then the process killed.

use lean_emr::operation::create_studio_session_mapping::CreateStudioSessionMappingInput;
use lean_emr::operation::list_studio_session_mappings::ListStudioSessionMappingsInput;
use lean_emr::types::IdentityType;
use lean_emr::{AwsCredentials, Client, Config};
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

mod support;

const BIN: &str = env!("CARGO_BIN_EXE_lean-emr-emulator");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_prints_its_url_serves_and_never_logs_the_secret() {
    let dir = std::env::temp_dir().join(format!("lean-emr-emulator-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let identities = dir.join("identities.json");
    std::fs::write(&identities, serde_json::to_string(&support::identities()).unwrap()).unwrap();

    let mut child = Command::new(BIN)
        .args(["--port", "0", "--credentials"])
        .arg(format!("{}:{}", support::ACCESS_KEY, support::SECRET))
        .arg("--identities")
        .arg(&identities)
        .args(["--page-size", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut url = String::new();
    stdout.read_line(&mut url).unwrap();
    let url = url.trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"), "{url:?}");

    let client = Client::new(
        Config::builder()
            .endpoint_url(&url)
            .region("us-east-1")
            .credentials(AwsCredentials::new(support::ACCESS_KEY, support::SECRET, None))
            .build(),
    );
    let studio = support::create_studio(&client, "from the command line").await;
    for name in ["alice@example.com", "bob@example.com"] {
        CreateStudioSessionMappingInput::builder()
            .studio_id(&studio)
            .identity_type(IdentityType::User)
            .identity_name(name)
            .session_policy_arn(support::POLICY)
            .send_with(&client)
            .await
            .unwrap();
    }
    let page = ListStudioSessionMappingsInput::builder()
        .send_with(&client)
        .await
        .unwrap();
    assert_eq!(page.session_mappings.unwrap().len(), 1, "--page-size 1");
    assert!(page.marker.is_some());

    child.kill().unwrap();
    child.wait().unwrap();
    let mut log = String::new();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    assert!(log.contains("identities: 3 users and 1 groups"), "{log}");
    assert!(
        log.contains("ElasticMapReduce.CreateStudioSessionMapping -> 200"),
        "{log}"
    );
    assert!(!log.contains(support::SECRET), "the log shows the secret: {log}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_usage_exits_2_without_echoing_the_secret() {
    for args in [
        vec!["--port", "0"],
        vec!["--credentials", "AKID:hunter2-value"],
        vec!["--port", "0", "--credentials", "no-colon-hunter2-value"],
        vec!["--port", "99999", "--credentials", "AKID:hunter2-value"],
        vec!["--port", "0", "--credentials", "AKID:hunter2-value", "--page-size", "0"],
        vec!["--frobnicate"],
        vec![
            "--port",
            "0",
            "--credentials",
            "AKID:hunter2-value",
            "--clock",
            "sideways",
        ],
        vec![
            "--port",
            "0",
            "--credentials",
            "AKID:hunter2-value",
            "--durations",
            "sleeping=1",
        ],
        vec!["--port", "0", "--credentials", "AKID:hunter2-value", "--throttle", "2"],
        vec![
            "--port",
            "0",
            "--credentials",
            "AKID:hunter2-value",
            "--delay-ms",
            "soon",
        ],
    ] {
        let output = Command::new(BIN).args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("hunter2"), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty());
    }
}

/// An unsigned control request to the process at `url`: its status.
fn control(url: &str, endpoint: &str, body: &str) -> u16 {
    use std::io::Write;
    let addr = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST /_emulator/{endpoint} HTTP/1.1\r\nhost: {addr}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap()
}

#[test]
fn the_clock_and_faults_come_from_flags_and_the_manual_clock_advances() {
    for (clock, advance_status) in [("manual", 200), ("real", 400)] {
        let mut child = Command::new(BIN)
            .args([
                "--port",
                "0",
                "--credentials",
                "AKID:hunter2-value",
                "--quiet",
                "--clock",
                clock,
            ])
            .args([
                "--durations",
                "all=60,step-running=5",
                "--fail-step",
                "broken",
                "--throttle",
                "0.5",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut url = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut url)
            .unwrap();
        let status = control(url.trim(), "advance", r#"{"seconds": 30}"#);
        assert_eq!(status, advance_status, "{clock}");
        assert_eq!(control(url.trim(), "faults", r#"{"throttle": 0.25}"#), 200);
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
