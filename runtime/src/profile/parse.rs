//! Line-level parsing of one profile file into raw sections.
//!
//! This stage only knows about lines: section headers, properties, continuations and comments. Which sections
//! count (`[profile foo]` in config, `[foo]` in credentials), which names are valid and how files merge is decided
//! afterwards, in [`super::ProfileSet`].

use super::ProfileFileError;

/// The only characters the profile-file rules treat as whitespace.
pub(super) const WHITESPACE: [char; 2] = [' ', '\t'];
const COMMENT: [char; 2] = ['#', ';'];

/// One `[...]` header and the properties under it, in file order.
pub(super) struct RawSection<'a> {
    /// The text between the brackets, comments removed and trimmed.
    pub header: &'a str,
    /// `(key, value)`; keys are lower-cased, values keep continuation lines joined by `\n`.
    pub properties: Vec<(String, String)>,
}

/// Where the parser is inside the current section.
struct Current {
    section: usize,
    /// The property continuation lines extend, and whether they must be `key = value` sub-properties.
    property: Option<(usize, bool)>,
}

/// Splits `text` into sections; `path` only names the file in error messages.
pub(super) fn parse_file<'a>(text: &'a str, path: &str) -> Result<Vec<RawSection<'a>>, ProfileFileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sections: Vec<RawSection<'a>> = Vec::new();
    let mut current: Option<Current> = None;
    for (index, line) in text.lines().enumerate() {
        let error = |message: String| ProfileFileError::Parse {
            path: path.to_owned(),
            line: index + 1,
            message,
        };
        if line.trim_matches(WHITESPACE).is_empty() || line.starts_with(COMMENT) {
            continue;
        }
        if line.starts_with('[') {
            let header = strip_comment(line, false)
                .strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .ok_or_else(|| error("Profile definition must end with ']'".into()))?;
            sections.push(RawSection {
                header: header.trim_matches(WHITESPACE),
                properties: Vec::new(),
            });
            current = Some(Current {
                section: sections.len() - 1,
                property: None,
            });
            continue;
        }
        let Some(current) = current.as_mut() else {
            return Err(error("Expected a profile definition".into()));
        };
        let properties = &mut sections[current.section].properties;
        if line.starts_with(WHITESPACE) {
            let Some((property, is_sub_property)) = current.property else {
                return Err(error("Expected a property definition, found continuation".into()));
            };
            if is_sub_property {
                split_property(line).map_err(|problem| error(problem.message("sub-property")))?;
            }
            let value = &mut properties[property].1;
            value.push('\n');
            value.push_str(line.trim_matches(WHITESPACE));
        } else {
            let (key, value) = split_property(line).map_err(|problem| error(problem.message("property")))?;
            properties.push((key.to_ascii_lowercase(), value.to_owned()));
            current.property = Some((properties.len() - 1, value.is_empty()));
        }
    }
    Ok(sections)
}

/// What is wrong with a `key = value` line.
pub(super) enum PropertyProblem {
    NoEquals,
    NoName,
}

impl PropertyProblem {
    fn message(&self, what: &str) -> String {
        match self {
            PropertyProblem::NoEquals => format!("Expected an '=' sign defining a {what}"),
            PropertyProblem::NoName => {
                let mut chars = what.chars();
                let first = chars.next().map(|c| c.to_ascii_uppercase()).into_iter();
                format!("{} did not have a name", first.chain(chars).collect::<String>())
            }
        }
    }
}

/// Splits `key = value` (a trailing comment removed) into its trimmed halves.
pub(super) fn split_property(line: &str) -> Result<(&str, &str), PropertyProblem> {
    let (key, value) = strip_comment(line, true)
        .split_once('=')
        .ok_or(PropertyProblem::NoEquals)?;
    let key = key.trim_matches(WHITESPACE);
    if key.is_empty() {
        return Err(PropertyProblem::NoName);
    }
    Ok((key, value.trim_matches(WHITESPACE)))
}

/// Trims `line` and cuts it at the first `#` or `;`.
///
/// In a property line the comment character must follow whitespace (`value;x` keeps its `;`); in a section header
/// it may follow anything (`[default];x`).
fn strip_comment(line: &str, needs_whitespace_before: bool) -> &str {
    let line = line.trim_matches(WHITESPACE);
    let mut after_whitespace = false;
    for (at, c) in line.char_indices() {
        if COMMENT.contains(&c) && (after_whitespace || !needs_whitespace_before) {
            return line[..at].trim_matches(WHITESPACE);
        }
        after_whitespace = WHITESPACE.contains(&c);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_in_properties_need_whitespace_before_them() {
        assert_eq!(strip_comment("name = value # note # more", true), "name = value");
        assert_eq!(strip_comment("name = value#note ;more", true), "name = value#note");
        assert_eq!(strip_comment("[default]#note", false), "[default]");
    }

    #[test]
    fn property_lines_split_at_the_first_equals_sign() {
        assert!(matches!(split_property(" a = b=c "), Ok(("a", "b=c"))));
        assert!(matches!(split_property("a ="), Ok(("a", ""))));
        assert!(matches!(split_property("a b"), Err(PropertyProblem::NoEquals)));
        assert!(matches!(split_property(" = b"), Err(PropertyProblem::NoName)));
    }

    #[test]
    fn errors_name_the_file_and_the_line() {
        let err = parse_file(
            "[default]\nregion = us-east-1\n\n[profile broken\n",
            "/home/u/.aws/config",
        )
        .err()
        .expect("an unclosed header is an error");
        assert_eq!(
            err.to_string(),
            "error parsing /home/u/.aws/config on line 4: Profile definition must end with ']'"
        );
    }
}
