//! When to try a call again, and how long to wait first: the AWS "standard" retry mode (SDK retry behavior 2.1)
//! as pure logic, with injectable randomness ([`Jitter`]) and sleeping ([`Sleep`](crate::time::Sleep)). The
//! "adaptive" mode adds a client-side rate limiter to it ([`adaptive`]).
//!
//! The client's call loop asks [`RetryStrategy::after_attempt`] after every attempt, success included (a success
//! feeds the retry quota):
//!
//! ```
//! use lean_aws_runtime::retry::{AttemptOutcome, CallState, FixedJitter, RetryConfig, RetryStrategy};
//! use std::sync::Arc;
//! use std::time::Duration;
//!
//! let strategy = RetryStrategy::new(RetryConfig::default(), Arc::new(FixedJitter(0.5)));
//! let mut call = CallState::default();
//! let busy = AttemptOutcome::Response { status: 503, code: None, retry_after_ms: None };
//! assert_eq!(strategy.after_attempt(1, &busy, &mut call), Some(Duration::from_millis(25)));
//! assert_eq!(strategy.after_attempt(2, &AttemptOutcome::Success, &mut call), None);
//! ```
//!
//! The rules:
//! - at most [`RetryConfig::max_attempts`] attempts (3 by default);
//! - only throttling and transient errors are retried (see [`classify`]);
//! - before attempt `n + 1` wait `jitter × min(base × 2^(n-1), 20 s)`, where `base` is 1 s after a throttling
//!   error and 50 ms after a transient one; an `x-amz-retry-after` header (milliseconds) replaces that wait,
//!   clamped to `[computed, computed + 5 s]`;
//! - every retry is paid from a quota shared by the client's calls: 500 to start, 14 per retry, 5 per throttling
//!   retry. A first-try success earns 1 back, a success after retries refunds the last retry's cost; when the
//!   quota cannot pay, the call stops with its last error.
//!
//! In [`RetryMode::Adaptive`] all of that holds, and each attempt, the first included, also waits for a token
//! from the client's [`ClientRateLimiter`](adaptive::ClientRateLimiter), which throttling responses slow down.

pub mod adaptive;

use crate::transport::{HttpResponse, TransportErrorKind};
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The retry quota's starting and maximum balance.
pub const QUOTA_MAX: u32 = 500;
/// What a retry after a transient error costs.
pub const RETRY_COST: u32 = 14;
/// What a retry after a throttling error costs.
pub const THROTTLING_RETRY_COST: u32 = 5;
/// What a success on the first attempt adds to the quota.
pub const NO_RETRY_INCREMENT: u32 = 1;

const TRANSIENT_BASE: Duration = Duration::from_millis(50);
const THROTTLING_BASE: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(20);
const MAX_RETRY_AFTER_EXTRA: Duration = Duration::from_secs(5);

/// Error codes that mean "slow down".
const THROTTLING_CODES: [&str; 14] = [
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes that mean "try again".
const TRANSIENT_CODES: [&str; 3] = ["RequestTimeout", "RequestTimeoutException", "InternalError"];

/// HTTP statuses that mean "try again".
const TRANSIENT_STATUSES: [u16; 4] = [500, 502, 503, 504];

/// How an attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome<'a> {
    /// The call succeeded.
    Success,
    /// No response arrived.
    Transport(TransportErrorKind),
    /// The service refused the request with a clock-skew error code while its `Date` showed the client's clock
    /// off by more than [`DETECTION_THRESHOLD`](crate::skew::DETECTION_THRESHOLD): transient, since the next
    /// attempt is signed with the corrected time. The client reports this at most once per call.
    ClockSkew,
    /// The service answered with an error.
    Response {
        /// The HTTP status code.
        status: u16,
        /// The error code with any namespace and URI stripped (`ThrottlingException`), if there is one.
        code: Option<&'a str>,
        /// The raw `x-amz-retry-after` header value: a wait in milliseconds.
        retry_after_ms: Option<&'a str>,
    },
}

impl<'a> AttemptOutcome<'a> {
    /// An error response: its status and `x-amz-retry-after` header, and the error `code` parsed from it.
    pub fn from_response(response: &'a HttpResponse, code: Option<&'a str>) -> Self {
        AttemptOutcome::Response {
            status: response.status,
            code,
            retry_after_ms: response.header("x-amz-retry-after"),
        }
    }
}

/// Why an error may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryKind {
    /// The service asked us to slow down: longer waits, cheaper retries.
    Throttling,
    /// A failure that may not happen again: a 5xx, a timeout, a broken connection.
    Transient,
}

/// Whether `outcome` may be retried, and why. `None` for a success and for errors that would fail again: any
/// other 4xx (`InvalidRequestException`, ...), and transport failures of kind `Request` (the request could not be
/// built), `ResponseTooLarge` (it would be as large again) or `Other`. A clock-skew error is transient.
///
/// Throttling wins over transient: a 503 `SlowDown` is throttling.
pub fn classify(outcome: &AttemptOutcome<'_>) -> Option<RetryKind> {
    match *outcome {
        AttemptOutcome::Success => None,
        AttemptOutcome::Transport(kind) => match kind {
            TransportErrorKind::Connect | TransportErrorKind::Timeout | TransportErrorKind::Io => {
                Some(RetryKind::Transient)
            }
            TransportErrorKind::Request | TransportErrorKind::ResponseTooLarge | TransportErrorKind::Other => None,
        },
        AttemptOutcome::ClockSkew => Some(RetryKind::Transient),
        AttemptOutcome::Response { status, code, .. } => {
            let code = code.unwrap_or("");
            if status == 429 || THROTTLING_CODES.contains(&code) {
                Some(RetryKind::Throttling)
            } else if TRANSIENT_STATUSES.contains(&status) || TRANSIENT_CODES.contains(&code) {
                Some(RetryKind::Transient)
            } else {
                None
            }
        }
    }
}

/// The retry mode: `AWS_RETRY_MODE` / the profile's `retry_mode`, or [`RetryConfig::mode`] in code. Standard by
/// default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RetryMode {
    /// AWS standard retries (SDK retry behavior 2.1).
    #[default]
    Standard,
    /// Standard retries plus a client-side rate limiter that slows the client's attempts down after throttling
    /// responses and speeds them up again after ([`adaptive`]).
    Adaptive,
}

impl FromStr for RetryMode {
    type Err = ParseRetryModeError;

    /// Parses an `AWS_RETRY_MODE` / `retry_mode` value, ignoring case and surrounding spaces.
    ///
    /// `legacy` is accepted and means [`RetryMode::Standard`], its successor, so that a setting shared with other
    /// AWS tools does not stop this client from starting.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("standard") || s.eq_ignore_ascii_case("legacy") {
            Ok(RetryMode::Standard)
        } else if s.eq_ignore_ascii_case("adaptive") {
            Ok(RetryMode::Adaptive)
        } else {
            Err(ParseRetryModeError(s.to_owned()))
        }
    }
}

/// A retry mode that is not `standard`, `legacy` or `adaptive`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseRetryModeError(pub String);

impl fmt::Display for ParseRetryModeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown retry mode {:?}: expected standard, legacy or adaptive",
            self.0
        )
    }
}

impl std::error::Error for ParseRetryModeError {}

/// How a client retries: [`ConfigBuilder::retry_config`](crate::ConfigBuilder::retry_config), else
/// `AWS_MAX_ATTEMPTS` / `AWS_RETRY_MODE`, else the profile's `max_attempts` / `retry_mode`, else the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts per call, the first one included: 1 means no retries. 0 is treated as 1.
    pub max_attempts: u32,
    /// Standard retries, or standard retries with adaptive mode's client-side rate limiter.
    pub mode: RetryMode,
}

impl RetryConfig {
    /// Standard mode with 3 attempts, as aws-sdk-rust's `RetryConfig::standard()`.
    pub fn standard() -> Self {
        RetryConfig::default()
    }

    /// Adaptive mode (standard retries and a client-side rate limiter) with 3 attempts.
    pub fn adaptive() -> Self {
        RetryConfig::default().with_mode(RetryMode::Adaptive)
    }

    /// The same, with `max_attempts` attempts per call (the first one included).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// The same, in `mode`.
    pub fn with_mode(mut self, mode: RetryMode) -> Self {
        self.mode = mode;
        self
    }

    /// Attempts per call, the first one included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The retry mode.
    pub fn mode(&self) -> RetryMode {
        self.mode
    }
}

impl Default for RetryConfig {
    /// 3 attempts, standard mode.
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            mode: RetryMode::Standard,
        }
    }
}

/// A source of random numbers in `[0, 1)` for backoff jitter. Injectable so that tests are deterministic.
pub trait Jitter: Send + Sync + fmt::Debug {
    /// The next number, in `[0, 1)`.
    fn next(&self) -> f64;
}

/// Jitter from a SplitMix64 generator seeded from the clock and an address: not cryptographic, only enough to
/// spread clients' retries apart.
#[derive(Debug)]
pub struct RandomJitter {
    state: AtomicU64,
}

impl RandomJitter {
    /// A generator with a seed that differs from run to run and from instance to instance.
    pub fn new() -> Self {
        let local = 0u8;
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Self::with_seed(nanos ^ (&local as *const u8 as u64).rotate_left(32))
    }

    /// A generator with a fixed seed: the same sequence every time.
    pub fn with_seed(seed: u64) -> Self {
        RandomJitter {
            state: AtomicU64::new(seed),
        }
    }
}

impl Default for RandomJitter {
    fn default() -> Self {
        Self::new()
    }
}

impl Jitter for RandomJitter {
    fn next(&self) -> f64 {
        const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut z = self.state.fetch_add(GAMMA, Ordering::Relaxed).wrapping_add(GAMMA);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        // The top 53 bits, scaled: every f64 step in [0, 1), never 1.
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

test_util! {
    /// Jitter that always returns the same number. For tests. [`RetryStrategy`] clamps it to `[0, 1]`, so `1.0`
    /// gives the full backoff.
    #[derive(Debug, Clone, Copy)]
    pub struct FixedJitter(pub f64);

    impl Jitter for FixedJitter {
        fn next(&self) -> f64 {
            self.0
        }
    }
}

/// What one call remembers between attempts: the cost of its last retry, refunded if the call then succeeds.
/// Start each call with a fresh `CallState::default()`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallState {
    last_retry_cost: Option<u32>,
}

/// Decides after each attempt whether to retry and how long to wait. Clones share the retry quota: give each
/// client one strategy and every call a [`CallState`].
#[derive(Debug, Clone)]
pub struct RetryStrategy {
    config: RetryConfig,
    quota: Arc<Mutex<u32>>,
    jitter: Arc<dyn Jitter>,
}

impl RetryStrategy {
    /// A strategy with a full quota ([`QUOTA_MAX`]), drawing backoff jitter from `jitter`.
    pub fn new(config: RetryConfig, jitter: Arc<dyn Jitter>) -> Self {
        RetryStrategy {
            config,
            quota: Arc::new(Mutex::new(QUOTA_MAX)),
            jitter,
        }
    }

    /// The attempts and mode this strategy was built with.
    pub fn config(&self) -> &RetryConfig {
        &self.config
    }

    /// The retry quota's current balance, from 0 to [`QUOTA_MAX`]: what the clones of this strategy have left to
    /// pay retries with.
    pub fn quota_balance(&self) -> u32 {
        *lock(&self.quota)
    }

    /// After attempt number `attempt` (1-based) ended with `outcome`: `Some(delay)` to wait `delay` and try
    /// again, `None` to stop and return this outcome. Call it after every attempt, successes included.
    pub fn after_attempt(&self, attempt: u32, outcome: &AttemptOutcome<'_>, state: &mut CallState) -> Option<Duration> {
        if let AttemptOutcome::Success = outcome {
            let earned = state.last_retry_cost.take().unwrap_or(NO_RETRY_INCREMENT);
            let mut quota = lock(&self.quota);
            *quota = quota.saturating_add(earned).min(QUOTA_MAX);
            return None;
        }
        let kind = classify(outcome)?;
        if attempt >= self.config.max_attempts.max(1) {
            return None;
        }
        let cost = match kind {
            RetryKind::Throttling => THROTTLING_RETRY_COST,
            RetryKind::Transient => RETRY_COST,
        };
        {
            let mut quota = lock(&self.quota);
            *quota = quota.checked_sub(cost)?;
        }
        state.last_retry_cost = Some(cost);
        let computed = self.backoff(attempt, kind);
        let retry_after = match outcome {
            AttemptOutcome::Response {
                retry_after_ms: Some(value),
                ..
            } => value.trim().parse::<u64>().ok(),
            _ => None,
        };
        Some(match retry_after {
            Some(ms) => Duration::from_millis(ms).clamp(computed, computed + MAX_RETRY_AFTER_EXTRA),
            None => computed,
        })
    }

    /// `jitter × min(base × 2^(attempt-1), 20 s)`.
    fn backoff(&self, attempt: u32, kind: RetryKind) -> Duration {
        let base = match kind {
            RetryKind::Throttling => THROTTLING_BASE,
            RetryKind::Transient => TRANSIENT_BASE,
        };
        let factor = 1u32.checked_shl(attempt.saturating_sub(1)).unwrap_or(u32::MAX);
        let ceiling = base.saturating_mul(factor).min(MAX_BACKOFF);
        let jitter = self.jitter.next();
        // NaN (a broken Jitter) clamps to NaN; treat it as 0, the safe end.
        let jitter = if jitter.is_nan() { 0.0 } else { jitter.clamp(0.0, 1.0) };
        // In nanoseconds, so that 0.5 × 50 ms is exactly 25 ms.
        Duration::from_nanos((ceiling.as_nanos() as f64 * jitter) as u64)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing panics while holding these locks in a way that leaves a half-written value: recover it.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
