//! [`Region`], the type aws-sdk-rust's `config::Region` is, so that `Config::builder().region(Region::new(..))`
//! reads the same with either crate.

use std::borrow::Cow;
use std::fmt;

/// An AWS region name, e.g. `eu-west-1`. [`ConfigBuilder::region`](crate::ConfigBuilder::region) takes it (or
/// any string).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Region(Cow<'static, str>);

impl Region {
    /// The region named `name`.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Region(name.into())
    }

    /// The region named `name`, in a constant.
    pub const fn from_static(name: &'static str) -> Self {
        Region(Cow::Borrowed(name))
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Region> for String {
    fn from(region: Region) -> String {
        region.0.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_is_its_name() {
        const FRANKFURT: Region = Region::from_static("eu-central-1");
        assert_eq!(FRANKFURT.to_string(), "eu-central-1");
        assert_eq!(String::from(Region::new(String::from("us-east-1"))), "us-east-1");
        let config = crate::Config::builder().region(Region::new("eu-west-1")).build();
        assert_eq!(config.region(), Some("eu-west-1"));
    }
}
