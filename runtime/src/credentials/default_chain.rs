//! The default credentials chain: what a client uses when no credentials are set in code.
//!
//! In order, the first source that is configured wins (a configured source that fails stops the chain):
//!
//! 1. the environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`;
//! 2. the selected profile (`AWS_PROFILE`, else `default`) of the shared config and credentials files:
//!    - `role_arn` with `web_identity_token_file`, `source_profile` (followed recursively; cycles are an error) or
//!      `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`), assumed through STS;
//!    - SSO: `sso_session` (with an `[sso-session]` section) or `sso_start_url` + `sso_region`, with
//!      `sso_account_id` and `sso_role_name`, through the token `aws sso login` cached ([`super::sso`]);
//!    - `credential_process`;
//!    - `aws_access_key_id` + `aws_secret_access_key` (+ `aws_session_token`);
//!    - a profile named by `AWS_PROFILE` (or in code) that does not exist is an error;
//! 3. web identity from `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`;
//! 4. the container credentials endpoint (ECS, EKS Pod Identity);
//! 5. the EC2 instance metadata service.
//!
//! STS calls go to `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, the profile's `services` section (`sts` →
//! `endpoint_url`) or its `endpoint_url`, unless configured endpoint URLs are ignored; their region is the client's,
//! else `AWS_REGION` / `AWS_DEFAULT_REGION`, else the profile's `region`. SSO calls find their endpoints the same
//! way (`AWS_ENDPOINT_URL_SSO`, `AWS_ENDPOINT_URL_SSO_OIDC`, `services` keys `sso`, `sso_oidc`); their region is
//! the profile's `sso_region`. The whole chain is wrapped in a
//! [`CachingProvider`]. When no source is configured, the error lists each source and why it did not apply.

use super::sso::{SsoProvider, SsoSettings};
use super::sts::StsClient;
use super::web_identity::WebIdentityProvider;
use super::{
    AssumeRoleProvider, CachingProvider, ContainerProvider, Credentials, CredentialsChain, CredentialsError,
    EnvironmentProvider, ImdsProvider, ProcessProvider, ProvideCredentials,
};
use crate::clock::{Clock, SystemClock};
use crate::env::Env;
use crate::env_config::{configured_endpoint, env_region, ProfileSource};
use crate::profile::{Fs, Profile, ProfileSet};
use crate::time::BoxFuture;
use crate::transport::Transport;
use std::sync::Arc;
use std::time::Duration;

/// The default chain over `env` and `profiles`, cached. See [`DefaultChain`] for more control.
pub fn default_provider(env: &Env, profiles: &ProfileSet) -> CachingProvider {
    DefaultChain::new(env.clone()).profiles(profiles.clone()).build()
}

/// Builds the default credentials chain (see the module docs).
#[derive(Debug, Clone)]
pub struct DefaultChain {
    env: Env,
    fs: Fs,
    profiles: Option<Arc<ProfileSet>>,
    profile_error: Option<String>,
    profile_name: Option<String>,
    region: Option<String>,
    sts_transport: Option<Arc<dyn Transport>>,
    sso_transport: Option<Arc<dyn Transport>>,
    clock: Arc<dyn Clock>,
}

impl DefaultChain {
    /// A chain reading `env`, the real file system and the system clock.
    pub fn new(env: Env) -> Self {
        DefaultChain {
            env,
            fs: Fs::real(),
            profiles: None,
            profile_error: None,
            profile_name: None,
            region: None,
            sts_transport: None,
            sso_transport: None,
            clock: Arc::new(SystemClock),
        }
    }

    /// Reads the shared config files through `fs` (unless [`DefaultChain::profiles`] gives them).
    pub fn fs(mut self, fs: Fs) -> Self {
        self.fs = fs;
        self
    }

    /// Uses these profiles instead of loading the files.
    pub fn profiles(mut self, profiles: ProfileSet) -> Self {
        self.profiles = Some(Arc::new(profiles));
        self
    }

    /// The files could not be loaded: the profile source fails with `reason`.
    pub(crate) fn profiles_or_error(mut self, profiles: Arc<ProfileSet>, error: Option<String>) -> Self {
        self.profiles = Some(profiles);
        self.profile_error = error;
        self
    }

    /// Selects this profile instead of `AWS_PROFILE` / `default`.
    pub fn profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile_name = Some(name.into());
        self
    }

    /// The region of STS calls, instead of `AWS_REGION` / `AWS_DEFAULT_REGION` / the profile's `region`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends STS calls through `transport` instead of the default
    /// [`HttpsTransport`](crate::transport::HttpsTransport).
    pub fn sts_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.sts_transport = Some(transport);
        self
    }

    /// Sends SSO portal and SSO-OIDC calls through `transport` instead of the default
    /// [`HttpsTransport`](crate::transport::HttpsTransport).
    pub fn sso_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.sso_transport = Some(transport);
        self
    }

    /// Reads the time (STS signing, session names, SSO token expiry, cache expiry) from `clock`.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The STS client profile and web identity sources call, or why the endpoint settings are unusable.
    fn sts(&self, profiles: &ProfileSet, name: &str) -> Result<StsClient, String> {
        let env = &self.env;
        let source = ProfileSource {
            profiles,
            name,
            error: None,
        };
        let endpoint = configured_endpoint(env, &source, "STS").map_err(|e| e.to_string())?;
        let region = self
            .region
            .clone()
            .or_else(|| env_region(env))
            .or_else(|| profiles.profile(name).and_then(|p| p.get("region")).map(str::to_owned));
        let mut sts = StsClient::new(region)
            .with_clock(self.clock.clone())
            .with_proxy_env(env.clone());
        if let Some(endpoint) = endpoint {
            sts = sts.with_endpoint(endpoint);
        }
        if let Some(transport) = &self.sts_transport {
            sts = sts.with_transport(transport.clone());
        }
        Ok(sts)
    }

    /// The profiles (loaded now unless given), why they could not be loaded, the selected profile's name and
    /// whether it was named rather than defaulted.
    fn selection(&self) -> (Arc<ProfileSet>, Option<String>, String, bool) {
        let env = &self.env;
        let (profiles, profile_error) = match (&self.profiles, &self.profile_error) {
            (Some(p), error) => (p.clone(), error.clone()),
            (None, _) => match ProfileSet::load(env, &self.fs) {
                Ok(p) => (Arc::new(p), None),
                Err(e) => (Arc::new(ProfileSet::default()), Some(e.to_string())),
            },
        };
        let named = self.profile_name.clone().or_else(|| env.get("AWS_PROFILE"));
        let is_named = named.is_some();
        let name = named.unwrap_or_else(|| "default".to_owned());
        (profiles, profile_error, name, is_named)
    }

    /// The profile source alone (step 2 of the chain), uncached.
    pub fn build_profile_provider(&self) -> Arc<dyn ProvideCredentials> {
        let (profiles, profile_error, name, is_named) = self.selection();
        let sts = self.sts(&profiles, &name);
        self.profile_provider(&profiles, profile_error, &name, is_named, &sts)
    }

    fn profile_provider(
        &self,
        profiles: &ProfileSet,
        profile_error: Option<String>,
        name: &str,
        is_named: bool,
        sts: &Result<StsClient, String>,
    ) -> Arc<dyn ProvideCredentials> {
        let source = ProfileSource {
            profiles,
            name,
            error: None,
        };
        let endpoint = |suffix: &str| configured_endpoint(&self.env, &source, suffix).map_err(|e| e.to_string());
        let sso = SsoSetup {
            portal_endpoint: endpoint("SSO"),
            oidc_endpoint: endpoint("SSO_OIDC"),
            transport: self.sso_transport.clone(),
        };
        let ctx = Context {
            env: &self.env,
            profiles,
            sts,
            sso: &sso,
            clock: &self.clock,
        };
        Arc::new(ProfileProvider::new(&ctx, name, is_named, profile_error))
    }

    /// The chain without its cache: every call asks the sources again, in the order of the module docs. For a
    /// client, prefer [`build`](Self::build).
    pub fn build_chain(&self) -> CredentialsChain {
        let env = &self.env;
        let (profiles, profile_error, name, is_named) = self.selection();
        let sts = self.sts(&profiles, &name);
        let profile = self.profile_provider(&profiles, profile_error, &name, is_named, &sts);
        let mut web_identity = WebIdentityProvider::from_env(env.clone()).with_clock(self.clock.clone());
        if let Ok(sts) = sts {
            web_identity = web_identity.with_sts(sts);
        }
        CredentialsChain::new()
            .or_else(EnvironmentProvider::new(env.clone()))
            .or_else_shared(profile)
            .or_else(web_identity)
            .or_else(ContainerProvider::from_env(env.clone()))
            .or_else(ImdsProvider::from_env(env.clone()))
    }

    /// The chain, cached until shortly before the credentials expire.
    pub fn build(self) -> CachingProvider {
        let clock = self.clock.clone();
        CachingProvider::new(Arc::new(self.build_chain())).with_clock(clock)
    }
}

/// What building a profile's provider needs.
struct Context<'a> {
    env: &'a Env,
    profiles: &'a ProfileSet,
    sts: &'a Result<StsClient, String>,
    sso: &'a SsoSetup,
    clock: &'a Arc<dyn Clock>,
}

/// Where SSO providers send their calls: configured endpoints (or why they are unusable), and a transport.
struct SsoSetup {
    portal_endpoint: Result<Option<String>, String>,
    oidc_endpoint: Result<Option<String>, String>,
    transport: Option<Arc<dyn Transport>>,
}

impl Context<'_> {
    /// The provider for a profile's SSO settings.
    fn sso_provider(&self, settings: SsoSettings) -> Result<SsoProvider, String> {
        let mut provider = SsoProvider::new(settings, self.env).with_clock(self.clock.clone());
        if let Some(endpoint) = self.sso.portal_endpoint.clone()? {
            provider = provider.with_portal_endpoint(endpoint);
        }
        if let Some(endpoint) = self.sso.oidc_endpoint.clone()? {
            provider = provider.with_oidc_endpoint(endpoint);
        }
        if let Some(transport) = &self.sso.transport {
            provider = provider.with_transport(transport.clone());
        }
        Ok(provider)
    }
}

/// Credentials from the selected profile, worked out once from the files.
#[derive(Debug)]
struct ProfileProvider {
    resolved: Result<Arc<dyn ProvideCredentials>, CredentialsError>,
}

impl ProfileProvider {
    fn new(ctx: &Context<'_>, name: &str, is_named: bool, file_error: Option<String>) -> Self {
        let source = profile_source(name);
        let resolved = if let Some(error) = file_error {
            Err(CredentialsError::failed(source, error))
        } else if ctx.profiles.profile(name).is_none() {
            if is_named {
                Err(CredentialsError::failed(
                    source,
                    "the profile does not exist in the shared config and credentials files",
                ))
            } else {
                Err(CredentialsError::not_configured(
                    source,
                    "no such profile in the shared config and credentials files",
                ))
            }
        } else {
            resolve(ctx, name, &mut Vec::new())
        };
        ProfileProvider { resolved }
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        match &self.resolved {
            Ok(provider) => provider.provide_credentials(),
            Err(e) => {
                let e = e.clone();
                Box::pin(async move { Err(e) })
            }
        }
    }
}

fn profile_source(name: &str) -> String {
    format!("profile {name:?}")
}

/// The provider for profile `name`; `visited` holds the profiles that led here through `source_profile`.
fn resolve(
    ctx: &Context<'_>,
    name: &str,
    visited: &mut Vec<String>,
) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
    let source = profile_source(name);
    let fail = |reason: String| CredentialsError::failed(profile_source(name), reason);
    if visited.iter().any(|v| v == name) {
        let path: Vec<&str> = visited.iter().map(String::as_str).chain([name]).collect();
        return Err(CredentialsError::failed(
            profile_source(&visited[0]),
            format!("source_profile forms a cycle: {}", path.join(" -> ")),
        ));
    }
    let Some(profile) = ctx.profiles.profile(name) else {
        let parent = visited.last().map_or(name, String::as_str);
        return Err(CredentialsError::failed(
            profile_source(parent),
            format!("source_profile {name:?} does not exist"),
        ));
    };
    visited.push(name.to_owned());

    if let Some(role_arn) = profile.get("role_arn") {
        if let Some(token_file) = profile.get("web_identity_token_file") {
            let mut provider = WebIdentityProvider::new(token_file, role_arn, ctx.sts.clone().map_err(fail)?)
                .with_clock(ctx.clock.clone());
            if let Some(session) = profile.get("role_session_name") {
                provider = provider.with_session_name(session);
            }
            return Ok(Arc::new(provider));
        }
        let base: Arc<dyn ProvideCredentials> = match (profile.get("source_profile"), profile.get("credential_source"))
        {
            (Some(_), Some(_)) => {
                return Err(fail(
                    "both source_profile and credential_source are set; use one of them".into(),
                ))
            }
            (Some(parent), None) if parent == name => match static_keys(profile, &source)? {
                Some(creds) => Arc::new(creds),
                None => {
                    return Err(fail(
                        "source_profile names the profile itself, but it has no static keys".into(),
                    ))
                }
            },
            (Some(parent), None) => resolve(ctx, parent, visited)?,
            (None, Some(credential_source)) => named_source(ctx, credential_source).map_err(fail)?,
            (None, None) => {
                return Err(fail(
                    "role_arn is set without source_profile, credential_source or web_identity_token_file".into(),
                ))
            }
        };
        let mut provider =
            AssumeRoleProvider::new(role_arn, base, ctx.sts.clone().map_err(fail)?).with_clock(ctx.clock.clone());
        if let Some(session) = profile.get("role_session_name") {
            provider = provider.with_session_name(session);
        }
        if let Some(external_id) = profile.get("external_id") {
            provider = provider.with_external_id(external_id);
        }
        if let Some(duration) = profile.get("duration_seconds") {
            let secs: u64 = duration.trim().parse().map_err(|_| {
                fail(format!(
                    "duration_seconds {duration:?} is not a whole number of seconds"
                ))
            })?;
            provider = provider.with_duration(Duration::from_secs(secs));
        }
        return Ok(Arc::new(provider));
    }

    if let Some(settings) = SsoSettings::from_profile(ctx.profiles, name).map_err(CredentialsError::Sso)? {
        return Ok(Arc::new(ctx.sso_provider(settings).map_err(fail)?));
    }
    if let Some(command) = profile.get("credential_process") {
        return Ok(Arc::new(ProcessProvider::new(command)));
    }
    if let Some(creds) = static_keys(profile, &source)? {
        return Ok(Arc::new(creds));
    }
    if visited.len() > 1 {
        return Err(fail(format!(
            "the profile has no credentials, but profile {:?} uses it as source_profile",
            visited[visited.len() - 2]
        )));
    }
    Err(CredentialsError::not_configured(
        source,
        "the profile has no credentials",
    ))
}

/// `aws_access_key_id` and `aws_secret_access_key` (+ `aws_session_token`), if the profile has them.
fn static_keys(profile: &Profile, source: &str) -> Result<Option<Credentials>, CredentialsError> {
    match (profile.get("aws_access_key_id"), profile.get("aws_secret_access_key")) {
        (Some(id), Some(secret)) => Ok(Some(Credentials::new(
            id,
            secret,
            profile.get("aws_session_token").map(str::to_owned),
        ))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(CredentialsError::failed(
            source,
            "aws_access_key_id is set but aws_secret_access_key is not",
        )),
        (None, Some(_)) => Err(CredentialsError::failed(
            source,
            "aws_secret_access_key is set but aws_access_key_id is not",
        )),
    }
}

/// The provider a `credential_source` names.
fn named_source(ctx: &Context<'_>, name: &str) -> Result<Arc<dyn ProvideCredentials>, String> {
    match name {
        "Environment" => Ok(Arc::new(EnvironmentProvider::new(ctx.env.clone()))),
        "Ec2InstanceMetadata" => Ok(Arc::new(ImdsProvider::from_env(ctx.env.clone()))),
        "EcsContainer" => Ok(Arc::new(ContainerProvider::from_env(ctx.env.clone()))),
        other => Err(format!(
            "credential_source {other:?} is not one of Environment, Ec2InstanceMetadata, EcsContainer"
        )),
    }
}
