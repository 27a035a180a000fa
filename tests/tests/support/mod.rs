//! Test helpers shared by the integration tests: a loopback HTTP server that records requests, and fixtures.
#![allow(dead_code)] // Each test file uses its own part of this module.

pub mod resilience;

use lean_aws_runtime::clock::FixedClock;
use lean_aws_runtime::env::Env;
use lean_aws_runtime::profile::Fs;
use lean_aws_runtime::retry::RetryConfig;
use lean_aws_runtime::transport::{HttpResponse, InMemoryTransport};
use lean_aws_runtime::{Config, Credentials};
use lean_emr::operations::UpdateStudioSessionMappingInput;
use lean_emr::types::IdentityType;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// 2015-08-30T12:36:00Z, the SigV4 suite's instant.
pub const EPOCH_SECS: u64 = 1_440_938_160;
pub const ACCESS_KEY: &str = "AKIDEXAMPLE";
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub const SESSION_TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

pub fn valid_input() -> UpdateStudioSessionMappingInput {
    UpdateStudioSessionMappingInput::builder()
        .studio_id("es-0123456789ABCDEFGHIJKLMNO")
        .identity_name("alice@example.com")
        .identity_type(IdentityType::User)
        .session_policy_arn("arn:aws:iam::123456789012:policy/EMRStudioSessionPolicy")
        .build()
        .expect("all required members are set")
}

/// A config that never looks at the machine: fixed clock, empty environment, explicit region and keys, and a
/// single attempt (these tests are about one exchange; retries have their own tests).
pub fn offline_config(session_token: Option<&str>) -> lean_aws_runtime::ConfigBuilder {
    Config::builder()
        .retry_config(RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        })
        .env(Env::from_pairs::<&str, &str>([]))
        .fs(Fs::from_files::<&str, &str>([]))
        .region("us-east-1")
        .credentials(Credentials::new(
            ACCESS_KEY,
            SECRET_KEY,
            session_token.map(str::to_owned),
        ))
        .clock(FixedClock::from_epoch_secs(EPOCH_SECS))
}

/// A client over an in-memory transport that answers with `responses` in turn.
pub fn in_memory_client(responses: Vec<HttpResponse>) -> (lean_emr::Client, InMemoryTransport) {
    let transport = InMemoryTransport::new();
    for r in responses {
        transport.push_response(r);
    }
    let client = lean_emr::Client::new(offline_config(None).transport(transport.clone()).build());
    (client, transport)
}

/// A canned response: status, headers, body.
pub type Canned = (u16, Vec<(&'static str, String)>, String);

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A loopback HTTP/1.1 server on 127.0.0.1 (port chosen by the OS) that answers one request per connection
/// with each of `responses` in turn, records the requests, and stops after the last response (or when no
/// client arrives within five seconds).
pub async fn serve(responses: Vec<Canned>) -> (SocketAddr, JoinHandle<Vec<Recorded>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    let handle = tokio::spawn(async move {
        let mut recorded = Vec::new();
        for (status, headers, body) in responses {
            let Ok(Ok((mut socket, _))) = tokio::time::timeout(Duration::from_secs(5), listener.accept()).await else {
                break;
            };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let head_end = loop {
                if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    break i + 4;
                }
                match socket.read(&mut chunk).await {
                    Ok(0) | Err(_) => break buf.len(),
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            };
            let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
            let mut lines = head.split("\r\n");
            let mut request_line = lines.next().unwrap_or_default().split(' ');
            let method = request_line.next().unwrap_or_default().to_owned();
            let path = request_line.next().unwrap_or_default().to_owned();
            let req_headers: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
                .collect();
            let len: usize = req_headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let mut body_bytes = buf[head_end..].to_vec();
            while body_bytes.len() < len {
                match socket.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => body_bytes.extend_from_slice(&chunk[..n]),
                }
            }
            recorded.push(Recorded {
                method,
                path,
                headers: req_headers,
                body: body_bytes,
            });
            let mut response = format!(
                "HTTP/1.1 {status} X\r\nconnection: close\r\ncontent-length: {}\r\n",
                body.len()
            );
            for (n, v) in headers {
                response.push_str(&format!("{n}: {v}\r\n"));
            }
            response.push_str("\r\n");
            response.push_str(&body);
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
        recorded
    });
    (addr, handle)
}
