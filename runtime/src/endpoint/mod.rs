//! Endpoint resolution from a service's endpoint rule set.

use std::fmt;

/// The built-in inputs the client feeds to a rule set: `AWS::Region`, `AWS::UseFIPS`, `AWS::UseDualStack` and
/// `SDK::Endpoint`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuiltIns {
    /// `AWS::Region`.
    pub region: Option<String>,
    /// `AWS::UseFIPS`.
    pub use_fips: bool,
    /// `AWS::UseDualStack`.
    pub use_dual_stack: bool,
    /// `SDK::Endpoint`: an endpoint the user configured.
    pub endpoint: Option<String>,
}

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The URL requests go to.
    pub url: String,
}

/// Why no endpoint could be resolved: the rule set's own error message, or a malformed rule set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError {
    /// The message, exactly as the rule gives it.
    pub message: String,
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "endpoint resolution failed: {}", self.message)
    }
}

impl std::error::Error for EndpointError {}

/// TEMPORARY until the rule-set interpreter lands.
#[derive(Debug)]
pub struct Resolver;

impl Resolver {
    /// TEMPORARY.
    pub fn new(_rules: &str, _partitions: &str) -> Result<Resolver, EndpointError> {
        Ok(Resolver)
    }

    /// TEMPORARY.
    pub fn resolve(&self, b: &BuiltIns) -> Result<Endpoint, EndpointError> {
        if let Some(e) = &b.endpoint {
            return Ok(Endpoint { url: e.clone() });
        }
        let region = b.region.clone().ok_or(EndpointError {
            message: "no region".into(),
        })?;
        Ok(Endpoint {
            url: format!("https://elasticmapreduce.{region}.amazonaws.com"),
        })
    }
}
