//! The rules-engine functions: the Smithy standard library and `aws.partition`.

use super::{invalid, EndpointError};
use regex_lite::Regex;
use serde_json::{Map, Value};
use std::net::{Ipv4Addr, Ipv6Addr};

/// A function a rule set may call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Func {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    GetAttr,
    ParseUrl,
    Substring,
    UriEncode,
    IsValidHostLabel,
    Partition,
}

impl Func {
    /// The function called `name`, with the number of arguments it takes.
    pub(super) fn named(name: &str) -> Option<(Func, usize)> {
        Some(match name {
            "isSet" => (Func::IsSet, 1),
            "not" => (Func::Not, 1),
            "booleanEquals" => (Func::BooleanEquals, 2),
            "stringEquals" => (Func::StringEquals, 2),
            "getAttr" => (Func::GetAttr, 2),
            "parseURL" => (Func::ParseUrl, 1),
            "substring" => (Func::Substring, 4),
            "uriEncode" => (Func::UriEncode, 1),
            "isValidHostLabel" => (Func::IsValidHostLabel, 2),
            "aws.partition" => (Func::Partition, 1),
            _ => return None,
        })
    }

    /// Applies the function to evaluated arguments. `Value::Null` is an unset value; only `isSet` and the two
    /// equality functions accept one (an unset value equals nothing).
    pub(super) fn call(self, args: &[Value], partitions: &[Partition]) -> Result<Value, EndpointError> {
        Ok(match (self, args) {
            (Func::IsSet, [v]) => Value::Bool(!v.is_null()),
            (Func::Not, [v]) => Value::Bool(!boolean(v, "not")?),
            (Func::BooleanEquals, [a, b]) => {
                let (a, b) = (
                    optional(a, "booleanEquals", Value::as_bool)?,
                    optional(b, "booleanEquals", Value::as_bool)?,
                );
                Value::Bool(a.is_some() && a == b)
            }
            (Func::StringEquals, [a, b]) => {
                let (a, b) = (
                    optional(a, "stringEquals", Value::as_str)?,
                    optional(b, "stringEquals", Value::as_str)?,
                );
                Value::Bool(a.is_some() && a == b)
            }
            (Func::GetAttr, [v, path]) => get_attr(v, string(path, "getAttr")?)?,
            (Func::ParseUrl, [url]) => parse_url(string(url, "parseURL")?),
            (Func::Substring, [input, start, stop, reverse]) => substring(
                string(input, "substring")?,
                index(start)?,
                index(stop)?,
                boolean(reverse, "substring")?,
            ),
            (Func::UriEncode, [v]) => Value::String(uri_encode(string(v, "uriEncode")?)),
            (Func::IsValidHostLabel, [label, subdomains]) => Value::Bool(is_valid_host_label(
                string(label, "isValidHostLabel")?,
                boolean(subdomains, "isValidHostLabel")?,
            )),
            (Func::Partition, [region]) => partition(partitions, string(region, "aws.partition")?),
            (_, _) => return Err(invalid(format!("{self:?} called with {} arguments", args.len()))),
        })
    }
}

fn string<'a>(v: &'a Value, func: &str) -> Result<&'a str, EndpointError> {
    v.as_str()
        .ok_or_else(|| invalid(format!("{func} expects a string, got {v}")))
}

fn boolean(v: &Value, func: &str) -> Result<bool, EndpointError> {
    v.as_bool()
        .ok_or_else(|| invalid(format!("{func} expects a boolean, got {v}")))
}

fn index(v: &Value) -> Result<usize, EndpointError> {
    v.as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| invalid(format!("substring expects an index, got {v}")))
}

/// `None` for an unset value, an error for a value of the wrong type.
fn optional<'a, T>(v: &'a Value, func: &str, get: fn(&'a Value) -> Option<T>) -> Result<Option<T>, EndpointError> {
    match (v, get(v)) {
        (Value::Null, _) => Ok(None),
        (_, Some(t)) => Ok(Some(t)),
        (_, None) => Err(invalid(format!("{func}: unexpected argument {v}"))),
    }
}

/// `getAttr`: follows a path such as `name`, `a.b` or `resourceId[1]`. A missing key or index is unset.
pub(super) fn get_attr(value: &Value, path: &str) -> Result<Value, EndpointError> {
    let bad_path = || invalid(format!("getAttr: malformed path {path:?}"));
    let mut current = value;
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => {
                let index = rest
                    .strip_suffix(']')
                    .and_then(|i| i.parse::<usize>().ok())
                    .ok_or_else(bad_path)?;
                (key, Some(index))
            }
            None => (part, None),
        };
        if !key.is_empty() {
            let Value::Object(object) = current else {
                return Err(invalid(format!("getAttr: {path:?} reads key {key:?} of {current}")));
            };
            match object.get(key) {
                Some(v) => current = v,
                None => return Ok(Value::Null),
            }
        } else if index.is_none() {
            return Err(bad_path());
        }
        if let Some(index) = index {
            let Value::Array(items) = current else {
                return Err(invalid(format!("getAttr: {path:?} indexes {current}")));
            };
            match items.get(index) {
                Some(v) => current = v,
                None => return Ok(Value::Null),
            }
        }
    }
    Ok(current.clone())
}

/// `parseURL`: an `http`/`https` URL without query or fragment, as `{scheme, authority, path, normalizedPath,
/// isIp}`; anything else is unset.
pub(super) fn parse_url(url: &str) -> Value {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Value::Null;
    };
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https") || rest.contains(['?', '#']) {
        return Value::Null;
    }
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match host_port.rfind(':') {
        Some(i) if !host_port[i..].contains(']') => (&host_port[..i], Some(&host_port[i + 1..])),
        _ => (host_port, None),
    };
    if host.is_empty() || port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Value::Null;
    }
    let is_ip = match host.strip_prefix('[') {
        Some(v6) => match v6.strip_suffix(']').map(str::parse::<Ipv6Addr>) {
            Some(Ok(_)) => true,
            _ => return Value::Null,
        },
        None => host.parse::<Ipv4Addr>().is_ok(),
    };
    // `path` is empty or starts with `/`, as it was cut at the first `/`.
    let normalized = if path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    };
    let mut out = Map::new();
    out.insert("scheme".into(), scheme.into());
    out.insert("authority".into(), authority.into());
    out.insert("path".into(), path.into());
    out.insert("normalizedPath".into(), normalized.into());
    out.insert("isIp".into(), is_ip.into());
    Value::Object(out)
}

/// `substring`: characters `start..stop` of an ASCII string, counted from the end when `reverse`; unset when the
/// range is empty or too long, or the input is not ASCII.
pub(super) fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Value {
    if start >= stop || stop > input.len() || !input.is_ascii() {
        return Value::Null;
    }
    let (from, to) = if reverse {
        (input.len() - stop, input.len() - start)
    } else {
        (start, stop)
    };
    Value::String(input[from..to].to_owned())
}

/// `uriEncode`: percent-encodes every byte of the UTF-8 text except the unreserved `A-Z a-z 0-9 - . _ ~`.
pub(super) fn uri_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for byte in input.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `isValidHostLabel`: 1 to 63 ASCII letters, digits and hyphens, not starting with a hyphen; with
/// `allow_subdomains`, every dot-separated label must be one.
pub(super) fn is_valid_host_label(label: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        return label.split('.').all(|part| is_valid_host_label(part, false));
    }
    (1..=63).contains(&label.len())
        && !label.starts_with('-')
        && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// One partition of `partitions.json`.
#[derive(Debug, Clone)]
pub(super) struct Partition {
    id: String,
    region_regex: Regex,
    regions: Map<String, Value>,
    outputs: Map<String, Value>,
}

/// Parses `partitions.json`.
pub(super) fn parse_partitions(json: &Value) -> Result<Vec<Partition>, EndpointError> {
    let list = json
        .get("partitions")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("partitions: no `partitions` list"))?;
    list.iter()
        .map(|p| {
            let field = |name: &str| {
                p.get(name)
                    .ok_or_else(|| invalid(format!("partitions: a partition lacks `{name}`")))
            };
            let object = |name: &str| {
                field(name)?
                    .as_object()
                    .cloned()
                    .ok_or_else(|| invalid(format!("partitions: `{name}` is not an object")))
            };
            let text = |name: &str| {
                field(name)?
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| invalid(format!("partitions: `{name}` is not a string")))
            };
            let regex = text("regionRegex")?;
            Ok(Partition {
                id: text("id")?,
                region_regex: Regex::new(&regex).map_err(|e| invalid(format!("partitions: bad regionRegex: {e}")))?,
                regions: object("regions")?,
                outputs: object("outputs")?,
            })
        })
        .collect()
}

/// `aws.partition`: the partition listing `region`, else the first whose `regionRegex` matches it, else `aws`.
/// The result is the partition's `outputs` with the region's own entries laid over them.
pub(super) fn partition(partitions: &[Partition], region: &str) -> Value {
    // A non-ASCII region matches no regex; checking first keeps `\w` and `\d` to their ASCII meaning.
    let chosen = partitions
        .iter()
        .find(|p| p.regions.contains_key(region))
        .or_else(|| {
            partitions
                .iter()
                .find(|p| region.is_ascii() && p.region_regex.is_match(region))
        })
        .or_else(|| partitions.iter().find(|p| p.id == "aws"));
    let Some(partition) = chosen else {
        return Value::Null;
    };
    let mut outputs = partition.outputs.clone();
    if let Some(Value::Object(overrides)) = partition.regions.get(region) {
        for (key, value) in overrides {
            if key != "description" {
                outputs.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(outputs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn get_attr_follows_keys_and_indexes() {
        let v = json!({"a": {"b": ["x", "y"]}, "name": "aws"});
        assert_eq!(get_attr(&v, "name").unwrap(), json!("aws"));
        assert_eq!(get_attr(&v, "a.b[1]").unwrap(), json!("y"));
        assert_eq!(get_attr(&v, "a.b[2]").unwrap(), Value::Null);
        assert_eq!(get_attr(&v, "missing").unwrap(), Value::Null);
        assert_eq!(get_attr(&json!(["p", "q"]), "[0]").unwrap(), json!("p"));
        assert!(get_attr(&v, "a.b[x]").is_err());
        assert!(get_attr(&v, "name.c").is_err());
        assert!(get_attr(&v, "a..b").is_err());
    }

    #[test]
    fn parse_url_cases() {
        let url = parse_url("https://example.com:8443/foo/bar");
        assert_eq!(
            url,
            json!({"scheme": "https", "authority": "example.com:8443", "path": "/foo/bar",
                   "normalizedPath": "/foo/bar/", "isIp": false})
        );
        let url = parse_url("http://127.0.0.1");
        assert_eq!(
            (&url["path"], &url["normalizedPath"], &url["isIp"]),
            (&json!(""), &json!("/"), &json!(true))
        );
        assert_eq!(parse_url("https://[fe80::1]:443/")["isIp"], json!(true));
        assert_eq!(parse_url("HTTPS://example.com")["scheme"], json!("https"));
        for bad in [
            "example.com",
            "wss://example.com",
            "https://example.com/?a=b",
            "https://",
            "https://h:x",
            "https://[::1",
        ] {
            assert_eq!(parse_url(bad), Value::Null, "{bad}");
        }
    }

    #[test]
    fn substring_cases() {
        assert_eq!(substring("hello", 0, 2, false), json!("he"));
        assert_eq!(substring("hello", 0, 2, true), json!("lo"));
        assert_eq!(substring("hello", 0, 5, true), json!("hello"));
        assert_eq!(substring("hello", 0, 6, false), Value::Null);
        assert_eq!(substring("hello", 2, 2, false), Value::Null);
        assert_eq!(substring("a🐱b", 0, 1, false), Value::Null);
    }

    #[test]
    fn uri_encode_and_host_labels() {
        assert_eq!(uri_encode("a/b c~-._é"), "a%2Fb%20c~-._%C3%A9");
        assert!(is_valid_host_label("a-b", false));
        assert!(!is_valid_host_label("-ab", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("é", false));
    }
}
