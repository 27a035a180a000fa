//! `model/codegen.json`, read once into these types: which crates to generate from which model, and the facts the
//! model states only in prose.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The whole generation plan.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Service crates.
    pub crates: Vec<CrateSpec>,
    /// The protocol conformance crate, if there is one.
    #[serde(default)]
    pub conformance: Option<ConformanceSpec>,
}

/// One service crate to generate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateSpec {
    /// What the crate is for (a note for readers).
    #[serde(rename = "_source", default)]
    pub source: String,
    /// The crate's folder, relative to the repository root, e.g. `generated`.
    pub dir: String,
    /// The model folder under `model/`, e.g. `emr/2009-03-31`.
    pub model: String,
    /// Which operations to generate.
    #[serde(default)]
    pub operations: Operations,
    /// Whether each operation sits behind a cargo feature of its own (with `full`, the default, enabling all);
    /// the generator then writes the `[features]` table of the crate's `Cargo.toml`.
    #[serde(default)]
    pub features: bool,
    /// botocore's endpoint test suite for the service (a path from the repository root), if there is one: it
    /// becomes `tests/endpoint_rules/cases.rs` in the crate.
    #[serde(default)]
    pub endpoint_tests: Option<String>,
    /// Per input shape, groups of members of which exactly one must be set.
    #[serde(default)]
    pub exactly_one_of: ExactlyOneOf,
    /// Per shape, members that hold secrets although the model does not mark them sensitive.
    #[serde(default)]
    pub sensitive_members: SensitiveMembers,
    /// Where the generated loopback tests of the paginators and waiters go (a folder from the repository root,
    /// holding a hand-written `main.rs` with the server they use), if anywhere.
    #[serde(default)]
    pub loopback_tests: Option<String>,
    /// Which side of the protocol to generate.
    #[serde(default)]
    pub mode: Mode,
    /// The module below `src/` that holds the generated tree (`model` for `src/model/`, reached as
    /// `crate::model`); without it, the tree is the crate's `src/` and the crate's root.
    #[serde(default)]
    pub module: Option<String>,
    /// Server mode: the crate's hand-written module (below `src/`) with the service side of the protocol that
    /// generated server code calls: strict decoding, violations, answers (`awsjson` for `src/awsjson/`, reached as
    /// `crate::awsjson`).
    #[serde(default)]
    pub server_support: Option<String>,
}

/// Which side of the protocol a crate is.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// A client: serializers for inputs, forgiving deserializers for outputs and errors, client methods.
    #[default]
    Client,
    /// A server (an emulator): strict deserializers for inputs, serializers for outputs and errors, a handler trait
    /// with a dispatch function, and no client.
    Server,
}

/// The operations of a crate: `"all"` of the model's, or a list of names.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Operations {
    /// Every operation in the model.
    All(AllOperations),
    /// These operations.
    Named(Vec<String>),
}

/// The word `"all"`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum AllOperations {
    /// `"all"`.
    #[serde(rename = "all")]
    All,
}

impl Default for Operations {
    fn default() -> Self {
        Operations::All(AllOperations::All)
    }
}

/// Exactly-one-of rules that the model states only in its documentation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExactlyOneOf {
    /// Where the rules come from (the model's words).
    #[serde(rename = "_source", default)]
    pub source: String,
    /// Shape name → groups of member names.
    #[serde(flatten)]
    pub rules: BTreeMap<String, Vec<Vec<String>>>,
}

/// Members that hold secrets by the model's own words, though it does not mark them sensitive.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SensitiveMembers {
    /// Where the list comes from (the model's words).
    #[serde(rename = "_source", default)]
    pub source: String,
    /// Shape name → member names.
    #[serde(flatten)]
    pub members: BTreeMap<String, Vec<String>>,
}

/// The protocol conformance crate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConformanceSpec {
    /// Where the suites come from.
    #[serde(rename = "_source", default)]
    pub source: String,
    /// The crate's folder, e.g. `tests/conformance`.
    pub dir: String,
    /// Suite name (`input`, `output`) → suite file, relative to the repository root.
    pub suites: BTreeMap<String, String>,
    /// The skip list file.
    pub skip_list: String,
    /// The endpoint rule set every group's client gets (the suites have none).
    pub endpoint_rule_set: String,
    /// The partitions file for it.
    pub partitions: String,
}

impl Plan {
    /// Reads `model/codegen.json` below `root`.
    pub fn load(root: &Path) -> Result<Plan, String> {
        let path = root.join("model/codegen.json");
        let text = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_slice(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_all_or_a_list() {
        let spec: CrateSpec = serde_json::from_str(r#"{"dir": "d", "model": "m"}"#).unwrap();
        assert_eq!(spec.operations, Operations::All(AllOperations::All));
        let spec: CrateSpec = serde_json::from_str(r#"{"dir": "d", "model": "m", "operations": "all"}"#).unwrap();
        assert_eq!(spec.operations, Operations::All(AllOperations::All));
        let spec: CrateSpec = serde_json::from_str(r#"{"dir": "d", "model": "m", "operations": ["A"]}"#).unwrap();
        assert_eq!(spec.operations, Operations::Named(vec!["A".into()]));
        assert!(serde_json::from_str::<CrateSpec>(r#"{"dir": "d", "model": "m", "operations": "some"}"#).is_err());
        assert!(serde_json::from_str::<CrateSpec>(r#"{"dir": "d", "model": "m", "typo": 1}"#).is_err());
    }

    #[test]
    fn mode_is_client_unless_the_crate_says_server() {
        let spec: CrateSpec = serde_json::from_str(r#"{"dir": "d", "model": "m"}"#).unwrap();
        assert_eq!((spec.mode, spec.module), (Mode::Client, None));
        let spec: CrateSpec =
            serde_json::from_str(r#"{"dir": "d", "model": "m", "mode": "server", "module": "model"}"#).unwrap();
        assert_eq!((spec.mode, spec.module.as_deref()), (Mode::Server, Some("model")));
        let spec: CrateSpec =
            serde_json::from_str(r#"{"dir": "d", "model": "m", "mode": "server", "server_support": "awsjson"}"#)
                .unwrap();
        assert_eq!(spec.server_support.as_deref(), Some("awsjson"));
        assert!(serde_json::from_str::<CrateSpec>(r#"{"dir": "d", "model": "m", "mode": "proxy"}"#).is_err());
    }

    #[test]
    fn exactly_one_of_keeps_its_source_apart_from_its_rules() {
        let rules: ExactlyOneOf = serde_json::from_str(r#"{"_source": "prose", "XInput": [["A", "B"]]}"#).unwrap();
        assert_eq!(rules.source, "prose");
        assert_eq!(rules.rules["XInput"], vec![vec!["A".to_owned(), "B".to_owned()]]);
    }
}
