//! Checks one case of a botocore endpoint test suite (`endpoint-tests-1.json`), for hand-written and generated
//! tests alike.

use super::{ParamValue, Resolver};
use serde_json::Value;

/// What [`check_case`] made of a case that did not fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The resolver gave the expected endpoint or error.
    Passed,
    /// The case cannot be expressed through [`Resolver::resolve_params`], for the reason given.
    Skipped(String),
}

/// Checks one test case, `{"documentation", "params", "expect"}`: the URL (and any `properties` and `headers`
/// the case lists) must equal the expected endpoint, or the error message the expected `error` exactly.
/// `Err` describes the mismatch.
pub fn check_case(resolver: &Resolver, case: &Value) -> Result<Outcome, String> {
    let doc = case["documentation"].as_str().unwrap_or("<undocumented case>");
    let mut params = Vec::new();
    if let Some(given) = case.get("params") {
        let given = given
            .as_object()
            .ok_or_else(|| format!("{doc}: `params` is not an object"))?;
        for (name, value) in given {
            let value = match value {
                Value::String(s) => ParamValue::String(s.clone()),
                Value::Bool(b) => ParamValue::Bool(*b),
                other => return Ok(Outcome::Skipped(format!("{doc}: parameter `{name}` is {other}"))),
            };
            params.push((name.as_str(), value));
        }
    }
    let expect = &case["expect"];
    match (
        expect.get("endpoint"),
        expect.get("error"),
        resolver.resolve_params(&params),
    ) {
        (Some(want), None, Ok(got)) => {
            let headers = got
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(v.clone())))
                .collect();
            let checks = [
                ("url", Value::String(got.url.clone())),
                ("properties", Value::Object(got.properties.clone())),
                ("headers", Value::Object(headers)),
            ];
            for (key, actual) in checks {
                match want.get(key) {
                    Some(expected) if *expected != actual => {
                        return Err(format!("{doc}: {key} {actual} differs from the expected {expected}"));
                    }
                    None if key == "url" => return Err(format!("{doc}: the expected endpoint has no url")),
                    _ => {}
                }
            }
            Ok(Outcome::Passed)
        }
        (None, Some(want), Err(got)) if want.as_str() == Some(got.message.as_str()) => Ok(Outcome::Passed),
        (_, _, got) => Err(format!("{doc}: expected {expect}, got {got:?}")),
    }
}
