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
//! | retries | (see the retry settings) | `AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE` | `max_attempts`, `retry_mode` |
//!
//! When ignoring configured endpoint URLs is on, the environment's and the profile's endpoint URLs are skipped; an
//! endpoint URL set in code still applies. `<SVC>` is the service's endpoint variable suffix (e.g. `EMR`) and
//! `<svc>` the same lower-cased (the key inside a `[services name]` section).

use super::{Config, ConfigError};
use crate::client::ServiceMeta;
use crate::env::Env;
use crate::profile::{Profile, ProfileSet};
use std::sync::Arc;

/// Every setting of a client, resolved once when it is built. Errors are kept, not raised: they are reported on
/// the first call that needs the setting.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The selected profile: `Config::profile_name`, else `AWS_PROFILE`, else `default`.
    pub profile_name: String,
    /// True when the profile was named (in code or by `AWS_PROFILE`) rather than defaulted: then a missing
    /// profile is an error for credentials.
    pub profile_named: bool,
    /// The shared config and credentials files; empty when they are missing or could not be loaded.
    pub profiles: Arc<ProfileSet>,
    /// Why the files could not be loaded, if they could not.
    pub profile_error: Option<ConfigError>,
    /// The region.
    pub region: Result<String, ConfigError>,
    /// The endpoint URL overriding the rule set's, if any.
    pub endpoint_url: Result<Option<String>, ConfigError>,
    /// Use FIPS endpoints.
    pub use_fips: Result<bool, ConfigError>,
    /// Use dual-stack endpoints.
    pub use_dual_stack: Result<bool, ConfigError>,
    /// The application id appended to the user agent as `app/<id>`.
    pub app_id: Option<String>,
}

impl Settings {
    /// Resolves every setting of a `service` client from `config`, its environment and its profile files.
    pub fn resolve(service: &ServiceMeta, config: &Config) -> Settings {
        let env = &config.env;
        let named = config.profile_name.clone().or_else(|| env.get("AWS_PROFILE"));
        let profile_named = named.is_some();
        let profile_name = named.unwrap_or_else(|| "default".to_owned());
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
        let app_id = config
            .app_id
            .clone()
            .or_else(|| env.get("AWS_SDK_UA_APP_ID"))
            .or_else(|| source.get("sdk_ua_app_id").ok().flatten().map(str::to_owned))
            .filter(|id| !id.trim().is_empty());

        Settings {
            profile_name,
            profile_named,
            profiles: Arc::new(profiles),
            profile_error,
            region,
            endpoint_url,
            use_fips,
            use_dual_stack,
            app_id,
        }
    }

    /// The user agent for a service whose own is `base` (e.g. `lean-emr/0.1.0`): `base app/<id>` with an app id.
    pub fn user_agent(&self, base: &str) -> String {
        match &self.app_id {
            Some(id) => format!("{base} app/{}", sanitize_app_id(id)),
            None => base.to_owned(),
        }
    }
}

/// `AWS_REGION`, else `AWS_DEFAULT_REGION`.
pub(crate) fn env_region(env: &Env) -> Option<String> {
    env.get("AWS_REGION").or_else(|| env.get("AWS_DEFAULT_REGION"))
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

/// The selected profile, for reading settings.
pub(crate) struct ProfileSource<'a> {
    pub(crate) profiles: &'a ProfileSet,
    pub(crate) name: &'a str,
    /// Set when the files could not be loaded: every profile lookup reports it.
    pub(crate) error: Option<&'a ConfigError>,
}

impl ProfileSource<'_> {
    fn profile(&self) -> Option<&Profile> {
        self.profiles.profile(self.name)
    }

    /// The selected profile's `key`; an error when the files could not be loaded.
    fn get(&self, key: &str) -> Result<Option<&str>, ConfigError> {
        if let Some(e) = self.error {
            return Err(e.clone());
        }
        Ok(self.profile().and_then(|p| p.get(key)))
    }

    /// `<service_key>.<sub>` in the `[services]` section the selected profile's `services` names.
    fn service_setting(&self, service_key: &str, sub: &str) -> Result<Option<&str>, ConfigError> {
        let Some(section) = self.get("services")? else {
            return Ok(None);
        };
        Ok(self
            .profiles
            .services(section)
            .and_then(|s| s.sub_property(service_key, sub)))
    }

    /// A boolean `key`; `setting` names it in errors.
    fn get_bool(&self, key: &str) -> Result<Option<bool>, ConfigError> {
        let setting = format!("{key} in profile {:?}", self.name);
        parse_bool(&setting, self.get(key)?)
    }
}

/// The endpoint URL configured outside code for the service with endpoint variable suffix `env_suffix` (e.g. `EMR`,
/// `STS`): `AWS_ENDPOINT_URL_<SVC>`, `AWS_ENDPOINT_URL`, the profile's services section, the profile's
/// `endpoint_url`; none at all when configured endpoint URLs are ignored.
pub(crate) fn configured_endpoint(
    env: &Env,
    profile: &ProfileSource<'_>,
    env_suffix: &str,
) -> Result<Option<String>, ConfigError> {
    let ignore = match parse_bool(
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").as_deref(),
    )? {
        Some(on) => on,
        None => profile.get_bool("ignore_configured_endpoint_urls")?.unwrap_or(false),
    };
    if ignore {
        return Ok(None);
    }
    if let Some(url) = env
        .get(&format!("AWS_ENDPOINT_URL_{env_suffix}"))
        .or_else(|| env.get("AWS_ENDPOINT_URL"))
    {
        return Ok(Some(url));
    }
    let service_key = env_suffix.to_ascii_lowercase();
    if let Some(url) = profile.service_setting(&service_key, "endpoint_url")? {
        return Ok(Some(url.to_owned()));
    }
    Ok(profile.get("endpoint_url")?.map(str::to_owned))
}

/// A boolean setting: `explicit`, else the variable `var`, else the profile's `key`, else false.
fn flag(
    explicit: Option<bool>,
    env: &Env,
    var: &str,
    profile: &ProfileSource<'_>,
    key: &str,
) -> Result<bool, ConfigError> {
    if let Some(on) = explicit {
        return Ok(on);
    }
    if let Some(on) = parse_bool(var, env.get(var).as_deref())? {
        return Ok(on);
    }
    Ok(profile.get_bool(key)?.unwrap_or(false))
}

/// `true` / `false` (any case); `setting` names the value's origin in the error.
pub(crate) fn parse_bool(setting: &str, value: Option<&str>) -> Result<Option<bool>, ConfigError> {
    match value {
        None => Ok(None),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(v) => Err(ConfigError::Invalid {
            setting: setting.to_owned(),
            reason: format!("expected true or false, got {v:?}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_ids_are_made_into_one_token() {
        assert_eq!(sanitize_app_id(" my app/1.0 "), "my-app-1.0");
        assert_eq!(sanitize_app_id("a_b~c"), "a_b~c");
    }

    #[test]
    fn booleans_name_their_origin() {
        assert_eq!(parse_bool("X", Some("TRUE")), Ok(Some(true)));
        assert_eq!(parse_bool("X", None), Ok(None));
        let err = parse_bool("X", Some("yes")).unwrap_err();
        assert_eq!(err.to_string(), "invalid X: expected true or false, got \"yes\"");
    }
}
