//! Endpoint resolution from a service's endpoint rule set.
//!
//! [`Resolver`] is a small interpreter for the Smithy rules language: it parses the botocore rule set
//! (`endpoint-rule-set-1.json`) and `partitions.json` once into typed nodes, then walks them for each resolution.
//! smithy-rs compiles every rule set to Rust instead; an interpreter suits this SDK better:
//!
//! - one generic piece of the runtime serves every service, tested once against every vendored test suite;
//! - the rules stay data, checked in verbatim under `model/` and updated by copying a newer botocore file;
//! - the generated crate just embeds the JSON text (`include_str!`) and builds one [`Resolver`], so the
//!   generator needs no rules compiler and the generated code no thousand-line `if` ladders.
//!
//! The price is a tree walk per resolution (microseconds) and load-time rather than compile-time checking:
//! [`Resolver::new`] rejects unknown rule types and functions, wrong arities and malformed templates; type errors
//! and unknown references surface at resolution. Every failure is an [`EndpointError`], never a panic.
//!
//! Covered: `endpoint`, `error` and `tree` rules (a tree whose conditions hold must match: the spec makes trees
//! terminal); conditions with `assign`; `ref`; templates (`{Region}`, `{PartitionResult#dnsSuffix}`, `{{`, `}}`)
//! in every string, including URLs, headers, properties and error messages; parameter `default`, `required` and
//! `builtIn`; and the functions `isSet`, `not`, `booleanEquals`, `stringEquals`, `getAttr`, `parseURL`,
//! `substring`, `uriEncode`, `isValidHostLabel` and `aws.partition`. `aws.parseArn` and
//! `aws.isVirtualHostableS3Bucket` are not implemented; a rule set calling them fails to load.

mod library;
mod rules;
pub mod testing;

use crate::transport::HttpRequest;
use library::Partition;
use rules::{Evaluator, Param, Rule, Scope};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// The built-in inputs the client feeds to a rule set: `AWS::Region`, `AWS::UseFIPS`, `AWS::UseDualStack` and
/// `SDK::Endpoint`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BuiltIns {
    /// `AWS::Region`: the client's region, e.g. `eu-west-1`; `None` when none is configured.
    pub region: Option<String>,
    /// `AWS::UseFIPS`: whether FIPS endpoints are asked for (`use_fips`, `AWS_USE_FIPS_ENDPOINT`).
    pub use_fips: bool,
    /// `AWS::UseDualStack`: whether dual-stack (IPv4 and IPv6) endpoints are asked for (`use_dual_stack`,
    /// `AWS_USE_DUALSTACK_ENDPOINT`).
    pub use_dual_stack: bool,
    /// `SDK::Endpoint`: an endpoint URL the user configured, in code, the environment or the profile.
    pub endpoint: Option<String>,
}

/// A resolved endpoint. The client applies all of it: the URL, the headers ([`Endpoint::apply_headers`]) and
/// the properties ([`Endpoint::sigv4`]); what it cannot apply fails the call, naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Endpoint {
    /// The URL requests go to, e.g. `https://elasticmapreduce.eu-west-1.amazonaws.com`; the operation's path
    /// (`/`) is appended to it.
    pub url: String,
    /// The rule's `properties`, such as `authSchemes`; empty for most services.
    pub properties: Map<String, Value>,
    /// Headers to add to every request to this endpoint: name to values, in the rule's order.
    pub headers: BTreeMap<String, Vec<String>>,
}

/// The SigV4 settings an endpoint asks for through the `sigv4` entry of its `authSchemes` property; unset
/// fields leave the client's own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SigV4Settings {
    /// `signingName`: the service name to sign for instead of the service's.
    pub signing_name: Option<String>,
    /// `signingRegion`: the region to sign for instead of the client's.
    pub signing_region: Option<String>,
    /// `disableDoubleEncoding`: percent-encode the path once, not twice.
    pub disable_double_encoding: bool,
    /// `disableNormalizePath`: sign the path as it is, without removing `.` and `..` segments.
    pub disable_normalize_path: bool,
}

/// Headers the client writes itself while signing and sending; an endpoint may not set them.
const SIGNING_HEADERS: [&str; 6] = [
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "content-length",
    crate::invocation::REQUEST_HEADER,
];

impl Endpoint {
    /// The SigV4 settings of the endpoint's properties, as aws-sdk-rust reads them: `authSchemes` lists the
    /// schemes in order of preference and the first this client supports (`sigv4`) is used, with its
    /// `signingName`, `signingRegion`, `disableDoubleEncoding` and `disableNormalizePath`.
    ///
    /// Nothing is ignored in silence: any other property, a list with no `sigv4` scheme, or a field of the `sigv4`
    /// scheme this client does not know is an error that names it.
    pub fn sigv4(&self) -> Result<SigV4Settings, EndpointError> {
        let unusable = |what: String| error(format!("the endpoint {:?} {what}", self.url));
        let mut settings = SigV4Settings::default();
        for (name, value) in &self.properties {
            if name != "authSchemes" {
                return Err(unusable(format!(
                    "has property `{name}`, which this client does not support"
                )));
            }
            let schemes = value
                .as_array()
                .ok_or_else(|| unusable("has `authSchemes` that are not a list".into()))?;
            let names = schemes
                .iter()
                .map(|scheme| scheme.get("name").and_then(Value::as_str))
                .collect::<Option<Vec<&str>>>()
                .ok_or_else(|| unusable("has an auth scheme without a `name`".into()))?;
            let sigv4 = names
                .iter()
                .position(|name| *name == "sigv4")
                .and_then(|i| schemes[i].as_object())
                .ok_or_else(|| {
                    unusable(format!(
                        "requires auth scheme {}, which this client does not support (it signs with sigv4)",
                        names.join(", ")
                    ))
                })?;
            for (field, value) in sigv4 {
                let wrong_type = || unusable(format!("has a sigv4 `{field}` of the wrong type: {value}"));
                match field.as_str() {
                    "name" => {}
                    "signingName" => settings.signing_name = Some(value.as_str().ok_or_else(wrong_type)?.to_owned()),
                    "signingRegion" => {
                        settings.signing_region = Some(value.as_str().ok_or_else(wrong_type)?.to_owned())
                    }
                    "disableDoubleEncoding" => {
                        settings.disable_double_encoding = value.as_bool().ok_or_else(wrong_type)?
                    }
                    "disableNormalizePath" => {
                        settings.disable_normalize_path = value.as_bool().ok_or_else(wrong_type)?
                    }
                    _ => {
                        return Err(unusable(format!(
                            "has sigv4 setting `{field}`, which this client does not support"
                        )))
                    }
                }
            }
        }
        Ok(settings)
    }

    /// Adds the endpoint's headers to `request`, each value in order. A header the request already has, or one
    /// the client writes while signing (`authorization`, `x-amz-date`, ...), is an error that names it: an
    /// endpoint adds headers, it does not replace the client's.
    pub fn apply_headers(&self, request: &mut HttpRequest) -> Result<(), EndpointError> {
        for (name, values) in &self.headers {
            let name = name.to_ascii_lowercase();
            if request.header(&name).is_some() || SIGNING_HEADERS.contains(&name.as_str()) {
                return Err(error(format!(
                    "the endpoint {:?} sets header `{name}`, which the client writes itself",
                    self.url
                )));
            }
            for value in values {
                request.headers.push((name.clone(), value.clone()));
            }
        }
        Ok(())
    }
}

/// Why no endpoint could be resolved: the rule set's own error message, or a malformed rule set.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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

/// An error with `message`.
fn error(message: impl Into<String>) -> EndpointError {
    EndpointError {
        message: message.into(),
    }
}

/// An error in the rule set or partitions file itself.
fn invalid(message: impl fmt::Display) -> EndpointError {
    error(format!("invalid rule set: {message}"))
}

/// A parameter value, as [`Resolver::resolve_params`] takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// A `string` parameter.
    String(String),
    /// A `boolean` parameter.
    Bool(bool),
}

impl From<&str> for ParamValue {
    fn from(value: &str) -> Self {
        ParamValue::String(value.to_owned())
    }
}

impl From<bool> for ParamValue {
    fn from(value: bool) -> Self {
        ParamValue::Bool(value)
    }
}

/// A parsed endpoint rule set with its partitions, ready to resolve endpoints.
#[derive(Debug, Clone)]
pub struct Resolver {
    params: Vec<Param>,
    rules: Vec<Rule>,
    partitions: Vec<Partition>,
}

impl Resolver {
    /// Parses a rule set (`endpoint-rule-set-1.json` text) and partitions (`partitions.json` text).
    pub fn new(rule_set_json: &str, partitions_json: &str) -> Result<Resolver, EndpointError> {
        let parse = |what: &str, text: &str| {
            serde_json::from_str::<Value>(text).map_err(|e| invalid(format!("{what} is not JSON: {e}")))
        };
        let rule_set = parse("the rule set", rule_set_json)?;
        let partitions = library::parse_partitions(&parse("the partitions file", partitions_json)?)?;
        Resolver::with_partitions(&rule_set, partitions)
    }

    fn with_partitions(rule_set: &Value, partitions: Vec<Partition>) -> Result<Resolver, EndpointError> {
        Ok(Resolver {
            params: rules::parse_params(rule_set.get("parameters").unwrap_or(&Value::Null))?,
            rules: rules::parse_rules(rule_set.get("rules").unwrap_or(&Value::Null))?,
            partitions,
        })
    }

    /// Resolves from the SDK built-ins (`AWS::Region`, `AWS::UseFIPS`, `AWS::UseDualStack`, `SDK::Endpoint`),
    /// bound to the rule set's parameters through each parameter's `builtIn`, with `default`s applied and
    /// `required` enforced.
    pub fn resolve(&self, builtins: &BuiltIns) -> Result<Endpoint, EndpointError> {
        let mut given = BTreeMap::new();
        for param in &self.params {
            let value = match param.built_in.as_deref() {
                Some("AWS::Region") => builtins.region.clone().map(Value::String),
                Some("AWS::UseFIPS") => Some(Value::Bool(builtins.use_fips)),
                Some("AWS::UseDualStack") => Some(Value::Bool(builtins.use_dual_stack)),
                Some("SDK::Endpoint") => builtins.endpoint.clone().map(Value::String),
                _ => None,
            };
            if let Some(value) = value {
                given.insert(param.name.clone(), value);
            }
        }
        self.resolve_values(given)
    }

    /// Resolves from parameters given by name (`"Region"`, `"UseFIPS"`), as the endpoint test cases give them.
    /// A name the rule set does not declare, or a value of the wrong type, is an error.
    pub fn resolve_params(&self, params: &[(&str, ParamValue)]) -> Result<Endpoint, EndpointError> {
        let given = params
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    ParamValue::String(s) => Value::String(s.clone()),
                    ParamValue::Bool(b) => Value::Bool(*b),
                };
                (name.to_string(), value)
            })
            .collect();
        self.resolve_values(given)
    }

    fn resolve_values(&self, mut given: BTreeMap<String, Value>) -> Result<Endpoint, EndpointError> {
        let mut scope = Scope::new();
        for param in &self.params {
            let value = match given.remove(&param.name) {
                Some(value) if !param.kind.admits(&value) => {
                    return Err(error(format!(
                        "parameter `{}` must be a {:?}, got {value}",
                        param.name, param.kind
                    )));
                }
                Some(value) => value,
                None => param.default.clone().unwrap_or(Value::Null),
            };
            if param.required && value.is_null() {
                return Err(error(format!("missing required parameter `{}`", param.name)));
            }
            scope.insert(param.name.clone(), value);
        }
        if let Some(name) = given.keys().next() {
            return Err(error(format!("unknown parameter `{name}`")));
        }
        Evaluator {
            partitions: &self.partitions,
        }
        .rules(&self.rules, &scope)?
        .ok_or_else(|| error("no rule matched the parameters"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const EMR_RULES: &str = include_str!("../../../model/emr/2009-03-31/endpoint-rule-set-1.json");
    const PARTITIONS: &str = include_str!("../../../model/partitions.json");

    fn emr() -> Resolver {
        Resolver::new(EMR_RULES, PARTITIONS).unwrap()
    }

    fn region(region: &str) -> BuiltIns {
        BuiltIns {
            region: Some(region.into()),
            ..BuiltIns::default()
        }
    }

    /// A resolver for a rule set with the given parameters and rules.
    fn resolver(params: Value, rules: Value) -> Resolver {
        let rule_set = json!({"version": "1.0", "parameters": params, "rules": rules});
        Resolver::new(&rule_set.to_string(), PARTITIONS).unwrap()
    }

    fn endpoint(url: &str) -> Value {
        json!({"conditions": [], "type": "endpoint", "endpoint": {"url": url}})
    }

    #[test]
    fn unlisted_region_falls_back_to_the_aws_partition() {
        assert_eq!(
            emr().resolve(&region("mars-east-1")).unwrap().url,
            "https://elasticmapreduce.mars-east-1.amazonaws.com"
        );
        let partitions = library::parse_partitions(&serde_json::from_str(PARTITIONS).unwrap()).unwrap();
        let mars = library::partition(&partitions, "mars-east-1");
        assert_eq!(
            (&mars["name"], &mars["dnsSuffix"], &mars["supportsFIPS"]),
            (&json!("aws"), &json!("amazonaws.com"), &json!(true))
        );
        assert_eq!(
            library::partition(&partitions, "us-isob-east-9")["name"],
            "aws-iso-b",
            "by regionRegex"
        );
    }

    #[test]
    fn listed_region_beats_regex_and_overrides_outputs() {
        let outputs = |name: &str| json!({"name": name, "dnsSuffix": format!("{name}.example"), "supportsFIPS": true});
        let partitions = json!({"partitions": [
            {"id": "aws", "regionRegex": "^us\\-\\w+\\-\\d+$", "regions": {}, "outputs": outputs("aws")},
            {"id": "other", "regionRegex": "^xx$", "outputs": outputs("other"),
             "regions": {"us-odd-1": {"description": "listed here", "supportsFIPS": false}}},
        ]});
        let partitions = library::parse_partitions(&partitions).unwrap();
        assert_eq!(
            library::partition(&partitions, "us-odd-1"),
            json!({"name": "other", "dnsSuffix": "other.example", "supportsFIPS": false})
        );
        assert_eq!(library::partition(&partitions, "us-east-1")["name"], "aws");
        assert_eq!(
            library::partition(&partitions, "us-éast-1")["name"],
            "aws",
            "fallback, not a Unicode \\w match"
        );
    }

    #[test]
    fn templates_read_partition_attributes() {
        let emr = emr();
        assert_eq!(
            emr.resolve(&region("cn-north-1")).unwrap().url,
            "https://elasticmapreduce.cn-north-1.amazonaws.com.cn"
        );
        let fips_dual = BuiltIns {
            use_fips: true,
            use_dual_stack: true,
            ..region("us-east-1")
        };
        assert_eq!(
            emr.resolve(&fips_dual).unwrap().url,
            "https://elasticmapreduce-fips.us-east-1.api.aws"
        );
        let r = resolver(
            json!({"Region": {"type": "string", "required": true}}),
            json!([{"conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
                    "type": "endpoint",
                    "endpoint": {"url": "https://{{x}}.{Region}.{P#dnsSuffix}",
                                 "properties": {"authSchemes": [{"signingRegion": "{Region}", "flag": true}]},
                                 "headers": {"x-partition": ["{P#name}", "b"]}}}]),
        );
        let got = r.resolve_params(&[("Region", "eu-isoe-west-1".into())]).unwrap();
        assert_eq!(got.url, "https://{x}.eu-isoe-west-1.cloud.adc-e.uk");
        assert_eq!(
            Value::Object(got.properties),
            json!({"authSchemes": [{"signingRegion": "eu-isoe-west-1", "flag": true}]})
        );
        assert_eq!(got.headers["x-partition"], ["aws-iso-e", "b"]);
    }

    #[test]
    fn defaults_apply_and_required_parameters_are_enforced() {
        let r = resolver(
            json!({"Bucket": {"type": "string", "required": true},
                   "Fips": {"type": "boolean", "required": true, "default": false},
                   "Region": {"type": "string", "builtIn": "AWS::Region"}}),
            json!([{"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Fips"}, false]},
                                   {"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "Region"}]}]}],
                    "type": "endpoint", "endpoint": {"url": "https://{Bucket}.default"}},
                   endpoint("https://{Bucket}.other")]),
        );
        assert_eq!(
            r.resolve_params(&[("Bucket", "b".into())]).unwrap().url,
            "https://b.default"
        );
        let other = r
            .resolve_params(&[("Bucket", "b".into()), ("Fips", true.into())])
            .unwrap();
        assert_eq!(other.url, "https://b.other");
        assert_eq!(
            r.resolve_params(&[]).unwrap_err().message,
            "missing required parameter `Bucket`"
        );
        assert_eq!(
            r.resolve(&region("us-east-1")).unwrap_err().message,
            "missing required parameter `Bucket`"
        );
        assert!(r.resolve_params(&[("Bucket", true.into())]).is_err(), "wrong type");
        assert!(
            r.resolve_params(&[("Bucket", "b".into()), ("bucket", "c".into())])
                .is_err(),
            "unknown name"
        );
        assert_eq!(
            emr().resolve(&BuiltIns::default()).unwrap_err().message,
            "Invalid Configuration: Missing Region"
        );
        let custom = BuiltIns {
            endpoint: Some("https://localhost:8443".into()),
            ..region("us-east-1")
        };
        assert_eq!(emr().resolve(&custom).unwrap().url, "https://localhost:8443");
    }

    #[test]
    fn library_functions_in_rules() {
        let is_ip = json!({"fn": "getAttr", "argv": [{"ref": "Url"}, "isIp"]});
        let conditions = json!([
            {"fn": "parseURL", "argv": [{"ref": "Endpoint"}], "assign": "Url"},
            {"fn": "isValidHostLabel", "argv": [{"ref": "Label"}, false]},
            {"fn": "substring", "argv": [{"ref": "Label"}, 0, 2, true], "assign": "Tail"},
            {"fn": "uriEncode", "argv": ["{Label}/x y"], "assign": "Enc"},
            {"fn": "booleanEquals", "argv": [is_ip, false]},
        ]);
        let url = "{Url#scheme}://{Label}.{Url#authority}{Url#normalizedPath}{Tail}/{Enc}";
        let r = resolver(
            json!({"Endpoint": {"type": "string"}, "Label": {"type": "string", "required": true}}),
            json!([{"conditions": conditions, "type": "endpoint", "endpoint": {"url": url}},
                   {"conditions": [], "type": "error", "error": "no match for {Label}"}]),
        );
        let resolve =
            |endpoint: &str, label: &str| r.resolve_params(&[("Endpoint", endpoint.into()), ("Label", label.into())]);
        assert_eq!(
            resolve("https://h:1/p", "ab-cd").unwrap().url,
            "https://ab-cd.h:1/p/cd/ab-cd%2Fx%20y"
        );
        assert_eq!(
            resolve("https://10.0.0.1", "ab").unwrap_err().message,
            "no match for ab"
        );
        assert_eq!(resolve("https://h", "-ab").unwrap_err().message, "no match for -ab");
        assert_eq!(resolve("https://h?q", "ab").unwrap_err().message, "no match for ab");
        // An unset value where a function needs one, or a reference to nothing, is a rule set error, not a panic.
        assert!(r
            .resolve_params(&[("Label", "ab".into())])
            .unwrap_err()
            .message
            .starts_with("invalid rule set"));
        let r = resolver(json!({}), json!([endpoint("https://{Nothing}")]));
        assert!(r
            .resolve_params(&[])
            .unwrap_err()
            .message
            .contains("unknown reference `Nothing`"));
    }

    #[test]
    fn tree_rules_are_terminal() {
        let never = json!({"fn": "booleanEquals", "argv": [true, false]});
        let r = resolver(
            json!({}),
            json!([{"conditions": [], "type": "tree",
                    "rules": [{"conditions": [never], "type": "error", "error": "x"}]},
                   endpoint("https://unreachable")]),
        );
        let message = r.resolve_params(&[]).unwrap_err().message;
        assert!(message.starts_with("invalid rule set"), "{message}");
        let r = resolver(
            json!({}),
            json!([{"conditions": [{"fn": "isSet", "argv": [true]}], "type": "error", "error": "e"}]),
        );
        assert_eq!(r.resolve_params(&[]).unwrap_err().message, "e");
    }

    #[test]
    fn malformed_rule_sets_are_errors_not_panics() {
        let with_rule = |rule: &str| format!(r#"{{"parameters": {{}}, "rules": [{rule}]}}"#);
        let bad = [
            "not json".to_owned(),
            "{}".to_owned(),
            r#"{"parameters": {}, "rules": {}}"#.to_owned(),
            r#"{"parameters": {"A": {"type": "float"}}, "rules": []}"#.to_owned(),
            r#"{"parameters": {"A": {"type": "string", "default": true}}, "rules": []}"#.to_owned(),
            with_rule(r#"{"type": "nope", "conditions": []}"#),
            with_rule(r#"{"type": "endpoint", "conditions": [], "endpoint": {}}"#),
            with_rule(r#"{"type": "error", "conditions": [{"fn": "aws.parseArn", "argv": ["x"]}], "error": "e"}"#),
            with_rule(r#"{"type": "error", "conditions": [{"fn": "not", "argv": []}], "error": "e"}"#),
            with_rule(r#"{"type": "error", "conditions": [{"ref": "A"}], "error": "e"}"#),
            with_rule(r#"{"type": "error", "conditions": [], "error": "{unclosed"}"#),
            with_rule(r#"{"type": "error", "conditions": [], "error": null}"#),
        ];
        for rule_set in bad {
            assert!(Resolver::new(&rule_set, PARTITIONS).is_err(), "{rule_set}");
        }
        assert!(Resolver::new(EMR_RULES, "{}").is_err());
        assert!(Resolver::new(
            EMR_RULES,
            r#"{"partitions": [{"id": "aws", "regionRegex": "(", "regions": {}, "outputs": {}}]}"#
        )
        .is_err());
        for cut in (0..EMR_RULES.len()).step_by(97) {
            assert!(Resolver::new(&EMR_RULES[..cut], PARTITIONS).is_err());
        }
        // Type errors that only show at resolution.
        let r = resolver(
            json!({"A": {"type": "string"}}),
            json!([{"conditions": [{"fn": "not", "argv": [{"ref": "A"}]}], "type": "error", "error": "e"}]),
        );
        assert!(r.resolve_params(&[("A", "s".into())]).is_err());
        assert!(r.resolve_params(&[]).is_err());
    }

    /// Replaces each node of the EMR rule set in turn with values of other types: every variant must load or be
    /// rejected, and resolve or fail, without panicking.
    #[test]
    fn mutated_rule_sets_never_panic() {
        fn paths(value: &Value, here: String, out: &mut Vec<String>) {
            match value {
                Value::Object(o) => o.iter().for_each(|(k, v)| paths(v, format!("{here}/{k}"), out)),
                Value::Array(a) => a
                    .iter()
                    .enumerate()
                    .for_each(|(i, v)| paths(v, format!("{here}/{i}"), out)),
                _ => {}
            }
            out.push(here);
        }
        let original: Value = serde_json::from_str(EMR_RULES).unwrap();
        let mut all = Vec::new();
        paths(&original, String::new(), &mut all);
        let partitions = library::parse_partitions(&serde_json::from_str(PARTITIONS).unwrap()).unwrap();
        let inputs = [
            region("us-east-1"),
            BuiltIns {
                use_fips: true,
                ..region("us-gov-west-1")
            },
            BuiltIns::default(),
        ];
        for path in all.iter().filter(|p| !p.is_empty()) {
            for replacement in [Value::Null, json!(true), json!("{Region}"), json!({}), json!([])] {
                let mut mutated = original.clone();
                *mutated.pointer_mut(path).unwrap() = replacement;
                if let Ok(r) = Resolver::with_partitions(&mutated, partitions.clone()) {
                    inputs.iter().for_each(|b| drop(r.resolve(b)));
                }
            }
        }
    }
}
