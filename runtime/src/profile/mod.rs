//! The shared config and credentials files (`~/.aws/config`, `~/.aws/credentials`), read as the AWS SDKs read them.
//!
//! ```
//! use lean_aws_runtime::profile::ProfileSet;
//!
//! let config = "[profile dev]\nregion = eu-west-1\ns3 =\n  addressing_style = path\n";
//! let credentials = "[dev]\naws_access_key_id = AKIDEXAMPLE\nregion = us-east-2\n";
//! let profiles = ProfileSet::parse(Some(config), Some(credentials)).unwrap();
//! let dev = profiles.profile("dev").unwrap();
//! assert_eq!(dev.get("region"), Some("us-east-2")); // the credentials file wins
//! assert_eq!(dev.sub_property("s3", "addressing_style"), Some("path"));
//! ```
//!
//! The rules are those of the shared test suite the SDKs run (vendored in `tests/vendor/aws-runtime`):
//!
//! - config sections are `[profile name]`, `[default]`, `[sso-session name]` and `[services name]`; credentials
//!   sections are plain `[name]`. Other sections, and names outside `[A-Za-z0-9_\-/.%@:+]`, are ignored.
//! - `[profile default]` replaces `[default]` in the config file; sections met twice are merged, the later value
//!   winning; for the same profile and key the credentials file wins over the config file.
//! - property keys are case-insensitive (stored lower-cased); profile names are not.
//! - `#` and `;` start a comment at the start of a line, after a section header, or after whitespace in a property.
//! - an indented line continues the previous property; after an empty value (`s3 =`) the indented lines are
//!   `key = value` sub-properties.

mod files;
mod parse;

pub use files::{FileLocations, Fs, Platform};

use crate::env::Env;
use parse::{parse_file, split_property, RawSection, WHITESPACE};
use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::PathBuf;

/// Everything the two files define: profiles, `[sso-session]` sections and `[services]` sections.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Section>,
    sso_sessions: BTreeMap<String, Section>,
    services: BTreeMap<String, Section>,
}

/// A profile: one named section of properties.
pub type Profile = Section;

/// One named section of properties: a profile, an sso-session or a services section.
#[derive(Clone, PartialEq, Eq)]
pub struct Section {
    name: String,
    properties: BTreeMap<String, String>,
}

/// Why the profile files could not be loaded.
#[derive(Debug)]
#[non_exhaustive]
pub enum ProfileFileError {
    /// A line breaks the file format.
    Parse {
        /// The file, as a path or as `config file` / `credentials file` for text given to [`ProfileSet::parse`].
        path: String,
        /// The line that breaks the format, counted from 1.
        line: usize,
        /// What is wrong, e.g. `Expected an '=' sign defining a property`.
        message: String,
    },
    /// The file exists but could not be read.
    Read {
        /// The file, as [`FileLocations`] found it.
        path: PathBuf,
        /// The I/O error reading it gave (not `NotFound`: a missing file counts as empty).
        source: io::Error,
    },
}

impl fmt::Display for ProfileFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfileFileError::Parse { path, line, message } => {
                write!(f, "error parsing {path} on line {line}: {message}")
            }
            ProfileFileError::Read { path, source } => {
                write!(f, "could not read {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for ProfileFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ProfileFileError::Read { source, .. } => Some(source),
            ProfileFileError::Parse { .. } => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Config,
    Credentials,
}

impl ProfileSet {
    /// Reads the files `env` points at ([`FileLocations::from_env`]) through `fs`.
    ///
    /// A missing file counts as empty; a file that exists but cannot be read, or does not parse, is an error.
    pub fn load(env: &Env, fs: &Fs) -> Result<ProfileSet, ProfileFileError> {
        let locations = FileLocations::from_env(env);
        let read = |path: &PathBuf| {
            fs.read(path).map_err(|source| ProfileFileError::Read {
                path: path.clone(),
                source,
            })
        };
        let config = read(&locations.config)?;
        let credentials = read(&locations.credentials)?;
        let mut set = ProfileSet::default();
        if let Some(text) = &config {
            set.merge(text, &locations.config.display().to_string(), FileKind::Config)?;
        }
        if let Some(text) = &credentials {
            set.merge(
                text,
                &locations.credentials.display().to_string(),
                FileKind::Credentials,
            )?;
        }
        Ok(set)
    }

    /// Parses file contents directly; errors name the files `config file` and `credentials file`.
    pub fn parse(config: Option<&str>, credentials: Option<&str>) -> Result<ProfileSet, ProfileFileError> {
        let mut set = ProfileSet::default();
        if let Some(text) = config {
            set.merge(text, "config file", FileKind::Config)?;
        }
        if let Some(text) = credentials {
            set.merge(text, "credentials file", FileKind::Credentials)?;
        }
        Ok(set)
    }

    /// The profile `AWS_PROFILE` names, else `default`.
    pub fn selected_profile_name(env: &Env) -> String {
        env.get("AWS_PROFILE").unwrap_or_else(|| "default".to_owned())
    }

    /// The profile called `name` (case-sensitive).
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// Every profile, in the order of their names.
    pub fn profiles(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.values()
    }

    /// The `[sso-session name]` section of the config file, if there is one.
    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sso_sessions.get(name)
    }

    /// Every `[sso-session]` section, in the order of their names.
    pub fn sso_sessions(&self) -> impl Iterator<Item = &Section> {
        self.sso_sessions.values()
    }

    /// The `[services name]` section; its properties are service ids holding sub-properties.
    pub fn services(&self, name: &str) -> Option<&Section> {
        self.services.get(name)
    }

    /// Every `[services]` section, in the order of their names.
    pub fn all_services(&self) -> impl Iterator<Item = &Section> {
        self.services.values()
    }

    /// Parses one file and merges its sections in, later values winning.
    fn merge(&mut self, text: &str, path: &str, kind: FileKind) -> Result<(), ProfileFileError> {
        let sections = parse_file(text, path)?;
        let has_prefixed_default = kind == FileKind::Config
            && sections
                .iter()
                .any(|s| split_header(s.header) == (Some("profile"), "default"));
        for RawSection { header, properties } in sections {
            let (prefix, name) = split_header(header);
            let target = match (kind, prefix) {
                (FileKind::Config, None) if name == "default" && !has_prefixed_default => &mut self.profiles,
                (FileKind::Config, Some("profile")) | (FileKind::Credentials, None) => &mut self.profiles,
                (FileKind::Config, Some("sso-session")) => &mut self.sso_sessions,
                (FileKind::Config, Some("services")) => &mut self.services,
                _ => continue,
            };
            if !is_identifier(name) {
                continue;
            }
            let section = target.entry(name.to_owned()).or_insert_with(|| Section {
                name: name.to_owned(),
                properties: BTreeMap::new(),
            });
            section
                .properties
                .extend(properties.into_iter().filter(|(key, _)| is_identifier(key)));
        }
        Ok(())
    }
}

/// `profile  foo` → `(Some("profile"), "foo")`; `default` → `(None, "default")`.
fn split_header(header: &str) -> (Option<&str>, &str) {
    match header.split_once(WHITESPACE) {
        Some((prefix, name)) => (Some(prefix), name.trim_matches(WHITESPACE)),
        None => (None, header),
    }
}

/// Profile names, section names and property keys: `[A-Za-z0-9_\-/.%@:+]+`.
fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c))
}

impl Section {
    /// The section's name, without its `profile` / `sso-session` / `services` prefix.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of `key` (case-insensitive). Continued values keep their lines joined by `\n`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties.get(&key.to_ascii_lowercase()).map(String::as_str)
    }

    /// `sub` (case-insensitive) inside the sub-property block `key =` followed by indented `sub = value` lines.
    pub fn sub_property(&self, key: &str, sub: &str) -> Option<&str> {
        let block = self.get(key)?;
        block
            .lines()
            .filter_map(|line| split_property(line).ok())
            .rfind(|(name, _)| name.eq_ignore_ascii_case(sub))
            .map(|(_, value)| value)
    }

    /// Every property as `(key, value)`, keys lower-cased and sorted.
    pub fn properties(&self) -> impl Iterator<Item = (&str, &str)> {
        self.properties.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// True when the section has no properties.
    pub fn is_empty(&self) -> bool {
        self.properties.is_empty()
    }
}

impl fmt::Debug for Section {
    // Values may be secrets (aws_secret_access_key): show keys only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Section")
            .field("name", &self.name)
            .field("keys", &self.properties.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl fmt::Debug for ProfileSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileSet")
            .field("profiles", &self.profiles.values().collect::<Vec<_>>())
            .field("sso_sessions", &self.sso_sessions.values().collect::<Vec<_>>())
            .field("services", &self.services.values().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: &str = "/home/u";

    fn env(extra: &[(&str, &str)]) -> Env {
        Env::from_pairs([("HOME", HOME)].iter().chain(extra).copied())
    }

    #[test]
    fn credentials_file_overrides_config_for_the_same_key() {
        let fs = Fs::from_files([
            (
                "/home/u/.aws/config",
                "[profile dev]\nregion = eu-west-1\noutput = json\n",
            ),
            (
                "/home/u/.aws/credentials",
                "[dev]\nregion = us-east-2\naws_access_key_id = AKID\n",
            ),
        ]);
        let set = ProfileSet::load(&env(&[]), &fs).unwrap();
        let dev = set.profile("dev").unwrap();
        assert_eq!(dev.get("region"), Some("us-east-2"));
        assert_eq!(dev.get("output"), Some("json"));
        assert_eq!(dev.get("AWS_ACCESS_KEY_ID"), Some("AKID"));
    }

    #[test]
    fn aws_profile_selects_the_profile() {
        assert_eq!(ProfileSet::selected_profile_name(&env(&[])), "default");
        assert_eq!(
            ProfileSet::selected_profile_name(&env(&[("AWS_PROFILE", "")])),
            "default"
        );
        assert_eq!(
            ProfileSet::selected_profile_name(&env(&[("AWS_PROFILE", "dev")])),
            "dev"
        );
    }

    #[test]
    fn override_variables_move_the_files_and_missing_files_are_empty() {
        let fs = Fs::from_files([("/etc/aws-config", "[default]\nregion = ap-south-1\n")]);
        let set = ProfileSet::load(&env(&[("AWS_CONFIG_FILE", "/etc/aws-config")]), &fs).unwrap();
        assert_eq!(set.profile("default").unwrap().get("region"), Some("ap-south-1"));
        assert_eq!(
            ProfileSet::load(&env(&[]), &Fs::from_files::<&str, &str>([])).unwrap(),
            ProfileSet::default()
        );
    }

    #[test]
    fn load_errors_name_the_file_and_line() {
        let fs = Fs::from_files([(
            "/home/u/.aws/credentials",
            "[default]\naws_access_key_id = AKID\n= oops\n",
        )]);
        let err = ProfileSet::load(&env(&[]), &fs).unwrap_err();
        assert_eq!(
            err.to_string(),
            "error parsing /home/u/.aws/credentials on line 3: Property did not have a name"
        );
        let err = ProfileSet::parse(Some("[profile a]\n  -continued"), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "error parsing config file on line 2: Expected a property definition, found continuation"
        );
    }

    #[test]
    fn unreadable_file_is_an_error_naming_it() {
        let dir = std::env::temp_dir();
        let dir = dir.to_str().unwrap();
        let err = ProfileSet::load(&env(&[("AWS_CONFIG_FILE", dir)]), &Fs::real()).unwrap_err();
        assert!(matches!(err, ProfileFileError::Read { .. }));
        assert!(err.to_string().starts_with(&format!("could not read {dir}: ")), "{err}");
    }

    #[test]
    fn services_sections_and_sub_properties() {
        let config = "[profile dev]\nservices = local\n[services local]\nemr =\n  endpoint_url = http://localhost:4566 # dev\n  Region = us-west-2\n";
        let set = ProfileSet::parse(Some(config), None).unwrap();
        let local = set.services("local").unwrap();
        assert_eq!(local.sub_property("emr", "endpoint_url"), Some("http://localhost:4566"));
        assert_eq!(local.sub_property("EMR", "region"), Some("us-west-2"));
        assert_eq!(local.sub_property("emr", "missing"), None);
        assert_eq!(set.profile("dev").unwrap().get("services"), Some("local"));
        let ignored = ProfileSet::parse(None, Some("[services local]\nemr =\n  endpoint_url = x\n")).unwrap();
        assert!(
            ignored.services("local").is_none(),
            "services sections belong in the config file"
        );
    }

    #[test]
    fn debug_does_not_show_values() {
        let set = ProfileSet::parse(None, Some("[default]\naws_secret_access_key = SECRET\n")).unwrap();
        let shown = format!("{set:?}");
        assert!(
            shown.contains("aws_secret_access_key") && !shown.contains("SECRET"),
            "{shown}"
        );
    }
}
