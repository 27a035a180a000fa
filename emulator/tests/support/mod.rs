//! Helpers the emulator's tests share: an emulator with a small identity directory, a client for it, and raw
//! signed or unsigned requests for what the client would refuse to send.

#![allow(dead_code)] // Each test file uses some of these.

use lean_aws_runtime::credentials::Credentials;
use lean_aws_runtime::sign::sign;
use lean_aws_runtime::transport::HttpRequest;
use lean_emr::operation::create_studio::builders::CreateStudioInputBuilder;
use lean_emr::operation::create_studio::CreateStudioInput;
use lean_emr::types::AuthMode;
use lean_emr::Client;
use lean_emr_emulator::identities::Identity;
use lean_emr_emulator::ids::SequentialIds;
use lean_emr_emulator::{Emulator, Settings};
use std::time::SystemTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const ACCESS_KEY: &str = "AKIDTEST";
pub const SECRET: &str = "test-secret-4c1d0a7e";
pub const POLICY: &str = "arn:aws:iam::123456789012:policy/EMRStudioSessionPolicy";

/// Alice, Bob and Carol, and the analysts group.
pub fn identities() -> Vec<Identity> {
    vec![
        Identity::user("9067d1a5c1-0000-0000-0000-00000000a11c", "alice@example.com"),
        Identity::user("9067d1a5c1-0000-0000-0000-000000000b0b", "bob@example.com"),
        Identity::user("9067d1a5c1-0000-0000-0000-00000000ca01", "carol@example.com"),
        Identity::group("9067d1a5c1-0000-0000-0000-0000000a1a1b", "analysts"),
    ]
}

/// Settings for tests: known credentials, the identities above, sequential ids, pages of 2.
pub fn settings() -> Settings {
    Settings::default()
        .credentials(ACCESS_KEY, SECRET)
        .identities(identities())
        .ids(SequentialIds::new())
}

pub fn start() -> Emulator {
    lean_emr_emulator::start(settings()).expect("the emulator starts")
}

pub fn client(emulator: &Emulator) -> Client {
    Client::new(emulator.config())
}

pub fn studio_input(name: &str) -> CreateStudioInputBuilder {
    CreateStudioInput::builder()
        .name(name)
        .auth_mode(AuthMode::Sso)
        .vpc_id("vpc-0123456789abcdef0")
        .subnet_ids("subnet-0123456789abcdef0")
        .service_role("arn:aws:iam::123456789012:role/EMRStudioServiceRole")
        .user_role("arn:aws:iam::123456789012:role/EMRStudioUserRole")
        .workspace_security_group_id("sg-0123456789abcdef0")
        .engine_security_group_id("sg-0fedcba9876543210")
        .default_s3_location("s3://studio-bucket/workspaces")
}

pub async fn create_studio(client: &Client, name: &str) -> String {
    let output = studio_input(name)
        .send_with(client)
        .await
        .expect("CreateStudio succeeds");
    output.studio_id.expect("CreateStudio returns the studio id")
}

/// A raw HTTP answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }

    /// `__type` of an error answer.
    pub fn code(&self) -> String {
        self.json()["__type"].as_str().unwrap_or_default().to_owned()
    }

    /// `message` (or `Message`) of an error answer.
    pub fn message(&self) -> String {
        let json = self.json();
        json.get("message")
            .or_else(|| json.get("Message"))
            .and_then(|m| m.as_str())
            .unwrap_or_default()
            .to_owned()
    }
}

/// Sends raw bytes (a whole HTTP/1.1 request, or anything) and reads until the server closes; `None` when it
/// answers nothing.
pub async fn send_raw(emulator: &Emulator, bytes: &[u8]) -> Option<Answer> {
    let mut stream = TcpStream::connect(emulator.addr())
        .await
        .expect("the emulator accepts connections");
    // The server may answer and close before reading everything (a body over the limit): that is its right.
    let _ = stream.write_all(bytes).await;
    let _ = stream.shutdown().await;
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out).await;
    parse_answer(&out)
}

fn parse_answer(raw: &[u8]) -> Option<Answer> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Some(Answer {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    })
}

/// An awsJson request to the emulator: `X-Amz-Target: ElasticMapReduce.<operation>` and `body`.
pub fn request(emulator: &Emulator, operation: &str, body: &str) -> HttpRequest {
    HttpRequest::new("POST", format!("{}/", emulator.url()))
        .with_header("host", emulator.addr().to_string())
        .with_header("content-type", "application/x-amz-json-1.1")
        .with_header("x-amz-target", format!("ElasticMapReduce.{operation}"))
        .with_body(body)
}

/// Signs `request` as the runtime signs (SigV4) at `time` with `credentials`.
pub fn signed(mut request: HttpRequest, credentials: &Credentials, region: &str, time: SystemTime) -> HttpRequest {
    sign(&mut request, credentials, region, "elasticmapreduce", time).expect("the request can be signed");
    request
}

/// The request as HTTP/1.1 bytes, closing the connection after the answer.
pub fn to_bytes(request: &HttpRequest) -> Vec<u8> {
    let path = request
        .url
        .splitn(4, '/')
        .nth(3)
        .map_or("/".to_owned(), |p| format!("/{p}"));
    let mut out = format!("{} {path} HTTP/1.1\r\n", request.method).into_bytes();
    for (name, value) in &request.headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("content-length: {}\r\nconnection: close\r\n\r\n", request.body.len()).as_bytes());
    out.extend_from_slice(&request.body);
    out
}

/// Sends an operation with `body`, signed with the emulator's credentials now.
pub async fn call(emulator: &Emulator, operation: &str, body: &str) -> Answer {
    let request = signed(
        request(emulator, operation, body),
        emulator.credentials(),
        emulator.region(),
        SystemTime::now(),
    );
    send_raw(emulator, &to_bytes(&request))
        .await
        .expect("the emulator answers")
}

/// An emulator whose lifecycles follow a manual clock that starts at 1 700 000 000 s (each state lasts 30 s).
pub fn start_manual() -> Emulator {
    let clock = lean_aws_runtime::clock::ManualClock::from_epoch_secs(1_700_000_000);
    lean_emr_emulator::start(settings().manual_clock(clock)).expect("the emulator starts")
}

/// Calls `operation` with `body` and expects 200: its JSON answer.
pub async fn ok(emulator: &Emulator, operation: &str, body: serde_json::Value) -> serde_json::Value {
    let answer = call(emulator, operation, &body.to_string()).await;
    assert_eq!(answer.status, 200, "{operation}: {:?}", answer.json());
    answer.json()
}

/// Calls `operation` with `body` and expects an error: status, code and message.
pub async fn err(emulator: &Emulator, operation: &str, body: serde_json::Value) -> (u16, String, String) {
    let answer = call(emulator, operation, &body.to_string()).await;
    assert_ne!(answer.status, 200, "{operation} succeeded: {:?}", answer.json());
    (answer.status, answer.code(), answer.message())
}

/// A RunJobFlow body: a MASTER group of one and a CORE group of two m5.xlarge, kept alive, with `steps` (named,
/// `CONTINUE`) and a bootstrap action.
pub fn run_job_flow(name: &str, keep_alive: bool, steps: &[&str]) -> serde_json::Value {
    serde_json::json!({
        "Name": name,
        "ReleaseLabel": "emr-7.5.0",
        "LogUri": "s3://logs/emr/",
        "ServiceRole": "EMR_DefaultRole",
        "JobFlowRole": "EMR_EC2_DefaultRole",
        "BootstrapActions": [{"Name": "setup", "ScriptBootstrapAction": {"Path": "s3://b/setup.sh", "Args": ["-x"]}}],
        "Instances": {
            "InstanceGroups": [
                {"Name": "Primary", "InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1},
                {"Name": "Core", "InstanceRole": "CORE", "InstanceType": "m5.2xlarge", "InstanceCount": 2}
            ],
            "KeepJobFlowAliveWhenNoSteps": keep_alive
        },
        "Steps": steps.iter().map(|name| serde_json::json!({
            "Name": name,
            "ActionOnFailure": "CONTINUE",
            "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["spark-submit", "job.py"]}
        })).collect::<Vec<_>>()
    })
}

/// Runs a job flow and returns its id.
pub async fn cluster(emulator: &Emulator, body: serde_json::Value) -> String {
    ok(emulator, "RunJobFlow", body).await["JobFlowId"]
        .as_str()
        .expect("a job flow id")
        .to_owned()
}
