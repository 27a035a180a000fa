//! Where the shared config and credentials files are, and how they are read.

use crate::env::Env;
use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Whose rules find the home directory and join paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// `HOME`, `/` separators.
    Unix,
    /// `HOME`, else `USERPROFILE`, else `HOMEDRIVE` + `HOMEPATH`; `\` separators.
    Windows,
}

impl Platform {
    /// The platform this program was built for.
    pub fn current() -> Self {
        if cfg!(windows) {
            Platform::Windows
        } else {
            Platform::Unix
        }
    }

    fn separator(self) -> char {
        match self {
            Platform::Unix => '/',
            Platform::Windows => '\\',
        }
    }

    /// The user's home directory, as the AWS SDKs find it.
    pub fn home_dir(self, env: &Env) -> Option<String> {
        if let Some(home) = env.get("HOME") {
            return Some(home);
        }
        match self {
            Platform::Unix => None,
            Platform::Windows => env.get("USERPROFILE").or_else(|| {
                let (drive, path) = (env.get("HOMEDRIVE")?, env.get("HOMEPATH")?);
                Some(drive + &path)
            }),
        }
    }

    /// Replaces a leading `~` component with `home`; any other path, or `~` with no home known, is kept as is.
    pub fn expand_home(self, path: &str, home: Option<&str>) -> String {
        let is_separator = |c: char| c == '/' || (self == Platform::Windows && c == '\\');
        let rest = match path.strip_prefix('~') {
            Some(rest) if rest.is_empty() || rest.starts_with(is_separator) => rest,
            _ => return path.to_owned(),
        };
        let Some(home) = home else {
            return path.to_owned();
        };
        let separator = self.separator();
        let mut expanded = home.trim_end_matches(is_separator).to_owned();
        for part in rest.split(is_separator).filter(|part| !part.is_empty()) {
            expanded.push(separator);
            expanded.push_str(part);
        }
        expanded
    }
}

/// The paths of the shared config and credentials files.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileLocations {
    /// `AWS_CONFIG_FILE`, else `~/.aws/config`.
    pub config: PathBuf,
    /// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
    pub credentials: PathBuf,
}

impl FileLocations {
    /// The locations `env` selects on this platform.
    pub fn from_env(env: &Env) -> Self {
        Self::for_platform(env, Platform::current())
    }

    /// The locations `env` selects under `platform`'s rules.
    pub fn for_platform(env: &Env, platform: Platform) -> Self {
        let home = platform.home_dir(env);
        let locate = |variable: &str, default: &str| {
            let path = env.get(variable).unwrap_or_else(|| default.to_owned());
            PathBuf::from(platform.expand_home(&path, home.as_deref()))
        };
        FileLocations {
            config: locate("AWS_CONFIG_FILE", "~/.aws/config"),
            credentials: locate("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
        }
    }
}

/// A read-only view of files: the real file system, or a fixed map for tests.
///
/// Like [`Env`], it lets tests describe the machine instead of depending on it.
#[derive(Clone, Default)]
pub struct Fs {
    fixed: Option<Arc<BTreeMap<PathBuf, String>>>,
}

impl Fs {
    /// The real file system: files are read when asked, as UTF-8 text; a missing file reads as `None`.
    pub fn real() -> Self {
        Fs { fixed: None }
    }

    /// A fixed set of files; every other path does not exist.
    pub fn from_files<P: Into<PathBuf>, C: Into<String>>(files: impl IntoIterator<Item = (P, C)>) -> Self {
        let map = files.into_iter().map(|(p, c)| (p.into(), c.into())).collect();
        Fs {
            fixed: Some(Arc::new(map)),
        }
    }

    /// The contents of `path`: `None` if it does not exist, an error if it exists but cannot be read as UTF-8 text.
    pub fn read(&self, path: &Path) -> io::Result<Option<String>> {
        match &self.fixed {
            Some(map) => Ok(map.get(path).cloned()),
            None => match std::fs::read_to_string(path) {
                Ok(text) => Ok(Some(text)),
                Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(err) => Err(err),
            },
        }
    }
}

impl fmt::Debug for Fs {
    // File contents may hold secrets (aws_secret_access_key): show only which paths a fixed Fs has.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fixed {
            None => f.write_str("Fs::real"),
            Some(map) => f
                .debug_tuple("Fs::fixed")
                .field(&map.keys().collect::<Vec<_>>())
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_leading_tilde_component_is_expanded() {
        let unix = Platform::Unix;
        assert_eq!(
            unix.expand_home("~/.aws/config", Some("/home/u/")),
            "/home/u/.aws/config"
        );
        assert_eq!(unix.expand_home("~", Some("/home/u")), "/home/u");
        assert_eq!(unix.expand_home("~aws/config", Some("/home/u")), "~aws/config");
        assert_eq!(unix.expand_home("/etc/~/config", Some("/home/u")), "/etc/~/config");
        assert_eq!(unix.expand_home("~/config", None), "~/config");
        let windows = Platform::Windows;
        assert_eq!(
            windows.expand_home("~\\cfg/config", Some("C:\\Users\\u")),
            "C:\\Users\\u\\cfg\\config"
        );
    }

    #[test]
    fn unix_ignores_windows_home_variables() {
        let env = Env::from_pairs([("USERPROFILE", "C:\\Users\\u")]);
        assert_eq!(Platform::Unix.home_dir(&env), None);
        assert_eq!(Platform::Windows.home_dir(&env).as_deref(), Some("C:\\Users\\u"));
    }

    #[test]
    fn missing_files_are_none_and_unreadable_ones_are_errors() {
        let fs = Fs::real();
        let dir = std::env::temp_dir();
        assert!(fs.read(&dir.join("lean-aws-runtime-no-such-file")).unwrap().is_none());
        assert!(fs.read(&dir).is_err(), "a directory cannot be read as a file");
    }

    #[test]
    fn debug_shows_paths_not_contents() {
        let fs = Fs::from_files([("/h/.aws/credentials", "aws_secret_access_key = SECRET")]);
        let shown = format!("{fs:?}");
        assert!(
            shown.contains("/h/.aws/credentials") && !shown.contains("SECRET"),
            "{shown}"
        );
    }
}
