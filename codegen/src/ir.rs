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
        /// Members in model order.
        members: Vec<Member>,
        /// Whether this is a modelled error.
        exception: bool,
    },
    /// A tagged union: exactly one member is set.
    Union {
        /// Members in model order.
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
    Ok(Shape {
        name: name.to_owned(),
        doc: text(shape, "documentation").unwrap_or_default(),
        sensitive: flag("sensitive"),
        kind,
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

    /// Every shape reachable from `operations` (inputs, outputs, errors), in name order.
    pub fn reachable(&self, operations: &[String]) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<String> = Vec::new();
        for name in operations {
            if let Some(op) = self.operations.get(name) {
                todo.extend(op.input.iter().chain(&op.output).chain(&op.errors).cloned());
            }
        }
        while let Some(name) = todo.pop() {
            if seen.insert(name.clone()) {
                todo.extend(self.shape(&name).targets().into_iter().map(str::to_owned));
            }
        }
        seen
    }

    /// Whether `from` can reach `to` through members (used to box recursive structures).
    pub fn reaches(&self, from: &str, to: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(name) = todo.pop() {
            if name == to {
                return true;
            }
            if seen.insert(name.clone()) {
                todo.extend(self.shape(&name).targets().into_iter().map(str::to_owned));
            }
        }
        false
    }
}
