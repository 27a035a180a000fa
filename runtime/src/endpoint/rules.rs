//! The rule set as a tree of typed nodes, parsed once, and its evaluation.

use super::library::{Func, Partition};
use super::{invalid, Endpoint, EndpointError};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Parameters and assigned names in scope, `Value::Null` meaning unset.
pub(super) type Scope = BTreeMap<String, Value>;

/// A declared parameter.
#[derive(Debug, Clone)]
pub(super) struct Param {
    pub(super) name: String,
    pub(super) kind: ParamKind,
    pub(super) built_in: Option<String>,
    pub(super) required: bool,
    pub(super) default: Option<Value>,
}

/// A parameter's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ParamKind {
    String,
    Boolean,
    StringArray,
}

impl ParamKind {
    pub(super) fn admits(self, value: &Value) -> bool {
        match (self, value) {
            (ParamKind::String, Value::String(_)) | (ParamKind::Boolean, Value::Bool(_)) => true,
            (ParamKind::StringArray, Value::Array(items)) => items.iter().all(Value::is_string),
            _ => false,
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Rule {
    conditions: Vec<Condition>,
    body: Body,
}

#[derive(Debug, Clone)]
struct Condition {
    call: Expr,
    assign: Option<String>,
}

#[derive(Debug, Clone)]
enum Body {
    Endpoint {
        url: Expr,
        properties: Expr,
        headers: Vec<(String, Vec<Expr>)>,
    },
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Debug, Clone)]
enum Expr {
    /// A boolean or a number.
    Literal(Value),
    /// A string literal: text with `{Name}` and `{Name#path}` holes.
    Template(Vec<Piece>),
    Ref(String),
    Call(Func, Vec<Expr>),
    Array(Vec<Expr>),
    Record(Vec<(String, Expr)>),
}

#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Hole(Expr),
}

fn field<'a>(object: &'a Map<String, Value>, name: &str, what: &str) -> Result<&'a Value, EndpointError> {
    object
        .get(name)
        .ok_or_else(|| invalid(format!("{what} lacks `{name}`")))
}

fn as_object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>, EndpointError> {
    value
        .as_object()
        .ok_or_else(|| invalid(format!("{what} is not an object: {value}")))
}

fn as_array<'a>(value: &'a Value, what: &str) -> Result<&'a [Value], EndpointError> {
    value
        .as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| invalid(format!("{what} is not an array: {value}")))
}

/// Parses the `parameters` object.
pub(super) fn parse_params(value: &Value) -> Result<Vec<Param>, EndpointError> {
    let mut params = Vec::new();
    for (name, spec) in as_object(value, "`parameters`")? {
        let spec = as_object(spec, &format!("parameter `{name}`"))?;
        let kind = match field(spec, "type", name)?
            .as_str()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("string") => ParamKind::String,
            Some("boolean") => ParamKind::Boolean,
            Some("stringarray") => ParamKind::StringArray,
            _ => return Err(invalid(format!("parameter `{name}` has an unknown type"))),
        };
        let default = spec.get("default").cloned();
        if default.as_ref().is_some_and(|d| !kind.admits(d)) {
            return Err(invalid(format!("parameter `{name}` has a default of the wrong type")));
        }
        params.push(Param {
            name: name.clone(),
            kind,
            built_in: spec.get("builtIn").and_then(Value::as_str).map(str::to_owned),
            required: spec.get("required").and_then(Value::as_bool).unwrap_or(false),
            default,
        });
    }
    Ok(params)
}

/// Parses a `rules` array.
pub(super) fn parse_rules(value: &Value) -> Result<Vec<Rule>, EndpointError> {
    as_array(value, "`rules`")?.iter().map(parse_rule).collect()
}

fn parse_rule(value: &Value) -> Result<Rule, EndpointError> {
    let rule = as_object(value, "a rule")?;
    let conditions = match rule.get("conditions") {
        Some(c) => as_array(c, "`conditions`")?
            .iter()
            .map(parse_condition)
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let body = match field(rule, "type", "a rule")?.as_str() {
        Some("endpoint") => {
            let endpoint = as_object(field(rule, "endpoint", "an endpoint rule")?, "`endpoint`")?;
            let mut headers = Vec::new();
            if let Some(h) = endpoint.get("headers") {
                for (name, values) in as_object(h, "`headers`")? {
                    headers.push((
                        name.clone(),
                        as_array(values, "a header")?
                            .iter()
                            .map(parse_expr)
                            .collect::<Result<_, _>>()?,
                    ));
                }
            }
            Body::Endpoint {
                url: parse_expr(field(endpoint, "url", "`endpoint`")?)?,
                properties: parse_expr(endpoint.get("properties").unwrap_or(&Value::Object(Map::new())))?,
                headers,
            }
        }
        Some("error") => Body::Error(parse_expr(field(rule, "error", "an error rule")?)?),
        Some("tree") => Body::Tree(parse_rules(field(rule, "rules", "a tree rule")?)?),
        _ => return Err(invalid(format!("unknown rule type in {value}"))),
    };
    Ok(Rule { conditions, body })
}

fn parse_condition(value: &Value) -> Result<Condition, EndpointError> {
    let object = as_object(value, "a condition")?;
    let assign = match object.get("assign") {
        Some(name) => Some(
            name.as_str()
                .ok_or_else(|| invalid("`assign` is not a string"))?
                .to_owned(),
        ),
        None => None,
    };
    match parse_expr(value)? {
        call @ Expr::Call(..) => Ok(Condition { call, assign }),
        _ => Err(invalid(format!("a condition is not a function call: {value}"))),
    }
}

/// An expression: `{"ref"}`, `{"fn", "argv"}`, a templated string, a record, an array, a boolean or a number.
fn parse_expr(value: &Value) -> Result<Expr, EndpointError> {
    Ok(match value {
        Value::String(s) => Expr::Template(parse_template(s)?),
        Value::Array(items) => Expr::Array(items.iter().map(parse_expr).collect::<Result<_, _>>()?),
        Value::Object(o) if o.contains_key("ref") => Expr::Ref(
            o["ref"]
                .as_str()
                .ok_or_else(|| invalid("`ref` is not a string"))?
                .to_owned(),
        ),
        Value::Object(o) if o.contains_key("fn") => {
            let name = o["fn"].as_str().ok_or_else(|| invalid("`fn` is not a string"))?;
            let (func, arity) = Func::named(name).ok_or_else(|| invalid(format!("unsupported function `{name}`")))?;
            let args = as_array(field(o, "argv", name)?, "`argv`")?;
            if args.len() != arity {
                return Err(invalid(format!("`{name}` takes {arity} arguments, got {}", args.len())));
            }
            Expr::Call(func, args.iter().map(parse_expr).collect::<Result<_, _>>()?)
        }
        Value::Object(o) => Expr::Record(
            o.iter()
                .map(|(k, v)| Ok((k.clone(), parse_expr(v)?)))
                .collect::<Result<_, _>>()?,
        ),
        Value::Bool(_) | Value::Number(_) => Expr::Literal(value.clone()),
        Value::Null => return Err(invalid("null is not an expression")),
    })
}

/// Splits `https://x.{Region}.{PartitionResult#dnsSuffix}` into text and holes; `{{` and `}}` stand for braces.
fn parse_template(template: &str) -> Result<Vec<Piece>, EndpointError> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        text.push_str(&rest[..i]);
        let brace = &rest[i..i + 1];
        rest = &rest[i + 1..];
        if let Some(after) = rest.strip_prefix(brace) {
            text.push_str(brace);
            rest = after;
            continue;
        }
        let unbalanced = || invalid(format!("unbalanced braces in {template:?}"));
        let end = if brace == "{" {
            rest.find('}').ok_or_else(unbalanced)?
        } else {
            return Err(unbalanced());
        };
        let hole = &rest[..end];
        rest = &rest[end + 1..];
        if hole.is_empty() || hole.contains('{') {
            return Err(invalid(format!("bad placeholder {hole:?} in {template:?}")));
        }
        let expr = match hole.split_once('#') {
            None => Expr::Ref(hole.to_owned()),
            Some((name, path)) => Expr::Call(
                Func::GetAttr,
                vec![
                    Expr::Ref(name.to_owned()),
                    Expr::Literal(Value::String(path.to_owned())),
                ],
            ),
        };
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(&mut text)));
        }
        pieces.push(Piece::Hole(expr));
    }
    text.push_str(rest);
    if !text.is_empty() || pieces.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

/// Evaluates rules against a scope: the first rule whose conditions hold decides.
pub(super) struct Evaluator<'a> {
    pub(super) partitions: &'a [Partition],
}

impl Evaluator<'_> {
    /// `Ok(None)` when no rule matched; a matching error rule gives `Err` with its message.
    pub(super) fn rules(&self, rules: &[Rule], scope: &Scope) -> Result<Option<Endpoint>, EndpointError> {
        for rule in rules {
            let mut scope = scope.clone();
            if !self.conditions_hold(&rule.conditions, &mut scope)? {
                continue;
            }
            return match &rule.body {
                Body::Endpoint {
                    url,
                    properties,
                    headers,
                } => {
                    let mut header_map = BTreeMap::new();
                    for (name, values) in headers {
                        let values = values
                            .iter()
                            .map(|v| self.string(v, &scope))
                            .collect::<Result<_, _>>()?;
                        header_map.insert(name.clone(), values);
                    }
                    let Value::Object(properties) = self.eval(properties, &scope)? else {
                        return Err(invalid("endpoint `properties` is not an object"));
                    };
                    Ok(Some(Endpoint {
                        url: self.string(url, &scope)?,
                        properties,
                        headers: header_map,
                    }))
                }
                Body::Error(message) => Err(EndpointError {
                    message: self.string(message, &scope)?,
                }),
                // A tree rule is terminal: once its conditions hold, one of its rules must match.
                Body::Tree(rules) => match self.rules(rules, &scope)? {
                    Some(endpoint) => Ok(Some(endpoint)),
                    None => Err(invalid("no rule matched inside a tree rule whose conditions held")),
                },
            };
        }
        Ok(None)
    }

    /// A condition holds when its value is `true`, or set and not a boolean; `assign` binds that value.
    fn conditions_hold(&self, conditions: &[Condition], scope: &mut Scope) -> Result<bool, EndpointError> {
        for condition in conditions {
            let value = self.eval(&condition.call, scope)?;
            if matches!(value, Value::Null | Value::Bool(false)) {
                return Ok(false);
            }
            if let Some(name) = &condition.assign {
                if scope.contains_key(name) {
                    return Err(invalid(format!("`assign` would shadow `{name}`")));
                }
                scope.insert(name.clone(), value);
            }
        }
        Ok(true)
    }

    fn string(&self, expr: &Expr, scope: &Scope) -> Result<String, EndpointError> {
        match self.eval(expr, scope)? {
            Value::String(s) => Ok(s),
            other => Err(invalid(format!("expected a string, got {other}"))),
        }
    }

    fn eval(&self, expr: &Expr, scope: &Scope) -> Result<Value, EndpointError> {
        Ok(match expr {
            Expr::Literal(value) => value.clone(),
            Expr::Template(pieces) => {
                let mut out = String::new();
                for piece in pieces {
                    match piece {
                        Piece::Text(text) => out.push_str(text),
                        Piece::Hole(expr) => out.push_str(&self.string(expr, scope)?),
                    }
                }
                Value::String(out)
            }
            Expr::Ref(name) => scope
                .get(name)
                .cloned()
                .ok_or_else(|| invalid(format!("unknown reference `{name}`")))?,
            Expr::Call(func, args) => {
                let args = args
                    .iter()
                    .map(|a| self.eval(a, scope))
                    .collect::<Result<Vec<_>, _>>()?;
                func.call(&args, self.partitions)?
            }
            Expr::Array(items) => Value::Array(items.iter().map(|i| self.eval(i, scope)).collect::<Result<_, _>>()?),
            Expr::Record(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), self.eval(v, scope)?)))
                    .collect::<Result<_, EndpointError>>()?,
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(template: &str) -> Vec<String> {
        parse_template(template)
            .unwrap()
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t,
                Piece::Hole(Expr::Ref(r)) => format!("<{r}>"),
                Piece::Hole(e) => format!("<{e:?}>"),
            })
            .collect()
    }

    #[test]
    fn templates_split_into_text_and_holes() {
        assert_eq!(texts("https://a.{Region}.b"), ["https://a.", "<Region>", ".b"]);
        assert_eq!(texts("{{literal}} {X}"), ["{literal} ", "<X>"]);
        assert_eq!(texts(""), [""]);
        for bad in ["{", "}", "{}", "a{b", "{a{b}"] {
            assert!(parse_template(bad).is_err(), "{bad}");
        }
    }
}
