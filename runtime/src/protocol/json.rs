//! awsJson 1.0 / 1.1: request framing, the pieces generated serializers and deserializers call, and the
//! error-response rules.
//!
//! Requests are `POST /` with `Content-Type: application/x-amz-json-<version>` and
//! `X-Amz-Target: <targetPrefix>.<Operation>` ([`build_request`]). Error codes come from the `X-Amzn-ErrorType`
//! header, else the body's `code`, else its `__type`; anything after a `:` and anything up to a `#` is stripped.

use crate::error::ErrorMetadata;
use crate::transport::{host_header, HttpRequest, HttpResponse};
use crate::validate::{FieldPath, Rule, Segment, ValidationError, Violation};
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
pub use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// What an awsJson request is made of, besides its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestParts<'a> {
    /// The endpoint URL; the request goes to its path followed by `/`.
    pub endpoint_url: &'a str,
    /// The awsJson version: `1.0` or `1.1`.
    pub json_version: &'a str,
    /// The service's `X-Amz-Target` prefix, e.g. `ElasticMapReduce`.
    pub target_prefix: &'a str,
    /// The operation name, e.g. `UpdateStudioSessionMapping`.
    pub operation: &'a str,
    /// The `User-Agent` value: the generated crate's name and version, then `app/<id>` when there is an app id.
    pub user_agent: &'a str,
    /// The `Content-Encoding` of a compressed body (`gzip`); `None` sends no such header.
    pub content_encoding: Option<&'a str>,
}

/// The unsigned awsJson request `parts` describe, carrying `body`. Its `host` header is the endpoint's canonical
/// host ([`host_header`]), which the transport sends as it is.
pub fn build_request(parts: &RequestParts<'_>, body: Vec<u8>) -> HttpRequest {
    let base = parts.endpoint_url.trim_end_matches('/');
    let mut headers = vec![
        (
            "content-type".to_owned(),
            format!("application/x-amz-json-{}", parts.json_version),
        ),
        // Signed as it is sent: the transport writes exactly this `Host`.
        ("host".to_owned(), host_header(base)),
        ("user-agent".to_owned(), parts.user_agent.to_owned()),
        (
            "x-amz-target".to_owned(),
            format!("{}.{}", parts.target_prefix, parts.operation),
        ),
    ];
    if let Some(encoding) = parts.content_encoding {
        headers.push(("content-encoding".to_owned(), encoding.to_owned()));
    }
    HttpRequest {
        method: "POST".to_owned(),
        // The operation's request URI is `/`, appended to any path the endpoint carries.
        url: format!("{base}/"),
        headers,
        body,
    }
}

/// Writes JSON for the generated serializers: no intermediate tree, no reflection.
///
/// A value that cannot be written (a timestamp beyond what its format can express) is not written as anything:
/// the writer notes it, with the member's path, and [`JsonWriter::finish_checked`] returns the violations instead
/// of a body, so that nothing is sent.
#[derive(Debug, Default)]
pub struct JsonWriter {
    buf: Vec<u8>,
    first: bool,
    /// One entry per open object or array: where in `buf` the current member's key starts, or the current
    /// element's index. Enough to name the member a value belongs to, at the cost of a push per container.
    open: Vec<Open>,
    violations: Vec<Violation>,
}

#[derive(Debug, Clone, Copy)]
enum Open {
    /// An object, and the offset of the key being written, if any yet.
    Object(Option<usize>),
    /// An array, and the index of the element being written, if any yet.
    Array(Option<usize>),
}

impl JsonWriter {
    /// An empty writer. Generated serializers open the input's object, write each member that is set with
    /// [`key`](Self::key) and its value, and close it.
    pub fn new() -> Self {
        Self::default()
    }

    /// Opens an object.
    pub fn begin_object(&mut self) {
        self.buf.push(b'{');
        self.first = true;
        self.open.push(Open::Object(None));
    }

    /// Closes an object.
    pub fn end_object(&mut self) {
        self.buf.push(b'}');
        self.first = false;
        self.open.pop();
    }

    /// Opens an array.
    pub fn begin_array(&mut self) {
        self.buf.push(b'[');
        self.first = true;
        self.open.push(Open::Array(None));
    }

    /// Closes an array.
    pub fn end_array(&mut self) {
        self.buf.push(b']');
        self.first = false;
        self.open.pop();
    }

    fn separate(&mut self) {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
    }

    /// Starts an object member; write its value next.
    pub fn key(&mut self, key: &str) {
        self.separate();
        if let Some(Open::Object(at)) = self.open.last_mut() {
            *at = Some(self.buf.len());
        }
        self.write_str(key);
        self.buf.push(b':');
    }

    /// Starts an array element; write its value next.
    pub fn element(&mut self) {
        self.separate();
        if let Some(Open::Array(index)) = self.open.last_mut() {
            *index = Some(index.map_or(0, |i| i + 1));
        }
    }

    /// The path of the value being written, e.g. `Steps[2].Config`, read back from the keys already written.
    /// The writer cannot tell a structure's member from a map's key, so every key reads as a member.
    fn path(&self) -> FieldPath {
        let mut steps = Vec::new();
        for open in &self.open {
            match *open {
                Open::Object(Some(at)) => {
                    let key = serde_json::Deserializer::from_slice(&self.buf[at..])
                        .into_iter::<String>()
                        .next()
                        .and_then(Result::ok)
                        .unwrap_or_default();
                    steps.push(Segment::Member(Cow::Owned(key)));
                }
                Open::Array(Some(index)) => steps.push(Segment::Index(index)),
                Open::Object(None) | Open::Array(None) => {}
            }
        }
        FieldPath::from_segments(steps)
    }

    fn write_str(&mut self, s: &str) {
        // Writing a &str into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut self.buf, s);
    }

    /// A string value, JSON-escaped.
    pub fn string(&mut self, s: &str) {
        self.write_str(s);
    }

    /// A boolean value.
    pub fn boolean(&mut self, b: bool) {
        self.buf.extend_from_slice(if b { b"true" } else { b"false" });
    }

    /// An integer value: every integer shape (byte to long) is written through `i64`.
    pub fn integer(&mut self, n: i64) {
        let _ = serde_json::to_writer(&mut self.buf, &n);
    }

    /// A floating-point value; NaN and the infinities are written as the strings `"NaN"`, `"Infinity"` and
    /// `"-Infinity"`.
    pub fn float(&mut self, n: f64) {
        if n.is_nan() {
            self.write_str("NaN");
        } else if n == f64::INFINITY {
            self.write_str("Infinity");
        } else if n == f64::NEG_INFINITY {
            self.write_str("-Infinity");
        } else if n.fract() == 0.0 && n.abs() < 1e15 {
            let _ = serde_json::to_writer(&mut self.buf, &(n as i64));
        } else {
            let _ = serde_json::to_writer(&mut self.buf, &n);
        }
    }

    /// A 32-bit floating-point value, written with the fewest digits that read back as the same `f32` (`0.1`, not
    /// `0.10000000149011612`).
    pub fn float32(&mut self, n: f32) {
        if n.is_finite() && !(n.fract() == 0.0 && n.abs() < 1e15) {
            let _ = serde_json::to_writer(&mut self.buf, &n);
        } else {
            self.float(f64::from(n));
        }
    }

    /// A timestamp in the member's format: epoch seconds (the awsJson default), `iso8601` or `rfc822`.
    pub fn timestamp(&mut self, t: &DateTime, format: TimestampFormat) {
        match format {
            TimestampFormat::EpochSeconds => {
                let secs = t.secs();
                let nanos = t.subsec_nanos();
                if nanos == 0 {
                    self.integer(secs);
                } else {
                    self.float(t.as_secs_f64());
                }
            }
            TimestampFormat::Iso8601 | TimestampFormat::HttpDate => match t.fmt(format.smithy()) {
                Ok(text) => self.write_str(&text),
                Err(_) => {
                    // Keep the JSON well formed; the body is never sent (see `finish_checked`).
                    self.buf.extend_from_slice(b"null");
                    self.violations.push(Violation {
                        path: self.path(),
                        rule: Rule::TimestampRange { format: format.name() },
                    });
                }
            },
        }
    }

    /// A blob, as a string of standard base64 (with padding).
    pub fn blob(&mut self, bytes: &[u8]) {
        self.write_str(&aws_smithy_types::base64::encode(bytes));
    }

    /// A free-form document (the model's `document` shapes), written as the JSON it is.
    pub fn document(&mut self, value: &Value) {
        let _ = serde_json::to_writer(&mut self.buf, value);
    }

    /// The bytes written, whether or not every value could be written (see [`JsonWriter::finish_checked`]).
    pub fn finish(self) -> Vec<u8> {
        self.buf
    }

    /// The bytes written, or, when some value could not be written, the violations of the input `shape`, each
    /// naming its member.
    pub fn finish_checked(self, shape: &'static str) -> Result<Vec<u8>, ValidationError> {
        if self.violations.is_empty() {
            Ok(self.buf)
        } else {
            Err(ValidationError {
                shape,
                violations: self.violations,
            })
        }
    }
}

/// A map's entries in key order, whatever the map: a request body (and the violations found in it) must not
/// depend on a `HashMap`'s iteration order.
pub fn in_key_order<'a, V>(map: impl IntoIterator<Item = (&'a String, &'a V)>) -> Vec<(&'a String, &'a V)> {
    let mut entries: Vec<_> = map.into_iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    entries
}

/// How a timestamp member is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// Seconds since the epoch, with a fraction where there is one (the awsJson default).
    EpochSeconds,
    /// RFC 3339 / ISO 8601, e.g. `1970-01-01T00:00:00Z`.
    Iso8601,
    /// RFC 7231 HTTP date, e.g. `Thu, 01 Jan 1970 00:00:00 GMT`.
    HttpDate,
}

impl TimestampFormat {
    /// The format's name in the model (`timestampFormat`).
    fn name(self) -> &'static str {
        match self {
            TimestampFormat::EpochSeconds => "epoch-seconds",
            TimestampFormat::Iso8601 => "iso8601",
            TimestampFormat::HttpDate => "rfc822",
        }
    }

    fn smithy(self) -> Format {
        match self {
            TimestampFormat::EpochSeconds => Format::EpochSeconds,
            TimestampFormat::Iso8601 => Format::DateTime,
            TimestampFormat::HttpDate => Format::HttpDate,
        }
    }
}

/// A response body that does not fit the model. The path names the member, e.g. `Cluster.Status.State`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// Where the bad value is, from the outside in: member names, and list positions as `[index]`.
    pub path: Vec<String>,
    /// What was expected and what came, e.g. `expected a string, got a number`.
    pub message: String,
}

impl DecodeError {
    /// An error at the current value; callers further out add their member with [`at`](Self::at).
    pub fn new(message: impl Into<String>) -> Self {
        DecodeError {
            path: Vec::new(),
            message: message.into(),
        }
    }

    /// The same error, one level further in: `segment` is the member name or `[index]`.
    pub fn at(mut self, segment: impl Into<String>) -> Self {
        self.path.insert(0, segment.into());
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            return f.write_str(&self.message);
        }
        // `Steps[2].Name`: indexes attach to the member before them.
        for (i, segment) in self.path.iter().enumerate() {
            if i > 0 && !segment.starts_with('[') {
                f.write_str(".")?;
            }
            f.write_str(segment)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DecodeError {}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn expected(what: &str, v: &Value) -> DecodeError {
    DecodeError::new(format!("expected {what}, got {}", kind(v)))
}

/// Reads a string.
pub fn de_string(v: &Value) -> Result<String, DecodeError> {
    v.as_str().map(str::to_owned).ok_or_else(|| expected("a string", v))
}

/// Reads a boolean.
pub fn de_bool(v: &Value) -> Result<bool, DecodeError> {
    v.as_bool().ok_or_else(|| expected("a boolean", v))
}

/// Reads a 64-bit integer: a JSON number without fraction or exponent, in `i64`'s range.
pub fn de_i64(v: &Value) -> Result<i64, DecodeError> {
    v.as_i64().ok_or_else(|| expected("an integer", v))
}

/// Reads a 32-bit integer: as [`de_i64`], and an error if it does not fit in `i32`.
pub fn de_i32(v: &Value) -> Result<i32, DecodeError> {
    de_i64(v)?
        .try_into()
        .map_err(|_| DecodeError::new(format!("integer {v} does not fit in 32 bits")))
}

/// Reads a floating-point number; also accepts `"NaN"`, `"Infinity"` and `"-Infinity"`.
pub fn de_f64(v: &Value) -> Result<f64, DecodeError> {
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(|| expected("a number", v)),
        Value::String(s) => match s.as_str() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(DecodeError::new(format!("expected a number, got the string {s:?}"))),
        },
        _ => Err(expected("a number", v)),
    }
}

/// Reads a 32-bit float: as [`de_f64`], rounded to the nearest `f32`.
pub fn de_f32(v: &Value) -> Result<f32, DecodeError> {
    de_f64(v).map(|f| f as f32)
}

/// Reads a blob from standard base64 text; text that is not base64 is an error.
pub fn de_blob(v: &Value) -> Result<Vec<u8>, DecodeError> {
    let text = v.as_str().ok_or_else(|| expected("base64 text", v))?;
    aws_smithy_types::base64::decode(text).map_err(|e| DecodeError::new(format!("invalid base64: {e}")))
}

/// Reads a timestamp: a number is epoch seconds; a string is read in `format` (or, when the member has no
/// format of its own, as ISO 8601, then HTTP date).
pub fn de_timestamp(v: &Value, format: TimestampFormat) -> Result<DateTime, DecodeError> {
    match v {
        Value::Number(n) => {
            let secs = n.as_f64().ok_or_else(|| expected("a timestamp", v))?;
            if !secs.is_finite() || secs.abs() > 1e15 {
                return Err(DecodeError::new(format!("timestamp {n} is out of range")));
            }
            Ok(DateTime::from_secs_f64(secs))
        }
        Value::String(s) => {
            let formats = match format {
                TimestampFormat::HttpDate => [Format::HttpDate, Format::DateTimeWithOffset],
                _ => [Format::DateTimeWithOffset, Format::HttpDate],
            };
            formats
                .iter()
                .find_map(|f| DateTime::from_str(s, *f).ok())
                .or_else(|| {
                    s.parse::<f64>()
                        .ok()
                        .filter(|f| f.is_finite())
                        .map(DateTime::from_secs_f64)
                })
                .ok_or_else(|| DecodeError::new(format!("invalid timestamp {s:?}")))
        }
        _ => Err(expected("a timestamp", v)),
    }
}

/// Reads an object.
pub fn de_object(v: &Value) -> Result<&serde_json::Map<String, Value>, DecodeError> {
    v.as_object().ok_or_else(|| expected("an object", v))
}

/// Reads an array.
pub fn de_array(v: &Value) -> Result<&Vec<Value>, DecodeError> {
    v.as_array().ok_or_else(|| expected("an array", v))
}

/// Member `name` of an object, treating `null` as absent.
pub fn member<'a>(obj: &'a serde_json::Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name).filter(|v| !v.is_null())
}

/// Reads member `name` of an object with `read` when it is there and not `null`; an error names the member.
pub fn optional<'a, T>(
    obj: &'a serde_json::Map<String, Value>,
    name: &str,
    read: impl FnOnce(&'a Value) -> Result<T, DecodeError>,
) -> Result<Option<T>, DecodeError> {
    member(obj, name).map(|v| read(v).map_err(|e| e.at(name))).transpose()
}

/// Reads a member that must be there: a missing or `null` one is an error naming it. Generated output decoders
/// do not use it: they follow Smithy's client error correction, giving a missing required member its zero value.
pub fn required<'a>(obj: &'a serde_json::Map<String, Value>, name: &str) -> Result<&'a Value, DecodeError> {
    member(obj, name).ok_or_else(|| DecodeError::new("required member is missing").at(name))
}

/// The request id of a response: its `x-amzn-RequestId` header, if it has one.
pub fn request_id(response: &HttpResponse) -> Option<String> {
    response.header("x-amzn-requestid").map(str::to_owned)
}

/// Parses a response body: empty (or only white space) means `{}`.
pub fn parse_body(body: &[u8]) -> Result<Value, DecodeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_slice(body).map_err(|e| DecodeError::new(format!("invalid JSON: {e}")))
}

/// Strips an error code down to its name: everything after the first `:` goes, then everything up to the first
/// `#`. `aws.protocoltests#FooError:http://internal/` becomes `FooError`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let code = raw.split(':').next().unwrap_or(raw);
    let code = code.split_once('#').map_or(code, |(_, name)| name);
    code.trim()
}

/// Code, message, request id and status of an error response, with its parsed body (`{}` when the body is not
/// JSON, such as a proxy's HTML page).
pub fn error_metadata(response: &HttpResponse) -> (ErrorMetadata, Value) {
    let body = parse_body(&response.body).unwrap_or_else(|_| Value::Object(Default::default()));
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
    let code = response
        .header("x-amzn-errortype")
        .map(str::to_owned)
        .or_else(|| text("code"))
        .or_else(|| text("__type"))
        .map(|raw| sanitize_error_code(&raw).to_owned())
        .filter(|c| !c.is_empty());
    let message = text("message")
        .or_else(|| text("Message"))
        .or_else(|| text("errorMessage"));
    let meta = crate::error::metadata(code, message, request_id(response), Some(response.status));
    (meta, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_are_sanitized() {
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        assert_eq!(sanitize_error_code("aws.protocoltests.restjson#FooError"), "FooError");
        assert_eq!(
            sanitize_error_code(
                "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"
            ),
            "FooError"
        );
        assert_eq!(sanitize_error_code("FooError:http://internal.amazon.com/"), "FooError");
    }

    #[test]
    fn requests_are_framed_as_awsjson() {
        let parts = RequestParts {
            endpoint_url: "https://example.com:8443/base/",
            json_version: "1.1",
            target_prefix: "Prefix",
            operation: "Op",
            user_agent: "ua/1",
            content_encoding: Some("gzip"),
        };
        let request = build_request(&parts, b"{}".to_vec());
        assert_eq!(
            (request.method.as_str(), request.url.as_str()),
            ("POST", "https://example.com:8443/base/")
        );
        assert_eq!(request.header("host"), Some("example.com:8443"));
        assert_eq!(request.header("content-type"), Some("application/x-amz-json-1.1"));
        assert_eq!(request.header("x-amz-target"), Some("Prefix.Op"));
        assert_eq!(request.header("content-encoding"), Some("gzip"));
        let plain = build_request(
            &RequestParts {
                content_encoding: None,
                ..parts
            },
            Vec::new(),
        );
        assert_eq!(plain.header("content-encoding"), None);
    }

    #[test]
    fn timestamps_that_cannot_be_written_are_violations_naming_the_member() {
        let year_10000 = DateTime::from_secs(253_402_300_800);
        let mut w = JsonWriter::new();
        w.begin_object();
        w.key("Name");
        w.string("a \"quoted\" name");
        w.key("Steps");
        w.begin_array();
        for when in [DateTime::from_secs(0), year_10000] {
            w.element();
            w.begin_object();
            w.key("When");
            w.timestamp(&when, TimestampFormat::Iso8601);
            w.end_object();
        }
        w.end_array();
        w.key("Tags");
        w.begin_object();
        w.key("k.1");
        w.timestamp(&year_10000, TimestampFormat::HttpDate);
        w.end_object();
        w.key("At");
        w.timestamp(&year_10000, TimestampFormat::EpochSeconds);
        w.end_object();
        let err = w.finish_checked("Input").unwrap_err();
        let shown: Vec<String> = err.violations.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "Steps[1].When: an iso8601 timestamp must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z",
                "Tags.k.1: an rfc822 timestamp must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z",
            ]
        );

        let mut w = JsonWriter::new();
        w.begin_object();
        w.key("When");
        w.timestamp(&DateTime::from_secs(0), TimestampFormat::Iso8601);
        w.end_object();
        assert_eq!(
            String::from_utf8(w.finish_checked("Input").unwrap()).unwrap(),
            r#"{"When":"1970-01-01T00:00:00Z"}"#
        );
    }

    #[test]
    fn writer_separates_members_and_elements() {
        let mut w = JsonWriter::new();
        w.begin_object();
        w.key("a");
        w.begin_array();
        w.element();
        w.integer(1);
        w.element();
        w.begin_object();
        w.end_object();
        w.end_array();
        w.key("b\"");
        w.float(f64::NAN);
        w.key("c");
        w.float(1.5);
        w.key("d");
        w.float32(0.1);
        w.key("e");
        w.float32(3.0);
        w.key("f");
        w.float32(f32::NEG_INFINITY);
        w.end_object();
        assert_eq!(
            String::from_utf8(w.finish()).unwrap(),
            r#"{"a":[1,{}],"b\"":"NaN","c":1.5,"d":0.1,"e":3,"f":"-Infinity"}"#
        );
    }
}
