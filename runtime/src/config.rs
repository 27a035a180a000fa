//! Client configuration: what the user sets in code. Whatever is left unset is looked up in the environment, then
//! in the shared config files' selected profile, when the client is built (see [`resolve`] for the precedence).

use crate::clock::{Clock, SystemClock};
use crate::credentials::{Credentials, ProvideCredentials};
use crate::env::Env;
use crate::invocation::{InvocationIdGenerator, RandomInvocationIds};
use crate::profile::Fs;
use crate::retry::{Jitter, RetryConfig};
use crate::time::{Sleep, TokioSleep};
use crate::transport::{Transport, DEFAULT_MAX_RESPONSE_BODY_SIZE};
use crate::validate::ValidationMode;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

mod app_name;
mod region;
pub mod resolve;

pub use app_name::{AppName, InvalidAppName};
pub use region::Region;

/// Timeouts as aws-config sets them ([`ConfigBuilder::timeout_config`]): aws-smithy-types' own types, the ones
/// aws-sdk-rust's `config::timeout` re-exports.
pub mod timeout {
    pub use aws_smithy_types::timeout::{TimeoutConfig, TimeoutConfigBuilder};
}

/// aws-sdk-rust's behaviour version ([`ConfigBuilder::behavior_version`]), the same type.
pub use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;

pub use crate::env_config::ConfigError;

/// Settings for a client. Build one with [`Config::builder`]; anything left unset comes from the environment.
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) credentials: Option<Arc<dyn ProvideCredentials>>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) use_fips: Option<bool>,
    pub(crate) use_dual_stack: Option<bool>,
    pub(crate) disable_request_compression: Option<bool>,
    pub(crate) request_min_compression_size_bytes: Option<u32>,
    pub(crate) validation: ValidationMode,
    pub(crate) transport: Option<Arc<dyn Transport>>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) env: Env,
    pub(crate) retry_config: Option<RetryConfig>,
    pub(crate) jitter: Option<Arc<dyn Jitter>>,
    pub(crate) sleep: Arc<dyn Sleep>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) read_timeout: Option<Duration>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) max_response_body_size: usize,
    pub(crate) fs: Fs,
    pub(crate) profile_name: Option<String>,
    pub(crate) app_id: Option<String>,
    pub(crate) invocation_ids: Arc<dyn InvocationIdGenerator>,
    pub(crate) disable_clock_skew_correction: Option<bool>,
    #[cfg(feature = "test-util")]
    pub(crate) mocks: Option<crate::mock::Mocks>,
}

impl Config {
    /// A builder with nothing set: everything will come from the environment.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }
}

/// A copy, so that `Client::new` takes a configuration by value or by reference.
impl From<&Config> for Config {
    fn from(config: &Config) -> Self {
        config.clone()
    }
}

impl Config {
    /// The region set in code, if any (not what the environment would give).
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint URL set in code, if any (not what the environment or the profile would give).
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::builder().build()
    }
}

impl fmt::Debug for Config {
    // Hand-written: the credentials provider may hold a secret; show only whether one is set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("credentials", &self.credentials.as_ref().map(|_| "** set, redacted **"))
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("disable_request_compression", &self.disable_request_compression)
            .field(
                "request_min_compression_size_bytes",
                &self.request_min_compression_size_bytes,
            )
            .field("validation", &self.validation)
            .field("transport", &self.transport)
            .field("clock", &self.clock)
            .field("env", &self.env)
            .field("retry_config", &self.retry_config)
            .field("jitter", &self.jitter)
            .field("sleep", &self.sleep)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("max_response_body_size", &self.max_response_body_size)
            .field("fs", &self.fs)
            .field("profile_name", &self.profile_name)
            .field("app_id", &self.app_id)
            .field("invocation_ids", &self.invocation_ids)
            .field("disable_clock_skew_correction", &self.disable_clock_skew_correction)
            .finish()
    }
}

/// Builds a [`Config`]. Clones share the credentials provider, transport, clock and the other shared parts.
#[derive(Clone)]
pub struct ConfigBuilder {
    config: Config,
}

impl fmt::Debug for ConfigBuilder {
    // What it has set so far, redacted as `Config`'s `Debug` redacts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ConfigBuilder").field(&self.config).finish()
    }
}

impl Default for ConfigBuilder {
    fn default() -> Self {
        ConfigBuilder {
            config: Config {
                region: None,
                credentials: None,
                endpoint_url: None,
                use_fips: None,
                use_dual_stack: None,
                disable_request_compression: None,
                request_min_compression_size_bytes: None,
                validation: ValidationMode::Full,
                transport: None,
                clock: Arc::new(SystemClock),
                env: Env::process(),
                retry_config: None,
                jitter: None,
                sleep: Arc::new(TokioSleep),
                connect_timeout: None,
                read_timeout: None,
                attempt_timeout: None,
                operation_timeout: None,
                max_response_body_size: DEFAULT_MAX_RESPONSE_BODY_SIZE,
                fs: Fs::real(),
                profile_name: None,
                app_id: None,
                invocation_ids: Arc::new(RandomInvocationIds),
                disable_clock_skew_correction: None,
                #[cfg(feature = "test-util")]
                mocks: None,
            },
        }
    }
}

impl ConfigBuilder {
    /// The region, e.g. `eu-west-1`. Otherwise `AWS_REGION`, then `AWS_DEFAULT_REGION`, then
    /// the profile's `region`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// Fixed credentials. Otherwise the default chain ([`crate::credentials::DefaultChain`]).
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.credentials_provider(credentials)
    }

    /// Any credentials provider. Otherwise the default chain.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.credentials = Some(Arc::new(provider));
        self
    }

    /// An endpoint URL that overrides the rule set's. Otherwise `AWS_ENDPOINT_URL_<SERVICE>`, then
    /// `AWS_ENDPOINT_URL`, then the profile's (see [`resolve`]), then the regional default.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self
    }

    /// Use FIPS endpoints. Otherwise `AWS_USE_FIPS_ENDPOINT`, then the profile's
    /// `use_fips_endpoint`, else off.
    pub fn use_fips(mut self, on: bool) -> Self {
        self.config.use_fips = Some(on);
        self
    }

    /// Use dual-stack (IPv4 and IPv6) endpoints. Otherwise `AWS_USE_DUALSTACK_ENDPOINT`, then the
    /// profile's `use_dualstack_endpoint`, else off.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.config.use_dual_stack = Some(on);
        self
    }

    /// Never compress request bodies. Otherwise `AWS_DISABLE_REQUEST_COMPRESSION`, else off: bodies of operations
    /// that accept compression are gzipped from [`request_min_compression_size_bytes`](Self::request_min_compression_size_bytes) on.
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.config.disable_request_compression = Some(disable);
        self
    }

    /// The smallest request body, in bytes, that is compressed (0 to 10485760). Otherwise
    /// `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`, else 10240.
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.config.request_min_compression_size_bytes = Some(bytes);
        self
    }

    /// Answers calls with `mocks` instead of sending them (feature `test-util`): see [`crate::mock`]. Inputs are
    /// still validated and serialized as for sending.
    #[cfg(feature = "test-util")]
    pub fn mocks(mut self, mocks: crate::mock::Mocks) -> Self {
        self.config.mocks = Some(mocks);
        self
    }

    /// How much input validation runs before a request is sent: [`ValidationMode::Full`] by default, or
    /// [`ValidationMode::Essential`] to leave length, pattern and range checks to the service, as AWS
    /// advises SDKs to do.
    pub fn validation(mut self, mode: ValidationMode) -> Self {
        self.config.validation = mode;
        self
    }

    /// Where requests go. Otherwise an [`HttpsTransport`](crate::transport::HttpsTransport) with this
    /// configuration's timeouts and body limit, using the proxies its environment ([`env`](Self::env)) names.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.config.transport = Some(Arc::new(transport));
        self
    }

    /// The clock read for signing times, for the expiry of credentials the default chain caches, and for the
    /// time waiters have waited. Otherwise the system clock ([`SystemClock`]).
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.config.clock = Arc::new(clock);
        self
    }

    /// Where environment variables are read. Otherwise the process environment.
    pub fn env(mut self, env: Env) -> Self {
        self.config.env = env;
        self
    }

    /// How calls are retried. Otherwise `AWS_MAX_ATTEMPTS` and `AWS_RETRY_MODE`, then the profile's
    /// `max_attempts` and `retry_mode`, else 3 attempts in standard mode. Set here, both settings win over the
    /// environment. [`RetryMode::Adaptive`](crate::retry::RetryMode::Adaptive) adds a client-side rate limiter
    /// ([`crate::retry::adaptive`]) that the client's clones share.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.config.retry_config = Some(retry);
        self
    }

    /// The random numbers that spread retries out. Otherwise a [`RandomJitter`](crate::retry::RandomJitter);
    /// tests use a `retry::FixedJitter` (feature `test-util`).
    pub fn jitter(mut self, jitter: impl Jitter + 'static) -> Self {
        self.config.jitter = Some(Arc::new(jitter));
        self
    }

    /// How the client waits between attempts. Otherwise [`TokioSleep`]; tests use a
    /// `time::RecordingSleep` or a `clock::ManualClock` (feature `test-util`).
    pub fn sleep(mut self, sleep: impl Sleep + 'static) -> Self {
        self.config.sleep = Arc::new(sleep);
        self
    }

    /// How long the default transport waits to connect (TCP and TLS). Otherwise 3.1 s
    /// ([`DEFAULT_CONNECT_TIMEOUT`](crate::transport::DEFAULT_CONNECT_TIMEOUT)). Ignored with a custom
    /// [`transport`](Self::transport).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = Some(timeout);
        self
    }

    /// How long the default transport waits for the response head, then for each next piece of the body.
    /// Otherwise no limit. Ignored with a custom [`transport`](Self::transport); see
    /// [`attempt_timeout`](Self::attempt_timeout) for a limit that covers any transport.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.config.read_timeout = Some(timeout);
        self
    }

    /// The longest one attempt (one request and its whole response) may take, whatever the transport. An
    /// attempt that runs out fails with a [`TransportErrorKind::Timeout`](crate::transport::TransportErrorKind)
    /// error, which is retried. Otherwise no limit. Runs on the tokio timer, like the default [`TokioSleep`].
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.config.attempt_timeout = Some(timeout);
        self
    }

    /// The longest a whole call may take: every attempt and every wait between them. A call that runs out
    /// fails with [`SdkError::TimeoutError`](crate::SdkError::TimeoutError). Otherwise no limit. Runs on the tokio timer.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.config.operation_timeout = Some(timeout);
        self
    }

    /// The largest response body accepted, in bytes; a larger one fails the attempt with a
    /// [`TransportErrorKind::ResponseTooLarge`](crate::transport::TransportErrorKind) error, and the default
    /// transport stops reading it at the limit. Otherwise 10 MiB
    /// ([`DEFAULT_MAX_RESPONSE_BODY_SIZE`]).
    pub fn max_response_body_size(mut self, bytes: usize) -> Self {
        self.config.max_response_body_size = bytes;
        self
    }

    /// The profile of the shared config files to read settings and credentials from. Otherwise `AWS_PROFILE`,
    /// else `default`.
    pub fn profile_name(mut self, name: impl Into<String>) -> Self {
        self.config.profile_name = Some(name.into());
        self
    }

    /// Where the shared config and credentials files are read. Otherwise the real file system; tests pass
    /// [`Fs::from_files`].
    pub fn fs(mut self, fs: Fs) -> Self {
        self.config.fs = fs;
        self
    }

    /// An application id, sent in the user agent as `app/<id>`. Otherwise `AWS_SDK_UA_APP_ID`, then the profile's
    /// `sdk_ua_app_id`.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.config.app_id = Some(app_id.into());
        self
    }

    /// The application's name, sent in the user agent as `app/<name>`: aws-config's name for
    /// [`app_id`](Self::app_id), which it sets.
    pub fn app_name(self, app_name: AppName) -> Self {
        self.app_id(app_name.as_ref().to_owned())
    }

    /// aws-config's timeouts, in one value: its connect timeout sets [`connect_timeout`](Self::connect_timeout),
    /// its read timeout [`read_timeout`](Self::read_timeout), its operation attempt timeout
    /// [`attempt_timeout`](Self::attempt_timeout) and its operation timeout
    /// [`operation_timeout`](Self::operation_timeout). A timeout it leaves unset or disables is unset here too, so
    /// this client's default applies: 3.1 s to connect, no limit for the others.
    pub fn timeout_config(mut self, timeouts: timeout::TimeoutConfig) -> Self {
        self.config.connect_timeout = timeouts.connect_timeout();
        self.config.read_timeout = timeouts.read_timeout();
        self.config.attempt_timeout = timeouts.operation_attempt_timeout();
        self.config.operation_timeout = timeouts.operation_timeout();
        self
    }

    /// Accepted so that aws-sdk-rust code compiles unchanged, and ignored: this runtime has one behaviour, and its
    /// defaults are documented on each setting (aws-sdk-rust's `BehaviorVersion::latest()` picks the same ones
    /// where both have the setting: standard retries with 3 attempts, a 3.1 s connect timeout).
    pub fn behavior_version(self, version: BehaviorVersion) -> Self {
        let _ = version;
        self
    }

    /// [`behavior_version`](Self::behavior_version) with the latest version: accepted and ignored.
    pub fn behavior_version_latest(self) -> Self {
        self.behavior_version(BehaviorVersion::latest())
    }

    /// Never correct the signing time for the skew between this machine's clock and the service's
    /// ([`crate::skew`]). Otherwise `AWS_DISABLE_CLOCK_SKEW_CORRECTION`, else correction is on.
    pub fn disable_clock_skew_correction(mut self, disable: bool) -> Self {
        self.config.disable_clock_skew_correction = Some(disable);
        self
    }

    /// Where each operation's `amz-sdk-invocation-id` comes from. Otherwise random UUID v4s
    /// ([`RandomInvocationIds`]); tests use a `SeededInvocationIds` (feature `test-util`).
    pub fn invocation_ids(mut self, generator: impl InvocationIdGenerator + 'static) -> Self {
        self.config.invocation_ids = Arc::new(generator);
        self
    }

    /// The configuration, as set. Nothing is looked up or checked here: [`Client::new`](crate::Client::new)
    /// fills in the unset settings, and an unusable one fails the first call that needs it.
    pub fn build(self) -> Config {
        self.config
    }
}
