//! Test helpers shared by the integration tests: fixtures and offline clients (the loopback server is the
//! `loopback` crate).
#![allow(dead_code)] // Each test file uses its own part of this module.

pub mod capture;
pub mod resilience;

use lean_aws_runtime::clock::FixedClock;
use lean_aws_runtime::transport::{HttpResponse, InMemoryTransport};
use lean_aws_runtime::Credentials;
use lean_emr::operation::update_studio_session_mapping::builders::UpdateStudioSessionMappingInputBuilder;
use lean_emr::operation::update_studio_session_mapping::UpdateStudioSessionMappingInput;
use lean_emr::types::IdentityType;

/// 2015-08-30T12:36:00Z, the SigV4 suite's instant.
pub const EPOCH_SECS: u64 = 1_440_938_160;
pub use test_support::config::{ACCESS_KEY, SECRET_KEY};
pub const SESSION_TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

/// A builder with every member a valid UpdateStudioSessionMapping call needs: send it with
/// `send_with(&client)`.
pub fn valid_builder() -> UpdateStudioSessionMappingInputBuilder {
    UpdateStudioSessionMappingInput::builder()
        .studio_id("es-0123456789ABCDEFGHIJKLMNO")
        .identity_name("alice@example.com")
        .identity_type(IdentityType::User)
        .session_policy_arn("arn:aws:iam::123456789012:policy/EMRStudioSessionPolicy")
}

/// The input [`valid_builder`] builds, for the runtime client's `invoke`.
pub fn valid_input() -> UpdateStudioSessionMappingInput {
    valid_builder().build().expect("an input's build never fails")
}

/// [`test_support::offline_config`] signing with `session_token` too, at the SigV4 suite's instant.
pub fn offline_config(session_token: Option<&str>) -> lean_aws_runtime::ConfigBuilder {
    test_support::offline_config()
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
