//! Runs the shared profile-file suites the AWS SDKs run (vendored from aws-runtime 1.10.2, Apache-2.0).
//!
//! Cases that cannot apply are listed in `profile_suites.skip` beside this file, as `name: reason` lines.

use lean_aws_runtime::env::Env;
use lean_aws_runtime::profile::{FileLocations, Platform, ProfileSet, Section};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

const PARSER_SUITE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/vendor/aws-runtime/profile-parser-tests.json"
);
const LOCATION_SUITE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/vendor/aws-runtime/file-location-tests.json"
);
const SKIP_LIST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/profile_suites.skip");

type Sections = BTreeMap<String, BTreeMap<String, String>>;

fn load_cases(path: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let suite: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {path}: {e}"));
    suite["tests"].as_array().expect("a `tests` array").clone()
}

/// Case name → reason, from the checked-in skip list.
fn skip_list() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(SKIP_LIST).unwrap_or_else(|e| panic!("reading {SKIP_LIST}: {e}"));
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (name, reason) = line
                .rsplit_once(": ")
                .unwrap_or_else(|| panic!("skip line without `: reason`: {line}"));
            (name.trim().to_owned(), reason.trim().to_owned())
        })
        .collect()
}

/// Runs `check` on every case not skipped; panics listing every failure. Returns (passed, skipped).
fn run_suite(
    label: &str,
    cases: &[Value],
    skips: &BTreeMap<String, String>,
    used_skips: &mut BTreeSet<String>,
    check: impl Fn(&Value) -> Result<(), String>,
) -> (usize, usize) {
    let (mut passed, mut skipped, mut failures) = (0, 0, Vec::new());
    for case in cases {
        let name = case["name"].as_str().expect("case name");
        if skips.contains_key(name) {
            used_skips.insert(name.to_owned());
            skipped += 1;
            continue;
        }
        match check(case) {
            Ok(()) => passed += 1,
            Err(why) => failures.push(format!("{name}: {why}")),
        }
    }
    println!("{label}: {passed} passed, {skipped} skipped");
    assert!(
        failures.is_empty(),
        "{label}: {} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    (passed, skipped)
}

fn to_map<'a>(sections: impl Iterator<Item = &'a Section>) -> Sections {
    sections
        .map(|s| {
            (
                s.name().to_owned(),
                s.properties().map(|(k, v)| (k.to_owned(), v.to_owned())).collect(),
            )
        })
        .collect()
}

fn expected_sections(config: &Map<String, Value>, key: &str) -> Sections {
    let Some(sections) = config.get(key) else {
        return Sections::new();
    };
    let sections = sections.as_object().unwrap_or_else(|| panic!("`{key}` is an object"));
    sections
        .iter()
        .map(|(name, props)| {
            let props = props.as_object().expect("properties object");
            let props = props
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().expect("string value").to_owned()))
                .collect();
            (name.clone(), props)
        })
        .collect()
}

fn check_parser_case(case: &Value) -> Result<(), String> {
    let input = &case["input"];
    let result = ProfileSet::parse(input["configFile"].as_str(), input["credentialsFile"].as_str());
    let output = &case["output"];
    if let Some(expected) = output["errorContaining"].as_str() {
        return match result {
            Err(err) if err.to_string().contains(expected) => Ok(()),
            Err(err) => Err(format!("error `{err}` does not contain `{expected}`")),
            Ok(set) => Err(format!("expected an error containing `{expected}`, parsed {set:?}")),
        };
    }
    let set = result.map_err(|err| format!("unexpected error: {err}"))?;
    let expected = output["config"]
        .as_object()
        .ok_or("output has neither `config` nor `errorContaining`")?;
    if let Some(unknown) = expected
        .keys()
        .find(|k| !["profiles", "sso_sessions", "services"].contains(&k.as_str()))
    {
        return Err(format!("the runner does not know expected output `{unknown}`"));
    }
    let actual = [
        ("profiles", to_map(set.profiles())),
        ("sso_sessions", to_map(set.sso_sessions())),
        ("services", to_map(set.all_services())),
    ];
    for (key, actual) in actual {
        let expected = expected_sections(expected, key);
        if actual != expected {
            return Err(format!("{key}: expected {expected:?}, got {actual:?}"));
        }
    }
    check_lookups(&set)
}

/// The lookup methods agree with the iterators, and sub-properties are reachable by key.
fn check_lookups(set: &ProfileSet) -> Result<(), String> {
    for profile in set.profiles() {
        let found = set
            .profile(profile.name())
            .ok_or_else(|| format!("profile({:?}) is None", profile.name()))?;
        for (key, value) in found.properties() {
            if found.get(&key.to_ascii_uppercase()) != Some(value) {
                return Err(format!("get({key:?}) is not case-insensitive"));
            }
            for line in value.lines().skip(1).filter(|_| value.starts_with('\n')) {
                let Some((sub, sub_value)) = line.split_once('=') else {
                    continue;
                };
                let (sub, sub_value) = (sub.trim(), sub_value.trim());
                if found.sub_property(key, sub) != Some(sub_value) {
                    return Err(format!("sub_property({key:?}, {sub:?}) is not {sub_value:?}"));
                }
            }
        }
    }
    for session in set.sso_sessions() {
        set.sso_session(session.name())
            .ok_or_else(|| format!("sso_session({:?}) is None", session.name()))?;
    }
    Ok(())
}

fn check_location_case(case: &Value) -> Result<(), String> {
    let platform = match case["platform"].as_str() {
        Some("windows") => Platform::Windows,
        Some("linux" | "macos") => Platform::Unix,
        other => return Err(format!("unknown platform {other:?}")),
    };
    let vars = case["environment"].as_object().ok_or("no environment")?;
    let env = Env::from_pairs(
        vars.iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())),
    );
    let locations = FileLocations::for_platform(&env, platform);
    let actual = [
        ("configLocation", &locations.config),
        ("credentialsLocation", &locations.credentials),
    ];
    for (key, path) in actual {
        let expected = case[key].as_str().ok_or_else(|| format!("no {key}"))?;
        if path.to_str() != Some(expected) {
            return Err(format!("{key}: expected {expected:?}, got {path:?}"));
        }
    }
    if let Some(expected) = case["profile"].as_str() {
        let actual = ProfileSet::selected_profile_name(&env);
        if actual != expected {
            return Err(format!("profile: expected {expected:?}, got {actual:?}"));
        }
    }
    Ok(())
}

#[test]
fn shared_profile_suites() {
    let skips = skip_list();
    let mut used = BTreeSet::new();
    let parser_cases = load_cases(PARSER_SUITE);
    let location_cases = load_cases(LOCATION_SUITE);
    assert_eq!(parser_cases.len(), 65, "profile parser suite size changed");
    assert_eq!(location_cases.len(), 9, "file location suite size changed");
    let (parsed, _) = run_suite("profile parser", &parser_cases, &skips, &mut used, check_parser_case);
    let (located, _) = run_suite("file location", &location_cases, &skips, &mut used, check_location_case);
    let stale: Vec<_> = skips.keys().filter(|name| !used.contains(*name)).collect();
    assert!(
        stale.is_empty(),
        "profile_suites.skip names cases no suite has: {stale:?}"
    );
    assert!(parsed > 0 && located > 0);
}
