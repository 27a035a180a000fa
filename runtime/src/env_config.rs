//! Reading one setting: from the environment, then from the selected profile of the shared config files; and
//! [`ConfigError`], what an unusable setting is.
//!
//! The layer below both the client's settings ([`crate::config::resolve`]) and the credential providers that
//! call AWS services of their own (STS, the SSO portal, SSO-OIDC), so that they find their endpoints the same way
//! and neither depends on the other.

use crate::env::Env;
use crate::profile::{Profile, ProfileSet};
use std::fmt;

/// The client cannot be used as configured. Kept when the client is built and returned by the first call that
/// needs the setting ([`SdkError::Config`](crate::SdkError::Config)); nothing is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No region in code, the environment or the selected profile.
    NoRegion {
        /// Every place that was checked, in order: `Config::region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the
        /// profile's `region`.
        looked_in: Vec<String>,
    },
    /// A setting has a value that cannot be used.
    Invalid {
        /// Which setting, and where it came from (e.g. `AWS_USE_FIPS_ENDPOINT`).
        setting: String,
        /// What is wrong, e.g. the value and the values that are accepted.
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

/// `AWS_REGION`, else `AWS_DEFAULT_REGION`.
pub(crate) fn env_region(env: &Env) -> Option<String> {
    env.get("AWS_REGION").or_else(|| env.get("AWS_DEFAULT_REGION"))
}

/// The selected profile, for reading settings.
pub(crate) struct ProfileSource<'a> {
    pub(crate) profiles: &'a ProfileSet,
    pub(crate) name: &'a str,
    /// Set when the files could not be loaded: every profile lookup reports it.
    pub(crate) error: Option<&'a ConfigError>,
}

impl ProfileSource<'_> {
    /// The selected profile, if it exists.
    pub(crate) fn profile(&self) -> Option<&Profile> {
        self.profiles.profile(self.name)
    }

    /// The selected profile's `key`; an error when the files could not be loaded.
    pub(crate) fn get(&self, key: &str) -> Result<Option<&str>, ConfigError> {
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

    /// A boolean `key`, named with the profile in errors.
    pub(crate) fn get_bool(&self, key: &str) -> Result<Option<bool>, ConfigError> {
        let setting = format!("{key} in profile {:?}", self.name);
        parse_bool(&setting, self.get(key)?)
    }
}

/// The endpoint URL configured outside code for the service with endpoint variable suffix `env_suffix` (e.g. `EMR`,
/// `STS`, `SSO_OIDC`): `AWS_ENDPOINT_URL_<SVC>`, `AWS_ENDPOINT_URL`, the profile's services section (key `<svc>`,
/// the suffix lower-cased), the profile's `endpoint_url`; none at all when configured endpoint URLs are ignored.
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
pub(crate) fn flag(
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
    fn booleans_name_their_origin() {
        assert_eq!(parse_bool("X", Some("TRUE")), Ok(Some(true)));
        assert_eq!(parse_bool("X", None), Ok(None));
        let err = parse_bool("X", Some("yes")).unwrap_err();
        assert_eq!(err.to_string(), "invalid X: expected true or false, got \"yes\"");
    }

    #[test]
    fn service_endpoints_come_from_the_variable_then_the_services_section() {
        let config = "[default]\nservices = local\n[services local]\nsso_oidc =\n  endpoint_url = http://oidc.local\n";
        let profiles = ProfileSet::parse(Some(config), None).unwrap();
        let source = ProfileSource {
            profiles: &profiles,
            name: "default",
            error: None,
        };
        let none = Env::from_pairs::<&str, &str>([]);
        assert_eq!(
            configured_endpoint(&none, &source, "SSO_OIDC"),
            Ok(Some("http://oidc.local".into()))
        );
        assert_eq!(configured_endpoint(&none, &source, "SSO"), Ok(None));
        let env = Env::from_pairs([("AWS_ENDPOINT_URL_SSO_OIDC", "http://env.local")]);
        assert_eq!(
            configured_endpoint(&env, &source, "SSO_OIDC"),
            Ok(Some("http://env.local".into()))
        );
    }
}
