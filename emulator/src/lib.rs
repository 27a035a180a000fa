//! A local EMR Studio emulator that checks SigV4 signatures, for offline tests and demos.
//!
//! It speaks awsJson 1.1 on loopback and performs the ten Studio operations (`CreateStudio`, `DescribeStudio`,
//! `ListStudios`, `UpdateStudio`, `DeleteStudio` and the five `*StudioSessionMapping*` ones); any other operation
//! gets `UnknownOperationException`. Its request decoding, validation and response encoding are generated from
//! the EMR model by the same generator as the `lean-emr` client ([`model`], server mode), over the service side of
//! awsJson ([`awsjson`]: strict decoding, the service's validation messages, answers); this crate adds the
//! signature check ([`auth`]), HTTP ([`http`]), the state ([`state`]) and what each operation does
//! ([`studios`]).
//!
//! In a test, one line starts it on a free loopback port inside the test's tokio runtime; dropping the handle
//! stops it:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = lean_emr_emulator::start(lean_emr_emulator::Settings::default())?;
//! // `emulator.config()` points a client at it: `lean_emr::Client::new(emulator.config())`.
//! assert!(emulator.url().starts_with("http://127.0.0.1:"));
//! # Ok(())
//! # }
//! ```

pub mod auth;
pub mod awsjson;
pub mod http;
pub mod identities;
pub mod ids;
#[rustfmt::skip]
pub mod model;
pub mod state;
pub mod studios;

use identities::{Directory, DirectoryError, Identity};
use ids::{Ids, RandomIds};
use lean_aws_runtime::clock::{Clock, SystemClock};
use lean_aws_runtime::Credentials;
use state::{LoadError, Store};
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// The access key of [`Settings::default`].
pub const DEFAULT_ACCESS_KEY_ID: &str = "AKIDEMULATOR";

/// How the emulator runs. Start from [`Settings::default`] and change what matters.
#[derive(Debug, Clone)]
pub struct Settings {
    credentials: Credentials,
    region: String,
    account_id: String,
    page_size: usize,
    identities: Vec<Identity>,
    state_file: Option<PathBuf>,
    port: u16,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn Ids>,
    log: bool,
}

impl Default for Settings {
    /// Access key [`DEFAULT_ACCESS_KEY_ID`] with a random secret (read it back with [`Emulator::credentials`]),
    /// `us-east-1`, account `123456789012`, pages of 2, no identities, no state file, a free port, the system
    /// clock, random ids, no log.
    fn default() -> Self {
        Settings {
            credentials: Credentials::new(DEFAULT_ACCESS_KEY_ID, RandomIds.request_id(), None),
            region: "us-east-1".into(),
            account_id: "123456789012".into(),
            page_size: 2,
            identities: Vec::new(),
            state_file: None,
            port: 0,
            clock: Arc::new(SystemClock),
            ids: Arc::new(RandomIds),
            log: false,
        }
    }
}

impl Settings {
    /// The one access key (and its secret) that requests must be signed with.
    pub fn credentials(mut self, access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        self.credentials = Credentials::new(access_key_id, secret_access_key, None);
        self
    }

    /// The region requests must be signed for, and that ARNs and URLs name.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// The account id in ARNs.
    pub fn account_id(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = account_id.into();
        self
    }

    /// How many items a page of `ListStudios` or `ListStudioSessionMappings` holds (at least 1).
    pub fn page_size(mut self, page_size: usize) -> Self {
        self.page_size = page_size.max(1);
        self
    }

    /// The users and groups session mappings may name.
    pub fn identities(mut self, identities: Vec<Identity>) -> Self {
        self.identities = identities;
        self
    }

    /// A file to keep the state in: read at start when it exists, written atomically after every change.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// The loopback port to listen on; 0 (the default) lets the system pick a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The clock that signatures are checked against and creation times come from.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Where studio and request ids come from ([`ids::SequentialIds`] makes them the same on every run).
    pub fn ids(mut self, ids: impl Ids + 'static) -> Self {
        self.ids = Arc::new(ids);
        self
    }

    /// Whether to write a line per request to standard error (never a header or a body).
    pub fn log(mut self, log: bool) -> Self {
        self.log = log;
        self
    }
}

/// Why the emulator did not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum StartError {
    /// [`start`] was called outside a tokio runtime.
    NoRuntime,
    /// The identities are not a valid directory.
    Identities(DirectoryError),
    /// The state file could not be read.
    State(LoadError),
    /// The port could not be bound.
    Bind(std::io::Error),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::NoRuntime => f.write_str("the emulator must be started inside a tokio runtime"),
            StartError::Identities(e) => write!(f, "identities: {e}"),
            StartError::State(e) => write!(f, "state file: {e}"),
            StartError::Bind(e) => write!(f, "cannot listen on loopback: {e}"),
        }
    }
}

impl std::error::Error for StartError {}

/// A running emulator. Dropping it stops it: the port closes and open connections are dropped.
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    url: String,
    credentials: Credentials,
    region: String,
    shared: Arc<http::Shared>,
    task: tokio::task::JoinHandle<()>,
}

/// Starts the emulator on `127.0.0.1` inside the current tokio runtime.
pub fn start(settings: Settings) -> Result<Emulator, StartError> {
    let runtime = tokio::runtime::Handle::try_current().map_err(|_| StartError::NoRuntime)?;
    let directory = Directory::new(settings.identities).map_err(StartError::Identities)?;
    let store = match settings.state_file {
        Some(path) => Store::with_file(path).map_err(StartError::State)?,
        None => Store::in_memory(),
    };
    let listener = std::net::TcpListener::bind(("127.0.0.1", settings.port)).map_err(StartError::Bind)?;
    listener.set_nonblocking(true).map_err(StartError::Bind)?;
    let addr = listener.local_addr().map_err(StartError::Bind)?;
    let listener = {
        let _guard = runtime.enter();
        tokio::net::TcpListener::from_std(listener).map_err(StartError::Bind)?
    };
    let shared = Arc::new(http::Shared {
        studios: studios::Studios {
            store,
            directory,
            region: settings.region.clone(),
            account_id: settings.account_id,
            page_size: settings.page_size,
            clock: settings.clock.clone(),
            ids: settings.ids.clone(),
        },
        verifier: auth::Verifier::new(settings.credentials.clone(), settings.region.clone()),
        clock: settings.clock,
        ids: settings.ids,
        log: settings.log,
    });
    let task = runtime.spawn(http::serve(listener, shared.clone()));
    Ok(Emulator {
        addr,
        url: format!("http://{addr}"),
        credentials: settings.credentials,
        region: settings.region,
        shared,
        task,
    })
}

impl Emulator {
    /// The URL to send requests to, e.g. `http://127.0.0.1:4599`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The credentials requests must be signed with.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The region requests must be signed for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// A client configuration for this emulator: its URL, region and credentials
    /// (`lean_emr::Client::new(emulator.config())`).
    pub fn config(&self) -> lean_aws_runtime::Config {
        lean_aws_runtime::Config::builder()
            .endpoint_url(&self.url)
            .region(&self.region)
            .credentials(self.credentials.clone())
            .build()
    }

    /// The state as the state file would hold it (JSON): for tests that check what changed.
    pub fn state(&self) -> String {
        self.shared.studios.store.read(state::State::to_json)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}
