//! What a server finds wrong with an input, and the `ValidationException` message the service words it with:
//! "2 validation errors detected: Value null at 'studioId' failed to satisfy constraint: Member must not be null;
//! Value 'x' at 'tags.1.member.key' failed to satisfy constraint: …".
//!
//! A violation carries its place as [`FieldPath`] segments (member names, list indexes, map keys), so the
//! service's path (`tags.1.member`) and the value quoted from the request body are read from the structure.

use lean_aws_runtime::protocol::json::Value;
use lean_aws_runtime::validate::{self, FieldPath, Path, Rule, Segment};

/// One thing wrong with an input, found by the strict decoder or the generated validator.
#[derive(Debug, Clone, PartialEq)]
pub enum Violation {
    /// A required member is missing or `null` (the decoder's report; its zero value stands in).
    Missing(FieldPath),
    /// A string that is not one of its enum's values (clients keep unknown values; the service refuses them).
    NotInEnum {
        /// Where the value is.
        path: FieldPath,
        /// The enum's values.
        values: &'static [&'static str],
    },
    /// A constraint the shared validators check (lengths, patterns, ranges, exactly-one-of, …).
    Checked(validate::Violation),
}

impl Violation {
    /// Where the broken value is.
    pub fn path(&self) -> &FieldPath {
        match self {
            Violation::Missing(path) | Violation::NotInEnum { path, .. } => path,
            Violation::Checked(v) => &v.path,
        }
    }
}

impl From<validate::Violation> for Violation {
    fn from(v: validate::Violation) -> Violation {
        Violation::Checked(v)
    }
}

/// A required member is missing: what the strict decoders report.
pub fn missing(path: &Path<'_>, out: &mut Vec<Violation>) {
    out.push(Violation::Missing(path.into()));
}

/// `value` must be one of the enum's `values`.
pub fn check_enum(value: &str, values: &'static [&'static str], path: &Path<'_>, out: &mut Vec<Violation>) {
    if !values.contains(&value) {
        out.push(Violation::NotInEnum {
            path: path.into(),
            values,
        });
    }
}

/// A `ValidationException` message as the service words it; values are quoted from the request `body`.
pub fn message(violations: &[Violation], body: &Value) -> String {
    let n = violations.len();
    let items: Vec<String> = violations.iter().map(|v| text(v, body)).collect();
    format!(
        "{n} validation error{} detected: {}",
        if n == 1 { "" } else { "s" },
        items.join("; ")
    )
}

fn text(v: &Violation, body: &Value) -> String {
    let constraint = match v {
        Violation::Missing(_) => "Member must not be null".to_owned(),
        Violation::NotInEnum { values, .. } => format!("Member must satisfy enum value set: [{}]", values.join(", ")),
        Violation::Checked(checked) => match &checked.rule {
            Rule::Required => "Member must not be null".to_owned(),
            Rule::MinLength { min, .. } => format!("Member must have length greater than or equal to {min}"),
            Rule::MaxLength { max, .. } => format!("Member must have length less than or equal to {max}"),
            Rule::Min { min, .. } => format!("Member must have value greater than or equal to {min}"),
            Rule::Max { max, .. } => format!("Member must have value less than or equal to {max}"),
            Rule::Pattern { pattern } => format!("Member must satisfy regular expression pattern: {pattern}"),
            // Rules the service states in prose: our own words.
            _ => return checked.to_string(),
        },
    };
    let steps = v.path().segments();
    let value = lookup(body, steps).map_or_else(|| "null".to_owned(), |v| format!("'{}'", java_text(v)));
    format!(
        "Value {value} at '{}' failed to satisfy constraint: {constraint}",
        member_path(steps)
    )
}

/// The service's name for a place in the input: members in lower camel case, list elements as
/// `tags.1.member`.
fn member_path(steps: &[Segment]) -> String {
    let parts: Vec<String> = steps
        .iter()
        .map(|s| match s {
            Segment::Member(name) => {
                let mut chars = name.chars();
                chars
                    .next()
                    .map(|c| c.to_lowercase().chain(chars).collect())
                    .unwrap_or_default()
            }
            Segment::Index(i) => format!("{}.member", i + 1),
            Segment::Key(k) => k.clone(),
        })
        .collect();
    parts.join(".")
}

/// The value at `steps` in the body, `None` for one that is absent or null.
fn lookup<'v>(body: &'v Value, steps: &[Segment]) -> Option<&'v Value> {
    let mut at = body;
    for step in steps {
        at = match step {
            Segment::Member(name) => at.get(name.as_ref())?,
            Segment::Key(key) => at.get(key.as_str())?,
            Segment::Index(i) => at.get(*i)?,
        };
    }
    (!at.is_null()).then_some(at)
}

/// A value as the service prints it: strings bare, lists as `[a, b]`.
fn java_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => format!("[{}]", items.iter().map(java_text).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn enum_values_outside_the_set_are_violations() {
        let mut out = Vec::new();
        check_enum("USER", &["USER", "GROUP"], &Path::Root.member("IdentityType"), &mut out);
        assert!(out.is_empty());
        check_enum(
            "ROBOT",
            &["USER", "GROUP"],
            &Path::Root.member("IdentityType"),
            &mut out,
        );
        assert_eq!(
            message(&out, &json!({"IdentityType": "ROBOT"})),
            "1 validation error detected: Value 'ROBOT' at 'identityType' failed to satisfy constraint: Member \
             must satisfy enum value set: [USER, GROUP]"
        );
    }

    #[test]
    fn paths_and_values_are_read_from_the_segments_map_keys_included() {
        let root = Path::Root;
        let tags = root.member("Tags");
        let first = tags.index(0);
        let settings = root.member("Settings");
        // A key with the characters a rendered path would have to escape.
        let key = "a.b{\"c\"}[0]";
        let mut out = Vec::new();
        validate::check_str_length("", Some(1), None, &first.member("Key"), &mut out);
        validate::check_str_length("xyz", None, Some(2), &settings.key(key), &mut out);
        let mut violations: Vec<Violation> = out.into_iter().map(Violation::from).collect();
        missing(&root.member("StudioId"), &mut violations);
        let body = json!({"Tags": [{"Key": ""}], "Settings": {key: "xyz"}, "StudioId": null});
        assert_eq!(
            message(&violations, &body),
            "3 validation errors detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member \
             must have length greater than or equal to 1; Value 'xyz' at 'settings.a.b{\"c\"}[0]' failed to \
             satisfy constraint: Member must have length less than or equal to 2; Value null at 'studioId' failed \
             to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn rules_the_service_states_in_prose_keep_the_clients_words() {
        let mut out = Vec::new();
        validate::check_exactly_one(2, &["IdentityId", "IdentityName"], &Path::Root, &mut out);
        let violations: Vec<Violation> = out.into_iter().map(Violation::from).collect();
        assert_eq!(
            message(&violations, &json!({})),
            "1 validation error detected: input: exactly one of IdentityId, IdentityName must be set, got 2"
        );
    }
}
