//! The small hand-written runtime behind the lean generated AWS clients.
//!
//! Generated crates (such as `lean-emr`) hold the shapes, validators, serializers and operation methods; this
//! crate holds what every operation shares: [`Config`] and [`Client`],
//! credentials, SigV4 signing, the HTTP [`Transport`](transport::Transport), the awsJson protocol and the errors.
//!
//! | module | what it does |
//! | --- | --- |
//! | [`client`] | one call: validate and serialize, then per attempt sign, send, judge, with retries, timeouts and tracing |
//! | [`operation`] | the contract with generated code ([`ServiceMeta`], [`Operation`]): serialize an input, parse a response |
//! | [`config`] | region, credentials, endpoint and validation settings, from code, the environment or the shared config files |
//! | [`env`](mod@env) | where settings are read from: the process environment, or a fixed map in tests |
//! | [`profile`] | the shared `~/.aws/config` and `~/.aws/credentials` files |
//! | [`credentials`] | [`Credentials`] and the providers that find them |
//! | [`endpoint`] | endpoint resolution from the service's rule set |
//! | [`host_prefix`] | the endpoint trait: a host name prefix, filled from input members |
//! | [`sign`] | SigV4 through `aws-sigv4` |
//! | [`clock`] | the wall clock read for signing times and credential expiry, injectable for tests |
//! | [`skew`] | clock skew correction: the service's clock, estimated from response `Date`s, for signing times |
//! | [`time`] | waiting ([`Sleep`](time::Sleep), injectable for tests) and [`BoxFuture`](time::BoxFuture), the future the runtime's traits return |
//! | [`retry`] | the AWS standard and adaptive retry modes: which errors to retry, backoff, retry quota, client-side rate limiting |
//! | [`invocation`] | the `amz-sdk-invocation-id` and `amz-sdk-request` headers that tie attempts together |
//! | [`transport`] | HTTP/1.1 through hyper + rustls (proxies from the environment), and an in-memory transport for tests (feature `test-util`) |
//! | [`protocol`] | awsJson 1.0/1.1: request framing, error parsing, JSON read/write helpers for generated code |
//! | [`compression`] | gzip request bodies of operations with the `requestcompression` trait |
//! | [`validate`] | the checks generated validators call, and [`ValidationMode`] |
//! | [`error`] | [`SdkError`], every call's error, and the pieces generated error enums are built from |
//! | [`paginator`] | a stream of pages for paginated operations, stopping at the last page or a repeated token |
//! | [`waiter`] | polling an operation until an acceptor says success or failure, or the wait runs out |
//! | `blocking` | (feature `blocking`) blocking calls from code without an async runtime, paginators as iterators |
//! | `mock` | (feature `test-util`) a client answered by rules instead of the network, for users' tests |
//! | `serde_support` | (feature `serde`) `serde` in the service's JSON form: epoch-second timestamps, enums as strings, unknown union members |
//!
//! How the pieces fit: a generated operation method hands its input to [`Client::invoke`], which checks it
//! ([`validate`], as the [`ValidationMode`] says), writes it ([`Operation::serialize`] into a
//! [`JsonWriter`](protocol::json::JsonWriter)), applies the host prefix ([`host_prefix`]) to the endpoint resolved
//! when the client was built ([`endpoint`]), compresses the body where the operation allows it ([`compression`]),
//! and then, per attempt, gets [`Credentials`] from the configured provider, signs ([`sign`], at the [`clock`]'s
//! time corrected by [`skew`]), sends through the [`Transport`](transport::Transport) and lets [`retry`] judge the
//! answer. The last response becomes the output ([`Operation::deserialize_output`]) or an [`SdkError`].
//! [`Config`] gathers the settings each step reads, from code, the environment ([`env`](mod@env)) and the shared files
//! ([`profile`]); [`Client::new`] resolves them once.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

/// The test doubles (in-memory transport, fixed and manual clocks, recording sleep, fixed jitter, seeded ids):
/// compiled only with the `test-util` feature (and in this crate's own unit tests), so a normal build of a client
/// does not compile them. The one place that decides their gating.
macro_rules! test_util {
    ($($item:item)*) => {
        $(
            #[cfg(any(test, feature = "test-util"))]
            #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
            $item
        )*
    };
}

#[cfg(feature = "aws-config")]
mod aws_config;
#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
pub mod client;
pub mod clock;
pub mod compression;
pub mod config;
pub mod credentials;
pub mod endpoint;
pub mod env;
mod env_config;
pub mod error;
pub mod host_prefix;
pub mod invocation;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod mock;
pub mod operation;
pub mod paginator;
pub mod profile;
pub mod protocol;
pub mod retry;
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub mod serde_support;
mod shape_macros;
pub mod sign;
pub mod skew;
pub mod time;
pub mod transport;
pub mod validate;
pub mod waiter;

pub use aws_smithy_types::date_time::Format as DateTimeFormat;
pub use aws_smithy_types::DateTime;
pub use client::Client;
pub use config::{Config, ConfigBuilder};
pub use credentials::Credentials;
pub use error::{
    BuildError, ErrorMetadata, ProvideErrorMetadata, SdkError, ServiceError, UnhandledError, UnknownMember,
    UnknownVariant,
};
pub use operation::{Operation, ServiceMeta};
/// A free-form JSON document (the model's `document` shapes).
pub type Document = serde_json::Value;
pub use validate::ValidationMode;
