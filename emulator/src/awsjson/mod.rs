//! The service side of awsJson, which the generated server code ([`crate::model`]) calls: a request's input
//! decoded strictly and checked by the generated validators, and answers and errors encoded as the service encodes
//! them. Clients never need it, which is why it lives here and not in `lean-aws-runtime`.
//!
//! A generated server decodes with [`decode_input`], which answers a body that is not a JSON object with
//! `SerializationException` and every broken constraint with `ValidationException` in the service's words
//! ("1 validation error detected: Value null at 'studioId' failed to satisfy constraint: Member must not be
//! null", see [`validation`]). [`Response::ok`] and [`Response::modelled_error`] encode what the handler returned;
//! errors the protocol itself raises (an unknown operation, a bad signature) are [`Response::error`].

pub mod validation;

use lean_aws_runtime::protocol::json::{DecodeError, JsonWriter, Value};
use lean_aws_runtime::validate::{FieldPath, Path, Validate, ValidationMode};
pub use validation::{check_enum, missing, Violation};

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

/// An error the model does not list for an operation, which a handler answers through its error enum's
/// `Unhandled` variant: the service answers `ValidationException` on operations whose model lists only
/// `InternalServerError`, and `ThrottlingException` on any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// The HTTP status.
    pub status: u16,
    /// The error code, the answer's `__type`.
    pub code: String,
    /// The message.
    pub message: String,
}

/// The error code of an operation the emulator knows from the model but does not perform yet.
pub const NOT_SERVED: &str = "NotImplementedException";

impl ServiceError {
    /// An error with this status, code and message.
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        ServiceError {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// `ValidationException` (400) with this message.
    pub fn validation(message: impl Into<String>) -> Self {
        ServiceError::new(400, VALIDATION_EXCEPTION, message)
    }

    /// The answer to an operation of the model that the handler does not perform: [`NOT_SERVED`], status 501.
    pub fn not_served(operation: &str) -> Self {
        ServiceError::new(
            501,
            NOT_SERVED,
            format!("The emulator does not perform {operation} yet (its README lists what it performs)"),
        )
    }

    /// The answer: `{"__type": code, "message": message}` with the status.
    pub fn response(&self) -> Response {
        Response::error(self.status, &self.code, &self.message)
    }
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ServiceError {}

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
    let missing: Vec<FieldPath> = violations
        .iter()
        .filter(|v| matches!(v, Violation::Missing(_)))
        .map(|v| v.path().clone())
        .collect();
    let mut checked = Vec::new();
    input.validate_into(&Path::Root, ValidationMode::Full, &mut checked);
    violations.extend(
        checked
            .into_iter()
            .map(Violation::from)
            .filter(|v| !missing.iter().any(|m| v.path().starts_with(m))),
    );
    if violations.is_empty() {
        Ok(input)
    } else {
        Err(Response::error(
            400,
            VALIDATION_EXCEPTION,
            &validation::message(&violations, &value),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lean_aws_runtime::protocol::json;
    use lean_aws_runtime::validate;

    /// A stand-in for a generated input with one required, length-limited member.
    #[derive(Debug)]
    struct Input {
        name: String,
        tags: Vec<String>,
    }

    impl Validate for Input {
        const SHAPE: &'static str = "Input";
        fn validate_into(&self, path: &Path<'_>, _: ValidationMode, out: &mut Vec<validate::Violation>) {
            validate::check_str_length(&self.name, Some(2), Some(4), &path.member("Name"), out);
            for (i, t) in self.tags.iter().enumerate() {
                validate::check_str_length(t, Some(1), None, &path.member("Tags").index(i), out);
            }
        }
    }

    fn decode(v: &Value, out: &mut Vec<Violation>) -> Result<Input, DecodeError> {
        let obj = json::de_object(v)?;
        let name = match json::member(obj, "Name") {
            Some(v) => json::de_string(v).map_err(|e| e.at("Name"))?,
            None => {
                missing(&Path::Root.member("Name"), out);
                String::new()
            }
        };
        let tags = match json::member(obj, "Tags") {
            Some(v) => json::de_array(v)?
                .iter()
                .map(json::de_string)
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
