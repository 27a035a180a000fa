//! Where each client setting comes from: explicit [`Config`] beats the environment, which beats the selected
//! profile of the shared config files.
//!
//! | setting | code | environment | profile |
//! | --- | --- | --- | --- |
//! | profile | `profile_name` | `AWS_PROFILE` | (`default`) |
//! | region | `region` | `AWS_REGION`, `AWS_DEFAULT_REGION` | `region` |
//! | endpoint URL | `endpoint_url` | `AWS_ENDPOINT_URL_<SVC>`, `AWS_ENDPOINT_URL` | `services` section's `<svc>.endpoint_url`, `endpoint_url` |
//! | ignore configured endpoint URLs | | `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` | `ignore_configured_endpoint_urls` |
//! | FIPS | `use_fips` | `AWS_USE_FIPS_ENDPOINT` | `use_fips_endpoint` |
//! | dual-stack | `use_dual_stack` | `AWS_USE_DUALSTACK_ENDPOINT` | `use_dualstack_endpoint` |
//! | app id | `app_id` | `AWS_SDK_UA_APP_ID` | `sdk_ua_app_id` |
//! | retries | `retry_config` | `AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE` | `max_attempts`, `retry_mode` |
//! | request compression | `disable_request_compression`, `request_min_compression_size_bytes` | `AWS_DISABLE_REQUEST_COMPRESSION`, `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` | |
//! | clock skew correction | `disable_clock_skew_correction` | `AWS_DISABLE_CLOCK_SKEW_CORRECTION` | |
//!
//! When ignoring configured endpoint URLs is on, the environment's and the profile's endpoint URLs are skipped; an
//! endpoint URL set in code still applies. `<SVC>` is the service's endpoint variable suffix (e.g. `EMR`) and
//! `<svc>` the same lower-cased (the key inside a `[services name]` section). The endpoint itself comes from the
//! service's rule set with these settings as its built-ins.

use super::Config;
use crate::compression::{self, CompressionSettings};
use crate::credentials::{DefaultChain, ProvideCredentials};
use crate::endpoint::{BuiltIns, Endpoint, EndpointError};
use crate::env::Env;
use crate::env_config::{configured_endpoint, env_region, flag, parse_bool, ConfigError, ProfileSource};
use crate::operation::ServiceMeta;
use crate::profile::{Profile, ProfileSet};
use crate::retry::{RetryConfig, RetryMode};
use crate::transport::{HttpsTransport, Transport, TransportError, DEFAULT_CONNECT_TIMEOUT};
use std::sync::Arc;

/// What a client needs of its settings, resolved once when it is built (the endpoint's inputs, the app id and the
/// profile's name are consumed here). Errors are kept, not raised: they are reported on the first call that needs
/// the setting. Crate-private, so that the compiler flags a field nothing reads:
///
/// ```compile_fail
/// let _ = lean_aws_runtime::config::resolve::Settings::resolve;
/// ```
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// The shared config and credentials files; empty when they are missing or could not be loaded.
    pub(crate) profiles: Arc<ProfileSet>,
    /// Why the files could not be loaded, if they could not.
    pub(crate) profile_error: Option<ConfigError>,
    /// The region, or why there is none (reported by the first call).
    pub(crate) region: Result<String, ConfigError>,
    /// The endpoint, from the service's rule set, the region, the endpoint URL and the FIPS and dual-stack flags.
    pub(crate) endpoint: Result<Endpoint, EndpointError>,
    /// The user agent: the service's, then `app/<id>` when there is an app id.
    pub(crate) user_agent: String,
    /// Attempts and retry mode.
    pub(crate) retry: Result<RetryConfig, ConfigError>,
    /// Whether and from which size request bodies are compressed.
    pub(crate) compression: Result<CompressionSettings, ConfigError>,
    /// Whether signing times are corrected for clock skew ([`crate::skew`]).
    pub(crate) clock_skew_correction: Result<bool, ConfigError>,
}

impl Settings {
    /// Resolves every setting of a `service` client from `config`, its environment and its profile files.
    pub(crate) fn resolve(service: &ServiceMeta, config: &Config) -> Settings {
        let env = &config.env;
        let profile_name = config
            .profile_name
            .clone()
            .or_else(|| env.get("AWS_PROFILE"))
            .unwrap_or_else(|| "default".to_owned());
        let (profiles, profile_error) = match ProfileSet::load(env, &config.fs) {
            Ok(set) => (set, None),
            Err(e) => (
                ProfileSet::default(),
                Some(ConfigError::Invalid {
                    setting: "shared config files".into(),
                    reason: e.to_string(),
                }),
            ),
        };
        let source = ProfileSource {
            profiles: &profiles,
            name: &profile_name,
            error: profile_error.as_ref(),
        };

        let region = match config.region.clone().or_else(|| env_region(env)) {
            Some(region) => Ok(region),
            None => match source.get("region") {
                Ok(Some(region)) => Ok(region.to_owned()),
                Ok(None) => Err(ConfigError::NoRegion {
                    looked_in: vec![
                        "Config::region".into(),
                        "AWS_REGION".into(),
                        "AWS_DEFAULT_REGION".into(),
                        format!("region in profile {profile_name:?}"),
                    ],
                }),
                Err(e) => Err(e),
            },
        };
        let endpoint_url = match &config.endpoint_url {
            Some(url) => Ok(Some(url.clone())),
            None => configured_endpoint(env, &source, service.env_suffix),
        };
        let use_fips = flag(
            config.use_fips,
            env,
            "AWS_USE_FIPS_ENDPOINT",
            &source,
            "use_fips_endpoint",
        );
        let use_dual_stack = flag(
            config.use_dual_stack,
            env,
            "AWS_USE_DUALSTACK_ENDPOINT",
            &source,
            "use_dualstack_endpoint",
        );
        let endpoint = resolve_endpoint(service, &region, &endpoint_url, &use_fips, &use_dual_stack);
        let app_id = config
            .app_id
            .clone()
            .or_else(|| env.get("AWS_SDK_UA_APP_ID"))
            .or_else(|| source.get("sdk_ua_app_id").ok().flatten().map(str::to_owned))
            .filter(|id| !id.trim().is_empty());
        let user_agent = match &app_id {
            Some(id) => format!("{} app/{}", service.user_agent, sanitize_app_id(id)),
            None => service.user_agent.to_owned(),
        };
        let retry = resolve_retry_config(config.retry_config, env, source.profile());
        let compression = compression_settings(config);
        let clock_skew_correction = match config.disable_clock_skew_correction {
            Some(disabled) => Ok(!disabled),
            None => {
                let name = "AWS_DISABLE_CLOCK_SKEW_CORRECTION";
                parse_bool(name, env.get(name).as_deref()).map(|disabled| !disabled.unwrap_or(false))
            }
        };

        Settings {
            profiles: Arc::new(profiles),
            profile_error,
            region,
            endpoint,
            user_agent,
            retry,
            compression,
            clock_skew_correction,
        }
    }

    /// The credentials provider: the one `config` sets, else the default chain over these settings (the same
    /// environment, files, profile, region and clock).
    pub(crate) fn credentials_provider(&self, config: &Config) -> Arc<dyn ProvideCredentials> {
        if let Some(provider) = &config.credentials {
            return provider.clone();
        }
        let mut chain = DefaultChain::new(config.env.clone())
            .fs(config.fs.clone())
            .profiles_or_error(
                self.profiles.clone(),
                self.profile_error.as_ref().map(ToString::to_string),
            )
            .clock(config.clock.clone());
        if let Some(name) = &config.profile_name {
            chain = chain.profile_name(name.clone());
        }
        if let Ok(region) = &self.region {
            chain = chain.region(region.clone());
        }
        Arc::new(chain.build())
    }
}

/// The transport `config` sets, else an [`HttpsTransport`] with its connect and read timeouts and body limit, and
/// the proxies its environment names. Fails only when TLS cannot be set up
/// ([`HttpsTransportBuilder::build`](crate::transport::HttpsTransportBuilder::build)).
pub fn transport(config: &Config) -> Result<Arc<dyn Transport>, TransportError> {
    if let Some(transport) = &config.transport {
        return Ok(transport.clone());
    }
    let mut builder = HttpsTransport::builder()
        .connect_timeout(config.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
        .max_response_body_size(config.max_response_body_size)
        .proxy_env(config.env.clone());
    if let Some(read) = config.read_timeout {
        builder = builder.read_timeout(read);
    }
    Ok(Arc::new(builder.build()?))
}

/// The endpoint from the service's rule set, with the settings as its built-ins; an unusable setting is an
/// endpoint error naming it. A missing region is left to the rule set, which may not need one.
fn resolve_endpoint(
    service: &ServiceMeta,
    region: &Result<String, ConfigError>,
    endpoint_url: &Result<Option<String>, ConfigError>,
    use_fips: &Result<bool, ConfigError>,
    use_dual_stack: &Result<bool, ConfigError>,
) -> Result<Endpoint, EndpointError> {
    let invalid = |e: &ConfigError| EndpointError { message: e.to_string() };
    let builtins = BuiltIns {
        region: region.as_ref().ok().cloned(),
        use_fips: *use_fips.as_ref().map_err(invalid)?,
        use_dual_stack: *use_dual_stack.as_ref().map_err(invalid)?,
        endpoint: endpoint_url.as_ref().map_err(invalid)?.clone(),
    };
    service.resolver()?.resolve(&builtins)
}

/// User-agent token characters (RFC 9110 `tchar`) are kept; anything else becomes `-`.
fn sanitize_app_id(id: &str) -> String {
    id.trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The retry settings a client uses. Each setting comes from the first place that has it: `explicit` (set in
/// code, both settings at once), then the environment (`AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE`), then `profile`
/// (`max_attempts`, `retry_mode`), then the defaults (3 attempts, standard).
///
/// `profile` is the selected profile, or `None` when there is none (or no files). A number of attempts that is not
/// a whole number from 1 up, or a mode other than `standard`, `legacy` or `adaptive`, is a
/// [`ConfigError::Invalid`] naming the variable or the profile key it came from.
pub fn resolve_retry_config(
    explicit: Option<RetryConfig>,
    env: &Env,
    profile: Option<&Profile>,
) -> Result<RetryConfig, ConfigError> {
    if let Some(retry) = explicit {
        return Ok(retry);
    }
    let lookup = |var: &str, key: &str| {
        env.get(var).map(|v| (var.to_owned(), v)).or_else(|| {
            let p = profile?;
            let value = p.get(key).filter(|v| !v.trim().is_empty())?;
            Some((format!("{key} in profile {:?}", p.name()), value.to_owned()))
        })
    };
    let mut retry = RetryConfig::default();
    if let Some((setting, value)) = lookup("AWS_MAX_ATTEMPTS", "max_attempts") {
        retry.max_attempts = match value.trim().parse::<u32>() {
            Ok(n) if n >= 1 => n,
            _ => {
                return Err(ConfigError::Invalid {
                    setting,
                    reason: format!("expected a whole number of attempts, 1 or more, got {value:?}"),
                })
            }
        };
    }
    if let Some((setting, value)) = lookup("AWS_RETRY_MODE", "retry_mode") {
        retry.mode = value.parse::<RetryMode>().map_err(|e| ConfigError::Invalid {
            setting,
            reason: e.to_string(),
        })?;
    }
    Ok(retry)
}

/// Request compression: `disable_request_compression`, else `AWS_DISABLE_REQUEST_COMPRESSION`, else on; the
/// threshold from `request_min_compression_size_bytes`, else `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`, else
/// 10240 bytes, and at most 10485760.
fn compression_settings(config: &Config) -> Result<CompressionSettings, ConfigError> {
    let env = &config.env;
    let disabled = match config.disable_request_compression {
        Some(disabled) => disabled,
        None => {
            let name = "AWS_DISABLE_REQUEST_COMPRESSION";
            parse_bool(name, env.get(name).as_deref())?.unwrap_or(false)
        }
    };
    let (setting, min_size_bytes) = match config.request_min_compression_size_bytes {
        Some(bytes) => ("Config::request_min_compression_size_bytes", Some(bytes)),
        None => {
            let name = "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES";
            let bytes = env
                .get(name)
                .map(|v| {
                    v.trim().parse::<u32>().map_err(|_| ConfigError::Invalid {
                        setting: name.to_owned(),
                        reason: format!("expected a whole number of bytes, got {v:?}"),
                    })
                })
                .transpose()?;
            (name, bytes)
        }
    };
    let min_size_bytes = min_size_bytes.unwrap_or(compression::DEFAULT_MIN_SIZE_BYTES);
    if min_size_bytes > compression::MAX_MIN_SIZE_BYTES {
        return Err(ConfigError::Invalid {
            setting: setting.to_owned(),
            reason: format!(
                "must be at most {} bytes, got {min_size_bytes}",
                compression::MAX_MIN_SIZE_BYTES
            ),
        });
    }
    Ok(CompressionSettings {
        disabled,
        min_size_bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_ids_are_made_into_one_token() {
        assert_eq!(sanitize_app_id(" my app/1.0 "), "my-app-1.0");
        assert_eq!(sanitize_app_id("a_b~c"), "a_b~c");
    }
}
