//! aws-config interop (feature `aws-config`): a [`Config`] from an `aws_types::SdkConfig`, so that a program that
//! loads its settings with `aws_config::load_defaults(..)` for other services builds this client from the same
//! value. It takes what both have: region, endpoint URL, credentials provider, retry attempts and mode, timeouts
//! and app name. Settings the `SdkConfig` leaves unset are looked up as for any [`Config`].

use crate::credentials::{CachingProvider, Credentials, CredentialsError, ProvideCredentials};
use crate::error::DisplayErrorContext;
use crate::retry::{RetryConfig, RetryMode};
use crate::time::BoxFuture;
use crate::Config;
use aws_credential_types::provider::{ProvideCredentials as _, SharedCredentialsProvider};
use std::sync::Arc;

#[cfg_attr(docsrs, doc(cfg(feature = "aws-config")))]
impl From<&aws_types::SdkConfig> for Config {
    /// The settings `sdk` has. Its credentials provider is asked through this runtime's
    /// [`CachingProvider`], which keeps what it returns until shortly before expiry, as aws-sdk-rust's identity
    /// cache does.
    fn from(sdk: &aws_types::SdkConfig) -> Config {
        let mut builder = Config::builder();
        if let Some(region) = sdk.region() {
            builder = builder.region(region.as_ref().to_owned());
        }
        if let Some(url) = sdk.endpoint_url() {
            builder = builder.endpoint_url(url);
        }
        if let Some(provider) = sdk.credentials_provider() {
            builder = builder.credentials_provider(CachingProvider::new(Arc::new(AwsConfigCredentials(provider))));
        }
        if let Some(retry) = sdk.retry_config() {
            let mode = match retry.mode() {
                aws_smithy_types::retry::RetryMode::Adaptive => RetryMode::Adaptive,
                _ => RetryMode::Standard,
            };
            builder = builder.retry_config(
                RetryConfig::standard()
                    .with_max_attempts(retry.max_attempts())
                    .with_mode(mode),
            );
        }
        if let Some(timeouts) = sdk.timeout_config() {
            builder = builder.timeout_config(timeouts.clone());
        }
        if let Some(app_name) = sdk.app_name() {
            builder = builder.app_id(app_name.to_string());
        }
        builder.build()
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "aws-config")))]
impl From<aws_types::SdkConfig> for Config {
    fn from(sdk: aws_types::SdkConfig) -> Config {
        Config::from(&sdk)
    }
}

/// An aws-config credentials provider, asked on each fetch (the [`CachingProvider`] around it decides when).
#[derive(Debug)]
struct AwsConfigCredentials(SharedCredentialsProvider);

impl ProvideCredentials for AwsConfigCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let aws = self.0.provide_credentials().await.map_err(|e| {
                CredentialsError::failed(
                    "the aws-config credentials provider",
                    DisplayErrorContext(&e).to_string(),
                )
            })?;
            let credentials = Credentials::new(
                aws.access_key_id(),
                aws.secret_access_key(),
                aws.session_token().map(str::to_owned),
            );
            Ok(match aws.expiry() {
                Some(expiry) => credentials.with_expiry(expiry),
                None => credentials,
            })
        })
    }
}
