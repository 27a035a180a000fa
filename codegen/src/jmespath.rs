//! The part of JMESPath that waiter acceptors use, parsed at generation time so that the generated code is plain
//! field access: `Cluster.Status.State`, projections over lists `Steps[].Status.State` (`[*]` too), and
//! `length(...)` of such a path. Anything else is refused with the reason, and generation stops.

/// A parsed expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A path.
    Path(Vec<Step>),
    /// `length(path)`: the number of elements (or characters) of what the path selects.
    Length(Vec<Step>),
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A member, by its model name.
    Field(String),
    /// `[]` or `[*]`: the elements of a list, each taken through the rest of the path.
    Project,
}

/// Why an expression cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses `text`.
pub fn parse(text: &str) -> Result<Expr, Unsupported> {
    let fail = |why: &str| {
        Unsupported(format!(
            "cannot compile the JMESPath expression `{text}`: {why} (supported: field access `a.b`, projections \
             `a[].b` or `a[*].b`, and `length(...)` of such a path)"
        ))
    };
    let trimmed = text.trim();
    if let Some(inner) = trimmed.strip_prefix("length(").and_then(|r| r.strip_suffix(')')) {
        return path(inner.trim()).map(Expr::Length).map_err(|why| fail(&why));
    }
    path(trimmed).map(Expr::Path).map_err(|why| fail(&why))
}

fn path(text: &str) -> Result<Vec<Step>, String> {
    if text.is_empty() {
        return Err("the path is empty".into());
    }
    let mut steps = Vec::new();
    for segment in text.split('.') {
        let (name, mut rest) = match segment.find('[') {
            Some(i) => segment.split_at(i),
            None => (segment, ""),
        };
        let identifier = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !identifier {
            return Err(format!("`{segment}` is not a member name"));
        }
        steps.push(Step::Field(name.to_owned()));
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("[]").or_else(|| rest.strip_prefix("[*]")) {
                steps.push(Step::Project);
                rest = after;
            } else {
                return Err(format!("`{rest}` is not a projection"));
            }
        }
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Step {
        Step::Field(name.into())
    }

    #[test]
    fn paths_projections_and_length_parse() {
        assert_eq!(
            parse("Cluster.Status.State").unwrap(),
            Expr::Path(vec![field("Cluster"), field("Status"), field("State")])
        );
        assert_eq!(
            parse("Steps[].Status.State").unwrap(),
            Expr::Path(vec![field("Steps"), Step::Project, field("Status"), field("State")])
        );
        assert_eq!(
            parse("Instances[*].Id").unwrap(),
            Expr::Path(vec![field("Instances"), Step::Project, field("Id")])
        );
        assert_eq!(
            parse("length(Instances)").unwrap(),
            Expr::Length(vec![field("Instances")])
        );
    }

    #[test]
    fn everything_else_is_refused_with_the_reason() {
        for text in [
            "Steps[0].State",
            "Steps[?State == 'x']",
            "a || b",
            "\"quoted\".x",
            "a.b == 'c'",
            "",
            "contains(a, 'b')",
            "a..b",
        ] {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(&format!("`{text}`")), "{err}");
            assert!(err.contains("supported:"), "{err}");
        }
    }
}
