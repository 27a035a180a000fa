//! What the resilience tests share: a valid input, a client on an in-memory transport, canned responses, a clock
//! that moves, and loopback servers that stall or misbehave.

use lean_aws_runtime::clock::Clock;
use lean_aws_runtime::env::Env;
use lean_aws_runtime::retry::{FixedJitter, RecordingSleep};
use lean_aws_runtime::transport::{HttpResponse, InMemoryTransport};
use lean_aws_runtime::ConfigBuilder;
use lean_emr::operations::{
    UpdateStudioSessionMappingError, UpdateStudioSessionMappingInput, UpdateStudioSessionMappingOutput,
};
use lean_emr::{AwsCredentials as Credentials, Config, SdkError};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

pub const ACCESS_KEY: &str = "AKIDRESILIENCE00001";
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY99";
pub const SESSION_TOKEN: &str = "FwoGZXIvYXdzSESSIONTOKENxyzzy0123456789";

/// A valid UpdateStudioSessionMapping input.
pub fn input() -> UpdateStudioSessionMappingInput {
    super::valid_input()
}

/// Everything a test client needs but its transport, sleep and retry settings: a region, temporary
/// credentials, a fixed clock, an empty environment and no shared files, and jitter 1 (full backoff).
pub fn base_config() -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(ACCESS_KEY, SECRET_KEY, Some(SESSION_TOKEN.to_owned())))
        .clock(SteppingClock::new(1_700_000_000))
        .env(Env::from_pairs::<&str, &str>([]))
        .fs(lean_aws_runtime::profile::Fs::from_files::<&str, &str>([]))
        .jitter(FixedJitter(1.0))
}

/// [`base_config`] on `transport`, recording waits in `sleep`.
pub fn config(transport: &InMemoryTransport, sleep: &RecordingSleep) -> ConfigBuilder {
    base_config().transport(transport.clone()).sleep(sleep.clone())
}

/// One UpdateStudioSessionMapping call with [`input`] through a `lean_emr::Client` built from `config`.
pub async fn run(
    config: ConfigBuilder,
) -> Result<UpdateStudioSessionMappingOutput, SdkError<UpdateStudioSessionMappingError>> {
    lean_emr::Client::new(config.build())
        .update_studio_session_mapping(input())
        .await
}

/// A success with a request id.
pub fn ok(request_id: &str) -> HttpResponse {
    HttpResponse::new(200, "{}").with_header("x-amzn-RequestId", request_id)
}

/// An awsJson error response with `status` and error `code`.
pub fn error(status: u16, code: &str) -> HttpResponse {
    HttpResponse::new(
        status,
        format!(r#"{{"__type":"com.amazonaws.emr#{code}","message":"no"}}"#),
    )
    .with_header("x-amzn-RequestId", format!("req-{status}"))
}

/// A bare status with an empty body, as a load balancer might send.
pub fn status(status: u16) -> HttpResponse {
    HttpResponse::new(status, "")
}

pub fn ms(ms: u64) -> Duration {
    Duration::from_millis(ms)
}

/// A clock that moves one second forward every time it is read, so that each signature has its own time.
#[derive(Debug)]
pub struct SteppingClock {
    secs: AtomicU64,
}

impl SteppingClock {
    pub fn new(start_secs: u64) -> Self {
        SteppingClock {
            secs: AtomicU64::new(start_secs),
        }
    }
}

impl Clock for SteppingClock {
    fn now(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.secs.fetch_add(1, Ordering::Relaxed))
    }
}

/// A loopback server for one test. It handles at most `connections` connections with `handler`, then waits
/// for the test to end (its [`Server`] dropped) and stops; it never outlives the test's runtime either.
pub struct Server {
    pub addr: SocketAddr,
    _stop: oneshot::Sender<()>,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// What a loopback server does with a connection.
#[derive(Debug, Clone, Copy)]
pub enum Behaviour {
    /// Reads the request, then holds the connection open and never answers.
    NeverAnswer,
    /// Reads the request, then answers 200 with `Content-Length: n` and `n` bytes.
    BodyWithLength(usize),
    /// Reads the request, then answers 200 with a chunked body of `n` bytes and no declared length.
    ChunkedBody(usize),
    /// Reads the request, then writes these bytes and closes the connection.
    Raw(&'static [u8]),
}

pub async fn serve(connections: usize, behaviour: Behaviour) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let work = async {
            let mut held = Vec::new();
            for _ in 0..connections {
                let Ok((mut socket, _)) = listener.accept().await else {
                    break;
                };
                if read_request(&mut socket).await.is_err() {
                    continue;
                }
                match behaviour {
                    Behaviour::NeverAnswer => held.push(socket),
                    Behaviour::Raw(bytes) => {
                        let _ = socket.write_all(bytes).await;
                        let _ = socket.shutdown().await;
                    }
                    Behaviour::BodyWithLength(n) => {
                        let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {n}\r\n\r\n");
                        let _ = socket.write_all(head.as_bytes()).await;
                        let _ = socket.write_all(&vec![b' '; n]).await;
                        let _ = socket.shutdown().await;
                    }
                    Behaviour::ChunkedBody(n) => {
                        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ntransfer-encoding: chunked\r\n\r\n";
                        let _ = socket.write_all(head.as_bytes()).await;
                        let mut left = n;
                        while left > 0 {
                            let size = left.min(1000);
                            let chunk = format!("{size:x}\r\n{}\r\n", " ".repeat(size));
                            if socket.write_all(chunk.as_bytes()).await.is_err() {
                                break;
                            }
                            left -= size;
                        }
                        let _ = socket.write_all(b"0\r\n\r\n").await;
                        let _ = socket.shutdown().await;
                    }
                }
            }
            // Hold what must stay open until the test is over.
            std::future::pending::<()>().await;
            drop(held);
        };
        tokio::select! {
            _ = work => {}
            _ = stopped => {}
        }
    });
    Server { addr, _stop: stop }
}

/// Reads one request: its head, then as many body bytes as its `content-length` says.
async fn read_request(socket: &mut TcpStream) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            let mut have = buf.len() - (end + 4);
            while have < length {
                let n = socket.read(&mut chunk).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                have += n;
            }
            return Ok(());
        }
        if buf.len() > 1 << 20 {
            return Err(std::io::ErrorKind::InvalidData.into());
        }
    }
}
