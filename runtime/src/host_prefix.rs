//! The endpoint trait (`endpoint.hostPrefix` in the model): some operations send their requests to a host name
//! that starts with a prefix, fixed (`data.`) or filled from input members (`{AccountId}.`), in front of the host
//! of the resolved endpoint. The prefix is applied after resolution, to custom endpoint URLs as well.

use crate::endpoint::{Endpoint, EndpointError};
use crate::validate::is_valid_host_label;

/// `endpoint` with `prefix` (e.g. `foo.bar.`) in front of its host name.
///
/// The labels the prefix contributes to the host name must be valid host labels (RFC 1123): the generated
/// validators check each input member that fills one, and this is the last line of defence before a request is
/// signed for, and sent to, a host the service did not intend.
pub fn apply(endpoint: &Endpoint, prefix: &str) -> Result<Endpoint, EndpointError> {
    if prefix.is_empty() {
        return Ok(endpoint.clone());
    }
    let invalid = |why: &str| EndpointError {
        message: format!(
            "cannot put host prefix {prefix:?} in front of {:?}: {why}",
            endpoint.url
        ),
    };
    let (scheme, rest) = endpoint
        .url
        .split_once("://")
        .ok_or_else(|| invalid("the endpoint URL has no scheme"))?;
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let host_start = authority.rfind('@').map_or(0, |i| i + 1);
    let host_and_port = &authority[host_start..];
    if host_and_port.starts_with('[') {
        return Err(invalid("the endpoint host is an IPv6 address"));
    }
    let host = host_and_port.split(':').next().unwrap_or(host_and_port);
    // The prefix spans this many labels of the new host name: each of its dots ends one, and a prefix that does not
    // end with a dot runs on into the endpoint's first label.
    let spanned = prefix.matches('.').count() + usize::from(!prefix.ends_with('.'));
    let new_host = format!("{prefix}{host}");
    let labels: Vec<&str> = new_host.split('.').collect();
    if labels.len() < spanned || !labels[..spanned].iter().all(|l| is_valid_host_label(l)) {
        return Err(invalid(
            "each label must be 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit",
        ));
    }
    let mut prefixed = endpoint.clone();
    prefixed.url = format!("{scheme}://{}{prefix}{}", &rest[..host_start], &rest[host_start..]);
    Ok(prefixed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::{BuiltIns, Resolver};

    /// An endpoint with URL `u`, made the way the client makes them (whatever else an `Endpoint` carries).
    fn url(u: &str) -> Endpoint {
        const RULES: &str = r#"{"version": "1.0",
            "parameters": {"Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "type": "String"}},
            "rules": [{"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
                       "endpoint": {"url": {"ref": "Endpoint"}}, "type": "endpoint"}]}"#;
        let builtins = BuiltIns {
            endpoint: Some("https://example.com".into()),
            ..Default::default()
        };
        let mut endpoint = Resolver::new(RULES, r#"{"partitions": []}"#)
            .unwrap()
            .resolve(&builtins)
            .unwrap();
        endpoint.url = u.to_owned();
        endpoint
    }

    #[test]
    fn prefix_goes_in_front_of_the_host() {
        let cases = [
            ("https://example.com", "foo.", "https://foo.example.com"),
            (
                "https://example.com/custom",
                "foo.bar.",
                "https://foo.bar.example.com/custom",
            ),
            ("http://localhost:8080/", "data.", "http://data.localhost:8080/"),
            (
                "https://user@example.com?x=1",
                "a-b.",
                "https://user@a-b.example.com?x=1",
            ),
            ("https://example.com", "", "https://example.com"),
            ("https://example.com", "foo-", "https://foo-example.com"),
        ];
        for (endpoint, prefix, expected) in cases {
            assert_eq!(
                apply(&url(endpoint), prefix).unwrap().url,
                expected,
                "{endpoint} {prefix}"
            );
        }
    }

    #[test]
    fn invalid_prefixes_are_refused() {
        for prefix in ["evil.com/.", "-a.", "a..", ".", "a_b.", "é.", "a:1.", "x.y/z"] {
            let err = apply(&url("https://example.com"), prefix).unwrap_err();
            assert!(err.message.contains("cannot put host prefix"), "{prefix}: {err}");
        }
        assert!(apply(&url("https://[::1]:443"), "foo.").is_err());
        assert!(apply(&url("example.com"), "foo.").is_err());
    }
}
