//! What the resilience tests share: a valid input, a client on an in-memory transport, canned responses and a
//! clock that moves.

use lean_aws_runtime::clock::Clock;
use lean_aws_runtime::env::Env;
use lean_aws_runtime::retry::{FixedJitter, RetryConfig, RetryMode};
use lean_aws_runtime::time::RecordingSleep;
use lean_aws_runtime::transport::{HttpResponse, InMemoryTransport};
use lean_aws_runtime::ConfigBuilder;
use lean_emr::operation::update_studio_session_mapping::{
    UpdateStudioSessionMappingError, UpdateStudioSessionMappingInput, UpdateStudioSessionMappingOutput,
};
use lean_emr::{AwsCredentials as Credentials, Config, SdkError};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

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
    super::valid_builder()
        .send_with(&lean_emr::Client::new(config.build()))
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

/// `n` attempts in standard mode.
pub fn attempts(n: u32) -> RetryConfig {
    RetryConfig {
        max_attempts: n,
        mode: RetryMode::Standard,
    }
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
