//! The service side of awsJson, for generated server code (such as an emulator): a request's input decoded
//! strictly and checked by the generated validators, and answers and errors encoded as the service encodes them.
//!
//! A generated server decodes with [`decode_input`], which answers a body that is not a JSON object with
//! `SerializationException` and every broken constraint with `ValidationException` in the service's words
//! ("1 validation error detected: Value null at 'studioId' failed to satisfy constraint: Member must not be
//! null"). [`Response::ok`] and [`Response::modelled_error`] encode what the handler returned; errors the
//! protocol itself raises (an unknown operation, a bad signature) are [`Response::error`].

use crate::protocol::json::{DecodeError, JsonWriter, Value};
use crate::validate::{segments, Path, Rule, Segment, Validate, ValidationMode, Violation};

/// The `Content-Type` of awsJson 1.1 requests and responses.
pub const CONTENT_TYPE_JSON_1_1: &str = "application/x-amz-json-1.1";

/// The error code for a body that is not a JSON object of the input's shape.
pub const SERIALIZATION_EXCEPTION: &str = "SerializationException";

/// The error code for an input that breaks the model's constraints.
pub const VALIDATION_EXCEPTION: &str = "ValidationException";

/// The error code for an operation the service does not have.
pub const UNKNOWN_OPERATION_EXCEPTION: &str = "UnknownOperationException";

/// An answer: HTTP status and JSON body (the request id and headers are the HTTP layer's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: Vec<u8>,
}

impl Response {
    /// A 200 answer whose body `write` writes.
    pub fn ok(write: impl FnOnce(&mut JsonWriter)) -> Response {
        let mut w = JsonWriter::new();
        write(&mut w);
        Response {
            status: 200,
            body: w.finish(),
        }
    }

    /// A modelled error with HTTP status `status`; `write` writes its `__type` and members.
    pub fn modelled_error(status: u16, write: impl FnOnce(&mut JsonWriter)) -> Response {
        Response {
            status,
            ..Response::ok(write)
        }
    }

    /// An error the protocol raises: `{"__type": code, "message": message}`.
    pub fn error(status: u16, code: &str, message: &str) -> Response {
        Response::modelled_error(status, |w| {
            w.begin_object();
            w.key("__type");
            w.string(code);
            w.key("message");
            w.string(message);
            w.end_object();
        })
    }

    /// The `__type` of an error answer, if this is one.
    pub fn error_code(&self) -> Option<String> {
        if self.status < 300 {
            return None;
        }
        let body: Value = serde_json::from_slice(&self.body).ok()?;
        body.get("__type")?.as_str().map(str::to_owned)
    }
}

/// The answer to an operation the service does not have.
pub fn unknown_operation(target: &str) -> Response {
    Response::error(
        400,
        UNKNOWN_OPERATION_EXCEPTION,
        &format!("Operation {target:?} is not supported by this service"),
    )
}

/// Decodes and validates an input: `decode` reads the parsed body, reporting missing required members and values
/// outside their enum as violations (filling in a zero value) and wrong types as a [`DecodeError`]; then the
/// input's generated validator runs. Any violation is a `ValidationException` naming every one of them.
pub fn decode_input<T: Validate>(
    body: &[u8],
    decode: impl FnOnce(&Value, &mut Vec<Violation>) -> Result<T, DecodeError>,
) -> Result<T, Response> {
    let serialization = |message: String| Response::error(400, SERIALIZATION_EXCEPTION, &message);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(serialization(
            "The request body is empty; an awsJson request carries a JSON object".into(),
        ));
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|e| serialization(format!("The request body is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(serialization("The request body must be a JSON object (`{...}`)".into()));
    }
    let mut violations = Vec::new();
    let input = decode(&value, &mut violations).map_err(|e| serialization(e.to_string()))?;
    // Members that are missing were filled in with zero values: what the validator says of those is moot.
    let missing: Vec<String> = violations
        .iter()
        .filter(|v| v.rule == Rule::Required)
        .map(|v| v.path.clone())
        .collect();
    let mut checked = Vec::new();
    input.validate_into(&Path::Root, ValidationMode::Full, &mut checked);
    violations.extend(
        checked
            .into_iter()
            .filter(|v| !missing.iter().any(|m| is_within(&v.path, m))),
    );
    if violations.is_empty() {
        Ok(input)
    } else {
        Err(Response::error(
            400,
            VALIDATION_EXCEPTION,
            &validation_message(&violations, &value),
        ))
    }
}

/// Whether rendered path `path` is `parent` or below it.
fn is_within(path: &str, parent: &str) -> bool {
    path.strip_prefix(parent)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[', '{']))
}

/// A `ValidationException` message as the service words it: "2 validation errors detected: Value null at
/// 'studioId' failed to satisfy constraint: Member must not be null; Value 'x' at ...". Values are read from the
/// request body.
pub fn validation_message(violations: &[Violation], body: &Value) -> String {
    let n = violations.len();
    let items: Vec<String> = violations.iter().map(|v| violation_text(v, body)).collect();
    format!(
        "{n} validation error{} detected: {}",
        if n == 1 { "" } else { "s" },
        items.join("; ")
    )
}

fn violation_text(v: &Violation, body: &Value) -> String {
    let steps = segments(&v.path).unwrap_or_default();
    let constraint = match &v.rule {
        Rule::Required => "Member must not be null".to_owned(),
        Rule::MinLength { min, .. } => format!("Member must have length greater than or equal to {min}"),
        Rule::MaxLength { max, .. } => format!("Member must have length less than or equal to {max}"),
        Rule::Min { min, .. } => format!("Member must have value greater than or equal to {min}"),
        Rule::Max { max, .. } => format!("Member must have value less than or equal to {max}"),
        Rule::Pattern { pattern } => format!("Member must satisfy regular expression pattern: {pattern}"),
        Rule::Enum { values } => format!("Member must satisfy enum value set: [{}]", values.join(", ")),
        // Rules the service states in prose: our own words.
        _ => return v.to_string(),
    };
    let value = lookup(body, &steps).map_or_else(|| "null".to_owned(), |v| format!("'{}'", java_text(v)));
    format!(
        "Value {value} at '{}' failed to satisfy constraint: {constraint}",
        member_path(&steps)
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
            Segment::Member(name) | Segment::Key(name) => at.get(name.as_str())?,
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
    use crate::validate;

    /// A stand-in for a generated input with one required, length-limited member.
    #[derive(Debug)]
    struct Input {
        name: String,
        tags: Vec<String>,
    }

    impl Validate for Input {
        const SHAPE: &'static str = "Input";
        fn validate_into(&self, path: &Path<'_>, _: ValidationMode, out: &mut Vec<Violation>) {
            validate::check_str_length(&self.name, Some(2), Some(4), &path.member("Name"), out);
            for (i, t) in self.tags.iter().enumerate() {
                validate::check_str_length(t, Some(1), None, &path.member("Tags").index(i), out);
            }
        }
    }

    fn decode(v: &Value, out: &mut Vec<Violation>) -> Result<Input, DecodeError> {
        let obj = crate::protocol::json::de_object(v)?;
        let name = match crate::protocol::json::member(obj, "Name") {
            Some(v) => crate::protocol::json::de_string(v).map_err(|e| e.at("Name"))?,
            None => {
                validate::missing(&Path::Root.member("Name"), out);
                String::new()
            }
        };
        let tags = match crate::protocol::json::member(obj, "Tags") {
            Some(v) => crate::protocol::json::de_array(v)?
                .iter()
                .map(crate::protocol::json::de_string)
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        Ok(Input { name, tags })
    }

    fn message(r: &Response) -> String {
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        v["message"].as_str().unwrap().to_owned()
    }

    #[test]
    fn a_missing_required_member_is_named_in_the_services_words_and_not_also_as_too_short() {
        let r = decode_input(b"{}", decode).unwrap_err();
        assert_eq!(r.status, 400);
        assert_eq!(r.error_code().as_deref(), Some(VALIDATION_EXCEPTION));
        assert_eq!(
            message(&r),
            "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"
        );
        let r = decode_input(br#"{"Name": null, "Tags": ["a", ""]}"#, decode).unwrap_err();
        assert_eq!(
            message(&r),
            "2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be \
             null; Value '' at 'tags.2.member' failed to satisfy constraint: Member must have length greater than \
             or equal to 1"
        );
    }

    #[test]
    fn values_are_quoted_from_the_body() {
        let r = decode_input(br#"{"Name": "toolong"}"#, decode).unwrap_err();
        assert_eq!(
            message(&r),
            "1 validation error detected: Value 'toolong' at 'name' failed to satisfy constraint: Member must have \
             length less than or equal to 4"
        );
        assert_eq!(decode_input(br#"{"Name": "ok"}"#, decode).unwrap().name, "ok");
    }

    #[test]
    fn bodies_that_are_not_json_objects_of_the_shape_are_serialization_errors() {
        for body in [
            &b""[..],
            b"  ",
            b"not json",
            b"[1]",
            b"\"x\"",
            br#"{"Name": 5}"#,
            b"{\"Name\": \"\xff\"}",
        ] {
            let r = decode_input(body, decode).unwrap_err();
            assert_eq!(r.status, 400, "{body:?}");
            assert_eq!(r.error_code().as_deref(), Some(SERIALIZATION_EXCEPTION), "{body:?}");
        }
        let r = decode_input(br#"{"Name": 5}"#, decode).unwrap_err();
        assert_eq!(message(&r), "Name: expected a string, got a number");
    }

    #[test]
    fn protocol_errors_carry_code_and_message() {
        let r = unknown_operation("ElasticMapReduce.Nope");
        assert_eq!(r.status, 400);
        assert_eq!(r.error_code().as_deref(), Some(UNKNOWN_OPERATION_EXCEPTION));
        assert_eq!(Response::ok(|w| w.boolean(true)).error_code(), None);
    }
}
