//! Client configuration: what the user sets in code. Whatever is left unset is looked up in the environment
//! when the client is built (see [`crate::client::Client::new`]).

use crate::clock::{Clock, SystemClock};
use crate::credentials::{Credentials, ProvideCredentials};
use crate::env::Env;
use crate::transport::Transport;
use crate::validate::ValidationMode;
use std::fmt;
use std::sync::Arc;

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
}

impl Config {
    /// A builder with nothing set: everything will come from the environment.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
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
            .finish()
    }
}

/// Builds a [`Config`].
#[derive(Default)]
pub struct ConfigBuilder {
    config: Option<Config>,
}

impl ConfigBuilder {
    fn config(&mut self) -> &mut Config {
        self.config.get_or_insert_with(|| Config {
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
        })
    }

    /// The region, e.g. `eu-west-1`. Otherwise `AWS_REGION`, then `AWS_DEFAULT_REGION`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config().region = Some(region.into());
        self
    }

    /// Fixed credentials. Otherwise the default chain.
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.credentials_provider(credentials)
    }

    /// Any credentials provider. Otherwise the default chain.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config().credentials = Some(Arc::new(provider));
        self
    }

    /// An endpoint URL that overrides the rule set's. Otherwise `AWS_ENDPOINT_URL_<SERVICE>`, then
    /// `AWS_ENDPOINT_URL`, then the regional default.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config().endpoint_url = Some(url.into());
        self
    }

    /// Use FIPS endpoints. Otherwise `AWS_USE_FIPS_ENDPOINT`, else off.
    pub fn use_fips(mut self, on: bool) -> Self {
        self.config().use_fips = Some(on);
        self
    }

    /// Use dual-stack (IPv4 and IPv6) endpoints. Otherwise `AWS_USE_DUALSTACK_ENDPOINT`, else off.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.config().use_dual_stack = Some(on);
        self
    }

    /// Never compress request bodies. Otherwise `AWS_DISABLE_REQUEST_COMPRESSION`, else off: bodies of operations
    /// that accept compression are gzipped from [`request_min_compression_size_bytes`](Self::request_min_compression_size_bytes) on.
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.config().disable_request_compression = Some(disable);
        self
    }

    /// The smallest request body, in bytes, that is compressed (0 to 10485760). Otherwise
    /// `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`, else 10240.
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.config().request_min_compression_size_bytes = Some(bytes);
        self
    }

    /// How much input validation runs before a request is sent: [`ValidationMode::Full`] by default, or
    /// [`ValidationMode::RequiredOnly`] to leave length, pattern and range checks to the service, as AWS
    /// advises SDKs to do.
    pub fn validation(mut self, mode: ValidationMode) -> Self {
        self.config().validation = mode;
        self
    }

    /// Where requests go. Otherwise HTTPS through reqwest.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.config().transport = Some(Arc::new(transport));
        self
    }

    /// The clock used for signing. Otherwise the system clock.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.config().clock = Arc::new(clock);
        self
    }

    /// Where environment variables are read. Otherwise the process environment.
    pub fn env(mut self, env: Env) -> Self {
        self.config().env = env;
        self
    }

    /// The configuration.
    pub fn build(mut self) -> Config {
        self.config();
        self.config.take().expect("config() just filled it")
    }
}

/// The client cannot be used as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No region anywhere.
    NoRegion {
        /// Every place that was checked, in order.
        looked_in: Vec<String>,
    },
    /// A setting has a value that cannot be used.
    Invalid {
        /// Which setting, and where it came from (e.g. `AWS_USE_FIPS_ENDPOINT`).
        setting: String,
        /// What is wrong.
        reason: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NoRegion { looked_in } => {
                write!(f, "no AWS region configured; looked in: {}", looked_in.join(", "))
            }
            ConfigError::Invalid { setting, reason } => write!(f, "invalid {setting}: {reason}"),
        }
    }
}

impl std::error::Error for ConfigError {}
