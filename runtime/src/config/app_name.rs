//! [`AppName`], the type aws-config's `app_name` setting takes, with the same rule for what a name may hold.

use std::borrow::Cow;
use std::fmt;

/// The name of the application making the calls, sent in the user agent as `app/<name>`
/// ([`ConfigBuilder::app_name`](crate::ConfigBuilder::app_name)). Built as aws-types' `AppName` is: not empty,
/// and only ASCII letters, digits and `` !#$%&'*+-.^_`|~ `` (the characters of an HTTP token). AWS recommends at
/// most 50 characters; a longer name is accepted, as it is there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AppName(Cow<'static, str>);

impl AppName {
    /// The name `name`, or [`InvalidAppName`] when it is empty or holds a character outside the set above.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Result<Self, InvalidAppName> {
        let name = name.into();
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if name.is_empty() || !name.chars().all(token) {
            return Err(InvalidAppName {
                name: name.into_owned(),
            });
        }
        Ok(AppName(name))
    }
}

impl AsRef<str> for AppName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AppName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A name [`AppName::new`] refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvalidAppName {
    /// The name as given.
    pub name: String,
}

impl fmt::Display for InvalidAppName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "app name {:?} is not valid: it must be non-empty and hold only ASCII letters, digits and any of \
             !#$%&'*+-.^_`|~",
            self.name
        )
    }
}

impl std::error::Error for InvalidAppName {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_http_token_rule() {
        assert_eq!(AppName::new("nightly-etl_2.1").unwrap().as_ref(), "nightly-etl_2.1");
        assert!(
            AppName::new("a".repeat(80)).is_ok(),
            "long names are accepted, as aws-types accepts them"
        );
        for bad in ["", "has space", "slash/", "é"] {
            let err = AppName::new(bad).unwrap_err();
            assert_eq!(err.name, bad);
            assert!(err.to_string().contains("!#$%&'*+-.^_`|~"), "{err}");
        }
    }
}
