//! The small hand-written runtime behind the lean generated AWS clients.
//!
//! Generated crates (such as `lean-emr`) hold the shapes, validators, serializers and operation methods; this
//! crate holds what every operation shares: [`Config`](config::Config) and [`Client`](client::Client),
//! credentials, SigV4 signing, the HTTP [`Transport`](transport::Transport), the awsJson protocol and the errors.
//!
//! | module | what it does |
//! | --- | --- |
//! | [`config`] | region, credentials, endpoint and validation settings, from code or the environment |
//! | [`credentials`] | [`Credentials`](credentials::Credentials) and the providers that find them |
//! | [`endpoint`] | endpoint resolution from the service's rule set |
//! | [`profile`] | the shared `~/.aws/config` and `~/.aws/credentials` files |
//! | [`sign`] | SigV4 through `aws-sigv4` |
//! | [`transport`] | HTTP through reqwest + rustls, and an in-memory transport for tests |
//! | [`protocol`] | awsJson 1.0/1.1: request building, error parsing, JSON read/write helpers for generated code |
//! | [`validate`] | the checks generated validators call |
//! | [`client`] | one call: validate, serialize, resolve, sign, send, parse |

pub mod clock;
pub mod config;
pub mod credentials;
pub mod endpoint;
pub mod env;
pub mod error;
pub mod profile;
pub mod transport;
pub mod validate;
