//! A local EMR emulator that checks SigV4 signatures, for offline tests and demos.
//!
//! It speaks awsJson 1.1 on loopback. It decodes and validates every operation of the model, and performs the
//! cluster and step operations (clusters and steps live through their states on the emulator's clock,
//! [`lifecycle`]), the instance ones ([`instances`], [`job_flows`]), the policies ([`policies`]), the security
//! configurations ([`security`]), the release catalogue ([`catalogue`], a sample shipped as data), notebook
//! executions ([`notebooks`]), app UIs ([`app_uis`]), sessions ([`sessions`]) and the ten Studio ones: every
//! operation of the model ([`service::NOT_SERVED`], the ones it would answer `NotImplementedException`, is empty),
//! and an operation the model does not have gets `UnknownOperationException`. Its request decoding, validation and response encoding are generated from the EMR
//! model by the same generator as the `lean-emr` client ([`model`], server mode), over the service side of awsJson
//! ([`awsjson`]: strict decoding, the service's validation messages, answers); this crate adds the signature check
//! ([`auth`]), HTTP and the control endpoints ([`http`]), the state ([`state`]) and what each operation does
//! ([`service`], [`app_uis`], [`catalogue`], [`clusters`], [`instances`], [`job_flows`], [`notebooks`], [`policies`],
//! [`security`], [`sessions`], [`studios`]).
//!
//! The lifecycle clock is real time by default, each state lasting [`lifecycle::Durations::real_default`]; with
//! [`Settings::manual_clock`] it moves only when told ([`Emulator::advance`], or `POST /_emulator/advance` with
//! `{"seconds": 30}`), each state lasting one waiter delay (30 s); with a state file, its position is kept there
//! too, and a restart resumes from it (never earlier than the clock it is started with). Faults ([`lifecycle::Faults`]) are set with
//! [`Settings::faults`], [`Emulator::set_faults`] or `POST /_emulator/faults`; there are none unless asked for.
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

pub mod app_uis;
pub mod auth;
pub mod awsjson;
pub mod catalogue;
pub mod clusters;
pub mod http;
pub mod identities;
pub mod ids;
pub mod instances;
pub mod job_flows;
pub mod lifecycle;
#[rustfmt::skip]
pub mod model;
pub mod notebooks;
pub mod policies;
pub mod security;
pub mod service;
pub mod sessions;
pub mod state;
pub mod studios;

use identities::{Directory, DirectoryError, Identity};
use ids::{Ids, RandomIds};
use lean_aws_runtime::clock::{Clock, ManualClock, SystemClock};
use lean_aws_runtime::Credentials;
use lifecycle::{Durations, Faults, LifeClock};
use state::{LoadError, Store};
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

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
    manual_clock: Option<ManualClock>,
    durations: Option<Durations>,
    faults: Faults,
}

impl Default for Settings {
    /// Access key [`DEFAULT_ACCESS_KEY_ID`] with a random secret (read it back with [`Emulator::credentials`]),
    /// `us-east-1`, account `123456789012`, pages of 2 for the Studio lists, no identities, no state file, a free
    /// port, the system clock (for signatures and lifecycles), random ids, no log, no faults.
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
            manual_clock: None,
            durations: None,
            faults: Faults::default(),
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

    /// Clusters and steps follow `clock`, which moves only when told ([`ManualClock::advance`] on a clone,
    /// [`Emulator::advance`], or `POST /_emulator/advance`), instead of real time. Signatures are still checked
    /// against [`Settings::clock`].
    pub fn manual_clock(mut self, clock: ManualClock) -> Self {
        self.manual_clock = Some(clock);
        self
    }

    /// How long each state lasts; by default [`Durations::manual_default`] on a manual clock (30 s, one waiter
    /// delay) and [`Durations::real_default`] in real time (1 s).
    pub fn durations(mut self, durations: Durations) -> Self {
        self.durations = Some(durations);
        self
    }

    /// The faults to start with (none by default).
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
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
    /// The faults are out of range.
    Faults(String),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::NoRuntime => f.write_str("the emulator must be started inside a tokio runtime"),
            StartError::Identities(e) => write!(f, "identities: {e}"),
            StartError::State(e) => write!(f, "state file: {e}"),
            StartError::Bind(e) => write!(f, "cannot listen on loopback: {e}"),
            StartError::Faults(e) => write!(f, "faults: {e}"),
        }
    }
}

impl std::error::Error for StartError {}

/// Why [`Emulator::advance`] did not move the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdvanceError {
    /// The emulator's lifecycles follow real time.
    NotManual,
    /// The clock's new position could not be written to the state file; the clock did not move.
    Persist(String),
}

impl fmt::Display for AdvanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdvanceError::NotManual => {
                f.write_str("the emulator's lifecycles follow real time; start it with a manual clock to advance it")
            }
            AdvanceError::Persist(why) => write!(f, "the clock did not move: {why}"),
        }
    }
}

impl std::error::Error for AdvanceError {}

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
    settings.faults.check().map_err(StartError::Faults)?;
    let store = Arc::new(match settings.state_file {
        Some(path) => Store::with_file(path).map_err(StartError::State)?,
        None => Store::in_memory(),
    });
    let (life_clock, default_durations) = match settings.manual_clock {
        Some(clock) => {
            // A restart resumes where the clock stood, never earlier than the clock it was given.
            if let Some(saved) = store.read(|s| s.manual_clock_ms) {
                let behind = saved.saturating_sub(lifecycle::millis_since_epoch(Clock::now(&clock)));
                if behind > 0 {
                    clock.advance(Duration::from_millis(behind.unsigned_abs()));
                }
            }
            (LifeClock::Manual(clock), Durations::manual_default())
        }
        None => (LifeClock::Real(settings.clock.clone()), Durations::real_default()),
    };
    let faults = Arc::new(Mutex::new(settings.faults));
    let listener = std::net::TcpListener::bind(("127.0.0.1", settings.port)).map_err(StartError::Bind)?;
    listener.set_nonblocking(true).map_err(StartError::Bind)?;
    let addr = listener.local_addr().map_err(StartError::Bind)?;
    let listener = {
        let _guard = runtime.enter();
        tokio::net::TcpListener::from_std(listener).map_err(StartError::Bind)?
    };
    let shared = Arc::new(http::Shared {
        emr: service::Emr {
            studios: studios::Studios {
                store: store.clone(),
                directory,
                region: settings.region.clone(),
                account_id: settings.account_id.clone(),
                page_size: settings.page_size,
                clock: settings.clock.clone(),
                ids: settings.ids.clone(),
            },
            clusters: clusters::Clusters {
                store,
                region: settings.region.clone(),
                account_id: settings.account_id,
                clock: life_clock,
                durations: settings.durations.unwrap_or(default_durations),
                faults: faults.clone(),
                ids: settings.ids.clone(),
                url: format!("http://{addr}"),
            },
        },
        faults,
        calls: std::sync::atomic::AtomicU64::new(0),
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
        self.shared.emr.studios.store.read(state::State::to_json)
    }

    /// Moves the manual clock forward by `by`; clusters and steps change as that much time would change them.
    /// With a state file, the clock's position is kept there, so that a restart resumes from it.
    pub fn advance(&self, by: Duration) -> Result<(), AdvanceError> {
        self.shared.emr.clusters.advance(by)
    }

    /// Replaces the faults; clusters and steps created from now on follow the new ones.
    pub fn set_faults(&self, faults: Faults) -> Result<(), String> {
        faults.check()?;
        *self.shared.faults.lock().unwrap_or_else(PoisonError::into_inner) = faults;
        Ok(())
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}
