//! The offline test configuration: a client that never looks at the machine.

use lean_aws_runtime::clock::FixedClock;
use lean_aws_runtime::env::Env;
use lean_aws_runtime::profile::Fs;
use lean_aws_runtime::retry::RetryConfig;
use lean_aws_runtime::{Config, ConfigBuilder, Credentials};

/// The access key id of [`offline_config`] (the SigV4 documentation's example).
pub const ACCESS_KEY: &str = "AKIDEXAMPLE";
/// The secret access key of [`offline_config`] (the SigV4 documentation's example).
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// The instant [`offline_config`]'s clock shows: 2023-11-14T22:13:20Z.
pub const NOW_SECS: u64 = 1_700_000_000;

/// A config that reads nothing from the machine: an empty environment, no shared config files, region
/// `us-east-1`, the example keys ([`ACCESS_KEY`], [`SECRET_KEY`]), a clock fixed at [`NOW_SECS`], and a single
/// attempt (retries have tests of their own). Set a transport or an endpoint URL, and change what the test is
/// about: a later setter replaces what this one set.
pub fn offline_config() -> ConfigBuilder {
    Config::builder()
        .env(Env::from_pairs::<&str, &str>([]))
        .fs(Fs::from_files::<&str, &str>([]))
        .region("us-east-1")
        .credentials(Credentials::new(ACCESS_KEY, SECRET_KEY, None))
        .clock(FixedClock::from_epoch_secs(NOW_SECS))
        .retry_config(RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        })
}
