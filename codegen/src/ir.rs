//! The intermediate representation: a botocore model, read once and checked, in the terms the emitters need.
//!
//! [`load`] is the only place that knows botocore's JSON layout. Everything downstream works on these types.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A whole service model.
#[derive(Debug, Clone)]
pub struct Service {
    /// From the model's `metadata`.
    pub meta: Metadata,
    /// Operations by name.
    pub operations: BTreeMap<String, Operation>,
    /// Shapes by name.
    pub shapes: BTreeMap<String, Shape>,
    /// Paginators by operation name (`paginators-1.json`; empty when the model has none).
    pub paginators: BTreeMap<String, Paginator>,
    /// Waiters by name (`waiters-2.json`; empty when the model has none).
    pub waiters: BTreeMap<String, Waiter>,
}

/// Service-wide facts.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    /// `serviceId`, e.g. `EMR`.
    pub service_id: String,
    /// `targetPrefix`, e.g. `ElasticMapReduce`.
    pub target_prefix: String,
    /// `jsonVersion`: `1.0` or `1.1`.
    pub json_version: String,
    /// SigV4 signing name: `signingName`, else `endpointPrefix`.
    pub signing_name: String,
    /// `protocol`: this generator handles `json`.
    pub protocol: String,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// e.g. `UpdateStudioSessionMapping`.
    pub name: String,
    /// The input shape, if any.
    pub input: Option<String>,
    /// The output shape, if any.
    pub output: Option<String>,
    /// Modelled error shapes.
    pub errors: Vec<String>,
    /// Documentation (HTML, as in the model).
    pub doc: String,
    /// `endpoint.hostPrefix`, e.g. `{Foo}.data.`.
    pub host_prefix: Option<String>,
    /// `requestcompression.encodings`, e.g. `["gzip"]`.
    pub request_compression: Vec<String>,
    /// Whether the operation is deprecated.
    pub deprecated: bool,
}

/// One shape.
#[derive(Debug, Clone)]
pub struct Shape {
    /// The model's name.
    pub name: String,
    /// Documentation (HTML).
    pub doc: String,
    /// Whether values of this shape are secret (never shown in `Debug`).
    pub sensitive: bool,
    /// What it is.
    pub kind: Kind,
    /// For a modelled error, the HTTP status the service answers it with: the model's `error.httpStatusCode`,
    /// else 500 for a `fault`, else 400. `None` for other shapes.
    pub error_status: Option<u16>,
}

/// Length or range limits, as the model gives them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Limits {
    /// `min`.
    pub min: Option<f64>,
    /// `max`.
    pub max: Option<f64>,
}

impl Limits {
    /// Whether there is any limit.
    pub fn is_some(&self) -> bool {
        self.min.is_some() || self.max.is_some()
    }
}

/// A shape's kind and constraints.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A structure (or, with `exception`, a modelled error).
    Structure {
        /// Members in name order: botocore's JSON objects are read without their order, and member order means
        /// nothing on the wire, so the generated code follows the names (stable across model updates).
        members: Vec<Member>,
        /// Whether this is a modelled error.
        exception: bool,
    },
    /// A tagged union: exactly one member is set.
    Union {
        /// Members in name order, as for structures.
        members: Vec<Member>,
    },
    /// A list.
    List {
        /// The element shape.
        member: String,
        /// Element-count limits.
        length: Limits,
    },
    /// A map with string keys.
    Map {
        /// The key shape.
        key: String,
        /// The value shape.
        value: String,
        /// Entry-count limits.
        length: Limits,
    },
    /// A string, possibly an enum.
    String {
        /// Enum values, empty for a free string.
        enum_values: Vec<String>,
        /// Length limits in characters.
        length: Limits,
        /// Pattern as written in the model (ECMA-262 syntax).
        pattern: Option<String>,
    },
    /// A 32-bit integer.
    Integer {
        /// Range limits.
        range: Limits,
    },
    /// A 64-bit integer.
    Long {
        /// Range limits.
        range: Limits,
    },
    /// A 32-bit float.
    Float {
        /// Range limits.
        range: Limits,
    },
    /// A 64-bit float.
    Double {
        /// Range limits.
        range: Limits,
    },
    /// A boolean.
    Boolean,
    /// A point in time.
    Timestamp {
        /// The shape's `timestampFormat`, if any.
        format: Option<String>,
    },
    /// Bytes.
    Blob {
        /// Length limits in bytes.
        length: Limits,
    },
    /// Free-form JSON (`document: true`).
    Document,
}

/// A member of a structure or union.
#[derive(Debug, Clone)]
pub struct Member {
    /// The member name in the model.
    pub name: String,
    /// The target shape.
    pub target: String,
    /// Documentation (HTML).
    pub doc: String,
    /// Whether the member is required.
    pub required: bool,
    /// The name on the wire (`locationName`), else `name`.
    pub wire_name: String,
    /// The member's `timestampFormat`, if any.
    pub timestamp_format: Option<String>,
    /// Whether the member fills a `{label}` in the operation's host prefix.
    pub host_label: bool,
    /// Whether the member is a string holding JSON (`jsonvalue`).
    pub json_value: bool,
    /// Whether the member is deprecated.
    pub deprecated: bool,
}

/// What is wrong with a model.
#[derive(Debug)]
pub struct ModelError(pub String);

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid model: {}", self.0)
    }
}

impl std::error::Error for ModelError {}

fn err(msg: impl Into<String>) -> ModelError {
    ModelError(msg.into())
}

fn text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn limits(obj: &Map<String, Value>) -> Limits {
    Limits {
        min: obj.get("min").and_then(Value::as_f64),
        max: obj.get("max").and_then(Value::as_f64),
    }
}

/// Reads a botocore `service-2.json` (or a protocol-suite model with the same layout).
pub fn load(model: &Value) -> Result<Service, ModelError> {
    let root = model.as_object().ok_or_else(|| err("the model is not a JSON object"))?;
    let meta_obj = root
        .get("metadata")
        .and_then(Value::as_object)
        .ok_or_else(|| err("no metadata"))?;
    let meta = Metadata {
        service_id: text(meta_obj, "serviceId").unwrap_or_default(),
        target_prefix: text(meta_obj, "targetPrefix").unwrap_or_default(),
        json_version: text(meta_obj, "jsonVersion").unwrap_or_else(|| "1.0".into()),
        signing_name: text(meta_obj, "signingName")
            .or_else(|| text(meta_obj, "endpointPrefix"))
            .unwrap_or_default(),
        protocol: text(meta_obj, "protocol").unwrap_or_default(),
    };
    let empty = Map::new();
    let shapes_obj = root.get("shapes").and_then(Value::as_object).unwrap_or(&empty);
    let mut shapes = BTreeMap::new();
    for (name, shape) in shapes_obj {
        let shape = shape
            .as_object()
            .ok_or_else(|| err(format!("shape {name} is not an object")))?;
        shapes.insert(name.clone(), load_shape(name, shape)?);
    }
    let ops_obj = root.get("operations").and_then(Value::as_object).unwrap_or(&empty);
    let mut operations = BTreeMap::new();
    for (name, op) in ops_obj {
        let op = op
            .as_object()
            .ok_or_else(|| err(format!("operation {name} is not an object")))?;
        operations.insert(name.clone(), load_operation(name, op)?);
    }
    let service = Service {
        meta,
        operations,
        shapes,
        paginators: BTreeMap::new(),
        waiters: BTreeMap::new(),
    };
    check_references(&service)?;
    Ok(service)
}

fn shape_ref(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_object).and_then(|o| text(o, "shape"))
}

fn load_operation(name: &str, op: &Map<String, Value>) -> Result<Operation, ModelError> {
    let errors = op
        .get("errors")
        .and_then(Value::as_array)
        .map(|errs| errs.iter().filter_map(|e| shape_ref(Some(e))).collect())
        .unwrap_or_default();
    let host_prefix = op
        .get("endpoint")
        .and_then(Value::as_object)
        .and_then(|e| text(e, "hostPrefix"));
    let request_compression = op
        .get("requestcompression")
        .and_then(|r| r.get("encodings"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    Ok(Operation {
        name: text(op, "name").unwrap_or_else(|| name.to_owned()),
        input: shape_ref(op.get("input")),
        output: shape_ref(op.get("output")),
        errors,
        doc: text(op, "documentation").unwrap_or_default(),
        host_prefix,
        request_compression,
        deprecated: op.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
    })
}

fn load_members(name: &str, shape: &Map<String, Value>) -> Result<Vec<Member>, ModelError> {
    let required: BTreeSet<&str> = shape
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let empty = Map::new();
    let members = shape.get("members").and_then(Value::as_object).unwrap_or(&empty);
    members
        .iter()
        .map(|(member_name, m)| {
            let m = m
                .as_object()
                .ok_or_else(|| err(format!("{name}.{member_name} is not an object")))?;
            Ok(Member {
                name: member_name.clone(),
                target: text(m, "shape").ok_or_else(|| err(format!("{name}.{member_name} has no shape")))?,
                doc: text(m, "documentation").unwrap_or_default(),
                required: required.contains(member_name.as_str()),
                wire_name: text(m, "locationName").unwrap_or_else(|| member_name.clone()),
                timestamp_format: text(m, "timestampFormat"),
                host_label: m.get("hostLabel").and_then(Value::as_bool).unwrap_or(false),
                json_value: m.get("jsonvalue").and_then(Value::as_bool).unwrap_or(false),
                deprecated: m.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
            })
        })
        .collect()
}

fn load_shape(name: &str, shape: &Map<String, Value>) -> Result<Shape, ModelError> {
    let ty = text(shape, "type").ok_or_else(|| err(format!("shape {name} has no type")))?;
    let flag = |key: &str| shape.get(key).and_then(Value::as_bool).unwrap_or(false);
    let kind = match ty.as_str() {
        "structure" if flag("document") => Kind::Document,
        "structure" if flag("union") => Kind::Union {
            members: load_members(name, shape)?,
        },
        "structure" => Kind::Structure {
            members: load_members(name, shape)?,
            exception: flag("exception"),
        },
        "list" => Kind::List {
            member: shape_ref(shape.get("member")).ok_or_else(|| err(format!("list {name} has no member")))?,
            length: limits(shape),
        },
        "map" => Kind::Map {
            key: shape_ref(shape.get("key")).ok_or_else(|| err(format!("map {name} has no key")))?,
            value: shape_ref(shape.get("value")).ok_or_else(|| err(format!("map {name} has no value")))?,
            length: limits(shape),
        },
        "string" => Kind::String {
            enum_values: shape
                .get("enum")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default(),
            length: limits(shape),
            pattern: text(shape, "pattern"),
        },
        "integer" => Kind::Integer { range: limits(shape) },
        "long" => Kind::Long { range: limits(shape) },
        "float" => Kind::Float { range: limits(shape) },
        "double" => Kind::Double { range: limits(shape) },
        "boolean" => Kind::Boolean,
        "timestamp" => Kind::Timestamp {
            format: text(shape, "timestampFormat"),
        },
        "blob" => Kind::Blob { length: limits(shape) },
        other => return Err(err(format!("shape {name} has unsupported type {other:?}"))),
    };
    let error_status = matches!(kind, Kind::Structure { exception: true, .. }).then(|| {
        let modelled = shape
            .get("error")
            .and_then(|e| e.get("httpStatusCode"))
            .and_then(Value::as_u64)
            .and_then(|s| u16::try_from(s).ok());
        modelled.unwrap_or(if flag("fault") { 500 } else { 400 })
    });
    Ok(Shape {
        name: name.to_owned(),
        doc: text(shape, "documentation").unwrap_or_default(),
        sensitive: flag("sensitive"),
        kind,
        error_status,
    })
}

impl Shape {
    /// The shapes this one refers to directly.
    pub fn targets(&self) -> Vec<&str> {
        match &self.kind {
            Kind::Structure { members, .. } | Kind::Union { members } => {
                members.iter().map(|m| m.target.as_str()).collect()
            }
            Kind::List { member, .. } => vec![member.as_str()],
            Kind::Map { key, value, .. } => vec![key.as_str(), value.as_str()],
            _ => Vec::new(),
        }
    }
}

fn check_references(service: &Service) -> Result<(), ModelError> {
    for shape in service.shapes.values() {
        for target in shape.targets() {
            if !service.shapes.contains_key(target) {
                return Err(err(format!("shape {} refers to unknown shape {target}", shape.name)));
            }
        }
    }
    for op in service.operations.values() {
        for target in op.input.iter().chain(&op.output).chain(&op.errors) {
            if !service.shapes.contains_key(target) {
                return Err(err(format!("operation {} refers to unknown shape {target}", op.name)));
            }
        }
    }
    Ok(())
}

impl Service {
    /// The shape called `name`. Names were checked by [`load`].
    pub fn shape(&self, name: &str) -> &Shape {
        &self.shapes[name]
    }

    /// Every shape reachable from `roots` through members, the roots included. The one graph walk of the
    /// generator: reachability, the two sides of a call and recursion (boxing) all come from it.
    pub fn closure<'a>(&self, roots: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&str> = roots.into_iter().collect();
        while let Some(name) = todo.pop() {
            if seen.insert(name.to_owned()) {
                todo.extend(self.shape(name).targets());
            }
        }
        seen
    }
}

/// A paginated operation (`paginators-1.json`): the input member that takes the token, the output member that
/// gives the next one, and the list the pages carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paginator {
    /// The operation, e.g. `ListClusters`.
    pub operation: String,
    /// `input_token`, e.g. `Marker`.
    pub input_token: String,
    /// `output_token`, e.g. `Marker`.
    pub output_token: String,
    /// `result_key`, e.g. `Clusters`.
    pub result_key: String,
    /// `limit_key`, if any.
    pub limit_key: Option<String>,
}

/// A waiter (`waiters-2.json`): poll `operation` every `delay` seconds, at most `max_attempts` times, until an
/// acceptor says success or failure.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// The waiter's name, e.g. `ClusterRunning`.
    pub name: String,
    /// The operation it polls.
    pub operation: String,
    /// Seconds between polls.
    pub delay: u64,
    /// Polls at most.
    pub max_attempts: u32,
    /// Acceptors in model order: the first that matches decides.
    pub acceptors: Vec<Acceptor>,
}

/// What an acceptor decides when it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// Stop waiting: done.
    Success,
    /// Stop waiting: it will never succeed.
    Failure,
    /// Poll again.
    Retry,
}

/// When an acceptor matches.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// The JMESPath `argument` over the output equals `expected`.
    Path {
        /// The expression.
        argument: String,
        /// The value.
        expected: Value,
    },
    /// Every element the expression selects equals `expected` (and there is at least one).
    PathAll {
        /// The expression.
        argument: String,
        /// The value.
        expected: Value,
    },
    /// Some element the expression selects equals `expected`.
    PathAny {
        /// The expression.
        argument: String,
        /// The value.
        expected: Value,
    },
    /// The response had this HTTP status.
    Status(u16),
    /// The operation failed with this error code (`true`: with any error; `false`: without error).
    Error(ErrorMatch),
}

/// The `expected` of an `error` matcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorMatch {
    /// An error with this code.
    Code(String),
    /// Any error (`true`) or none (`false`).
    Any(bool),
}

/// One acceptor.
#[derive(Debug, Clone, PartialEq)]
pub struct Acceptor {
    /// What it decides.
    pub state: AcceptorState,
    /// When it matches.
    pub matcher: Matcher,
}

fn string_field(obj: &Map<String, Value>, key: &str, what: &str) -> Result<String, ModelError> {
    text(obj, key).ok_or_else(|| err(format!("{what}: `{key}` must be a string")))
}

/// Reads `paginators-1.json`. Only the forms a generated paginator can express are accepted: one input token,
/// one output token and one result key, each a top-level member name; anything else fails with the reason.
pub fn load_paginators(doc: &Value) -> Result<BTreeMap<String, Paginator>, ModelError> {
    let mut out = BTreeMap::new();
    let Some(all) = doc.get("pagination") else {
        return Ok(out);
    };
    let all = all
        .as_object()
        .ok_or_else(|| err("paginators: `pagination` is not an object"))?;
    for (operation, p) in all {
        let what = format!("paginator {operation}");
        let p = p.as_object().ok_or_else(|| err(format!("{what} is not an object")))?;
        for key in p.keys() {
            if !["input_token", "output_token", "result_key", "limit_key"].contains(&key.as_str()) {
                return Err(err(format!("{what}: `{key}` is not supported")));
            }
        }
        let member = |key: &str| -> Result<String, ModelError> {
            let name = string_field(p, key, &what)?;
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(err(format!(
                    "{what}: {key} {name:?} is not a top-level member name (paths and lists are not supported)"
                )));
            }
            Ok(name)
        };
        out.insert(
            operation.clone(),
            Paginator {
                operation: operation.clone(),
                input_token: member("input_token")?,
                output_token: member("output_token")?,
                result_key: member("result_key")?,
                limit_key: p.contains_key("limit_key").then(|| member("limit_key")).transpose()?,
            },
        );
    }
    Ok(out)
}

/// Reads `waiters-2.json` (version 2).
pub fn load_waiters(doc: &Value) -> Result<BTreeMap<String, Waiter>, ModelError> {
    let mut out = BTreeMap::new();
    let Some(all) = doc.get("waiters") else {
        return Ok(out);
    };
    if doc.get("version").and_then(Value::as_u64) != Some(2) {
        return Err(err("waiters: only version 2 is supported"));
    }
    let all = all
        .as_object()
        .ok_or_else(|| err("waiters: `waiters` is not an object"))?;
    for (name, w) in all {
        let what = format!("waiter {name}");
        let w = w.as_object().ok_or_else(|| err(format!("{what} is not an object")))?;
        let number = |key: &str| {
            w.get(key)
                .and_then(Value::as_u64)
                .filter(|n| *n > 0 && *n <= u64::from(u32::MAX))
                .ok_or_else(|| err(format!("{what}: `{key}` must be a positive whole number")))
        };
        let acceptors = w
            .get("acceptors")
            .and_then(Value::as_array)
            .ok_or_else(|| err(format!("{what}: no `acceptors`")))?
            .iter()
            .enumerate()
            .map(|(i, a)| load_acceptor(a).map_err(|e| err(format!("{what}: acceptor {i}: {}", e.0))))
            .collect::<Result<Vec<_>, _>>()?;
        out.insert(
            name.clone(),
            Waiter {
                name: name.clone(),
                operation: string_field(w, "operation", &what)?,
                delay: number("delay")?,
                max_attempts: number("maxAttempts")? as u32,
                acceptors,
            },
        );
    }
    Ok(out)
}

fn load_acceptor(a: &Value) -> Result<Acceptor, ModelError> {
    let a = a.as_object().ok_or_else(|| err("not an object"))?;
    let state = match text(a, "state").as_deref() {
        Some("success") => AcceptorState::Success,
        Some("failure") => AcceptorState::Failure,
        Some("retry") => AcceptorState::Retry,
        other => return Err(err(format!("unknown state {other:?}"))),
    };
    let expected = a.get("expected").cloned().ok_or_else(|| err("no `expected`"))?;
    let argument = || string_field(a, "argument", "a path matcher");
    let matcher = match text(a, "matcher").as_deref() {
        Some("path") => Matcher::Path {
            argument: argument()?,
            expected,
        },
        Some("pathAll") => Matcher::PathAll {
            argument: argument()?,
            expected,
        },
        Some("pathAny") => Matcher::PathAny {
            argument: argument()?,
            expected,
        },
        Some("status") => Matcher::Status(
            expected
                .as_u64()
                .and_then(|n| u16::try_from(n).ok())
                .ok_or_else(|| err(format!("status {expected} is not an HTTP status")))?,
        ),
        Some("error") => Matcher::Error(match expected {
            Value::String(code) => ErrorMatch::Code(code),
            Value::Bool(any) => ErrorMatch::Any(any),
            other => return Err(err(format!("error matcher expects a code or a boolean, got {other}"))),
        }),
        other => return Err(err(format!("unknown matcher {other:?}"))),
    };
    Ok(Acceptor { state, matcher })
}
