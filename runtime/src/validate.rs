//! Support for the generated validators: field paths, violations and the checks themselves.
//!
//! Lengths count characters (Unicode scalar values), as the service does. Patterns are matched against the
//! whole value. Every violation is collected; nothing stops at the first.

pub use regex_lite::Regex;
use std::borrow::Cow;
use std::fmt;

/// How much the client checks before sending.
///
/// AWS advises SDKs not to enforce length, pattern and range constraints on the client: the service is the
/// authority and may relax a limit later. [`ValidationMode::Full`] (the default) checks them anyway, because a
/// precise local message beats a round trip; [`ValidationMode::Essential`] follows AWS's advice and keeps only
/// the checks without which a request means nothing or goes astray: required members (at any depth),
/// exactly-one-of rules and host labels. Required members are checked in every mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ValidationMode {
    /// Every modelled constraint.
    #[default]
    Full,
    /// Only what a request cannot do without: required members, exactly-one-of rules and host labels.
    Essential,
}

/// Where a value sits in the input: `StudioId`, `Steps[2].Name`, `Tags{"k"}`. Built only when a check fails.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The input itself.
    Root,
    /// A member of a structure.
    Member(&'a Path<'a>, &'static str),
    /// An element of a list.
    Index(&'a Path<'a>, usize),
    /// A value of a map.
    Key(&'a Path<'a>, &'a str),
}

impl Path<'_> {
    /// The path of member `name` below this one.
    pub fn member(&self, name: &'static str) -> Path<'_> {
        Path::Member(self, name)
    }

    /// The path of list element `index` below this one.
    pub fn index(&self, index: usize) -> Path<'_> {
        Path::Index(self, index)
    }

    /// The path of map value `key` below this one.
    pub fn key<'k>(&'k self, key: &'k str) -> Path<'k> {
        Path::Key(self, key)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        FieldPath::from(self).fmt(f)
    }
}

/// One step of a [`FieldPath`]: a member name, a list index or a map key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A member of a structure, by its model name (`StudioId`); owned where the name was only known at run time
    /// (a key the JSON writer had written when a value could not be).
    Member(Cow<'static, str>),
    /// An element of a list.
    Index(usize),
    /// A value of a map, by its key.
    Key(String),
}

/// Where a broken value sits, as the steps from the input to it: members, list indexes and map keys. Displays as
/// [`Path`] does (`Steps[2].Name`, `Tags{"k"}`); servers render their own wording from [`segments`](Self::segments).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath(Vec<Segment>);

impl FieldPath {
    /// A path of these steps, from the input down.
    pub(crate) fn from_segments(segments: Vec<Segment>) -> FieldPath {
        FieldPath(segments)
    }

    /// The steps, from the input down.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// Whether this is the input itself.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether this path is `parent` or lies below it.
    pub fn starts_with(&self, parent: &FieldPath) -> bool {
        self.0.starts_with(&parent.0)
    }
}

impl From<&Path<'_>> for FieldPath {
    fn from(path: &Path<'_>) -> FieldPath {
        let mut steps = Vec::new();
        let mut at = path;
        loop {
            at = match at {
                Path::Root => break,
                Path::Member(parent, name) => {
                    steps.push(Segment::Member(Cow::Borrowed(name)));
                    parent
                }
                Path::Index(parent, i) => {
                    steps.push(Segment::Index(*i));
                    parent
                }
                Path::Key(parent, k) => {
                    steps.push(Segment::Key((*k).to_owned()));
                    parent
                }
            };
        }
        steps.reverse();
        FieldPath(steps)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Segment::Member(name) if i == 0 => f.write_str(name)?,
                Segment::Member(name) => write!(f, ".{name}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
                Segment::Key(key) => write!(f, "{{{key:?}}}")?,
            }
        }
        Ok(())
    }
}

impl PartialEq<str> for FieldPath {
    fn eq(&self, text: &str) -> bool {
        let rendered = self.to_string();
        rendered == text
    }
}

impl PartialEq<&str> for FieldPath {
    fn eq(&self, text: &&str) -> bool {
        self == *text
    }
}

/// The rule a value broke, with its limit.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Rule {
    /// A required member is missing.
    Required,
    /// Too few characters (strings) or elements (lists, maps).
    MinLength {
        /// The model's `min`: the fewest characters or elements allowed.
        min: u64,
        /// How many characters or elements the value has.
        actual: u64,
    },
    /// Too many characters (strings) or elements (lists, maps).
    MaxLength {
        /// The model's `max`: the most characters or elements allowed.
        max: u64,
        /// How many characters or elements the value has.
        actual: u64,
    },
    /// A number below its minimum.
    Min {
        /// The model's `min` (inclusive); integer limits are widened to `f64`.
        min: f64,
        /// The value, as `f64`.
        actual: f64,
    },
    /// A number above its maximum.
    Max {
        /// The model's `max` (inclusive); integer limits are widened to `f64`.
        max: f64,
        /// The value, as `f64`.
        actual: f64,
    },
    /// A string that does not match its pattern (the model's pattern, as written there).
    Pattern {
        /// The model's pattern text (not the anchored, translated regex the check ran).
        pattern: &'static str,
    },
    /// Exactly one of these members must be set; `set` of them are.
    ExactlyOneOf {
        /// The model names of the members in the group, of which exactly one must be set.
        members: &'static [&'static str],
        /// How many of them are set: 0, or more than 1.
        set: usize,
    },
    /// A member that becomes part of the endpoint's host name (`hostLabel`) is not a valid host label.
    HostLabel,
    /// A timestamp that its wire format (`iso8601`, `rfc822`) cannot express: those formats have four-digit years.
    TimestampRange {
        /// The wire format's name: `"iso8601"` or `"rfc822"` (the model's `http-date`).
        format: &'static str,
    },
}

/// One broken rule at one place.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Violation {
    /// The field path, e.g. `StudioId`.
    pub path: FieldPath,
    /// What was broken.
    pub rule: Rule,
}

impl Violation {
    /// `rule` broken at `path`.
    pub fn new(path: &Path<'_>, rule: Rule) -> Violation {
        Violation {
            path: path.into(),
            rule,
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_root() {
            "input".to_owned()
        } else {
            self.path.to_string()
        };
        match &self.rule {
            Rule::Required => write!(f, "{path}: required, but not set"),
            Rule::MinLength { min, actual } => write!(f, "{path}: length must be at least {min}, got {actual}"),
            Rule::MaxLength { max, actual } => write!(f, "{path}: length must be at most {max}, got {actual}"),
            Rule::Min { min, actual } => write!(f, "{path}: must be at least {min}, got {actual}"),
            Rule::Max { max, actual } => write!(f, "{path}: must be at most {max}, got {actual}"),
            Rule::Pattern { pattern } => write!(f, "{path}: must match the pattern {pattern}"),
            Rule::ExactlyOneOf { members, set } => {
                write!(
                    f,
                    "{path}: exactly one of {} must be set, got {set}",
                    members.join(", ")
                )
            }
            Rule::HostLabel => write!(
                f,
                "{path}: goes into the host name, so it must be 1 to 63 letters, digits and hyphens, \
                 starting and ending with a letter or digit"
            ),
            Rule::TimestampRange { format } => write!(
                f,
                "{path}: an {format} timestamp must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z"
            ),
        }
    }
}

/// Every violation found in one input. Nothing was sent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ValidationError {
    /// The type that was checked, e.g. `UpdateStudioSessionMappingInput`.
    pub shape: &'static str,
    /// All violations, in field order.
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(
            f,
            "invalid {}: {n} violation{}",
            self.shape,
            if n == 1 { "" } else { "s" }
        )?;
        for v in &self.violations {
            write!(f, "; {v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Checks that generated types implement.
pub trait Validate {
    /// The model's name for this type, used in error messages.
    const SHAPE: &'static str;

    /// Adds every violation under `path` to `out`.
    fn validate_into(&self, path: &Path<'_>, mode: ValidationMode, out: &mut Vec<Violation>);

    /// Checks every constraint; reports all violations at once.
    fn validate(&self) -> Result<(), ValidationError> {
        self.validate_with(ValidationMode::Full)
    }

    /// Checks the constraints that `mode` keeps.
    fn validate_with(&self, mode: ValidationMode) -> Result<(), ValidationError> {
        let mut violations = Vec::new();
        self.validate_into(&Path::Root, mode, &mut violations);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError {
                shape: Self::SHAPE,
                violations,
            })
        }
    }
}

/// Length limits for a string (in characters) or a collection (in elements).
pub fn check_length(len: usize, min: Option<u64>, max: Option<u64>, path: &Path<'_>, out: &mut Vec<Violation>) {
    let actual = len as u64;
    if let Some(min) = min.filter(|&m| actual < m) {
        out.push(Violation::new(path, Rule::MinLength { min, actual }));
    }
    if let Some(max) = max.filter(|&m| actual > m) {
        out.push(Violation::new(path, Rule::MaxLength { max, actual }));
    }
}

/// Length limits for a string, counted in characters.
pub fn check_str_length(value: &str, min: Option<u64>, max: Option<u64>, path: &Path<'_>, out: &mut Vec<Violation>) {
    // Bytes bound characters from above and from below (a character is 1 to 4 bytes): count only when needed.
    let bytes = value.len() as u64;
    let surely_ok = min.is_none_or(|m| bytes / 4 >= m) && max.is_none_or(|m| bytes <= m);
    if !surely_ok {
        check_length(value.chars().count(), min, max, path, out);
    }
}

/// Range limits for a number.
pub fn check_range(value: f64, min: Option<f64>, max: Option<f64>, path: &Path<'_>, out: &mut Vec<Violation>) {
    if let Some(min) = min.filter(|&m| value < m) {
        out.push(Violation::new(path, Rule::Min { min, actual: value }));
    }
    if let Some(max) = max.filter(|&m| value > m) {
        out.push(Violation::new(path, Rule::Max { max, actual: value }));
    }
}

/// The whole of `value` must match `regex` (already anchored by the generator); `pattern` is the model's text.
pub fn check_pattern(value: &str, regex: &Regex, pattern: &'static str, path: &Path<'_>, out: &mut Vec<Violation>) {
    if !regex.is_match(value) {
        out.push(Violation::new(path, Rule::Pattern { pattern }));
    }
}

/// The whole of `value` must consist of characters in `ranges` (inclusive code-point ranges): the generator's
/// form of a pattern that is one repeated character class; `pattern` is the model's text.
pub fn check_chars(
    value: &str,
    ranges: &[(u32, u32)],
    pattern: &'static str,
    path: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    let allowed = |c: char| ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&(c as u32)));
    if !value.chars().all(allowed) {
        out.push(Violation::new(path, Rule::Pattern { pattern }));
    }
}

/// Exactly one of `members` must be set; `set` counts those that are.
pub fn check_exactly_one(set: usize, members: &'static [&'static str], path: &Path<'_>, out: &mut Vec<Violation>) {
    if set != 1 {
        out.push(Violation::new(path, Rule::ExactlyOneOf { members, set }));
    }
}

/// Whether `label` can be one label of a host name (RFC 1123): 1 to 63 ASCII letters, digits and hyphens, not
/// starting or ending with a hyphen. Dots are refused: one member fills one label.
pub fn is_valid_host_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// A member that fills a `{label}` of the operation's host prefix must be a valid host label. Checked in every
/// [`ValidationMode`]: an unchecked value could send the request, signed, to another host.
pub fn check_host_label(value: &str, path: &Path<'_>, out: &mut Vec<Violation>) {
    if !is_valid_host_label(value) {
        out.push(Violation::new(path, Rule::HostLabel));
    }
}

/// A required member is missing.
pub fn missing(path: &Path<'_>, out: &mut Vec<Violation>) {
    out.push(Violation::new(path, Rule::Required));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_like_the_model() {
        let root = Path::Root;
        let steps = root.member("Steps");
        let second = steps.index(2);
        let name = second.member("Name");
        assert_eq!(name.to_string(), "Steps[2].Name");
        let tags = root.member("Tags");
        assert_eq!(tags.key("k").to_string(), "Tags{\"k\"}");
    }

    #[test]
    fn violations_carry_their_path_as_segments() {
        let root = Path::Root;
        let steps = root.member("Steps");
        let second = steps.index(2);
        let key = "a\"b}\\c\n";
        let tags = second.key(key);
        let name = tags.member("Name");
        let mut out = Vec::new();
        check_length(0, Some(1), None, &name, &mut out);
        assert_eq!(
            out[0].path.segments(),
            [
                Segment::Member("Steps".into()),
                Segment::Index(2),
                Segment::Key(key.into()),
                Segment::Member("Name".into())
            ]
        );
        assert_eq!(out[0].path.to_string(), name.to_string());
        assert_eq!(out[0].path, r#"Steps[2]{"a\"b}\\c\n"}.Name"#);
        let parent = FieldPath::from(&steps);
        assert!(out[0].path.starts_with(&parent) && !parent.starts_with(&out[0].path));
        missing(&root, &mut out);
        assert!(out[1].path.is_root());
        assert_eq!(out[1].to_string(), "input: required, but not set");
    }

    #[test]
    fn host_labels_are_single_rfc1123_labels() {
        for good in ["bar", "a", "x-1", "0", &"a".repeat(63)] {
            assert!(is_valid_host_label(good), "{good}");
        }
        for bad in ["", "-a", "a-", "a.b", "a/b", "évil", "a b", "a:1", &"a".repeat(64)] {
            assert!(!is_valid_host_label(bad), "{bad}");
        }
        let mut out = Vec::new();
        check_host_label("evil.com/", &Path::Root.member("label"), &mut out);
        assert_eq!(out[0].rule, Rule::HostLabel);
        assert!(out[0].to_string().starts_with("label: goes into the host name"));
    }

    #[test]
    fn string_length_counts_characters_not_bytes() {
        let mut out = Vec::new();
        // Three characters, nine bytes.
        check_str_length("€€€", Some(0), Some(3), &Path::Root.member("X"), &mut out);
        assert!(out.is_empty(), "{out:?}");
        check_str_length("€€€€", Some(0), Some(3), &Path::Root.member("X"), &mut out);
        assert_eq!(out[0].rule, Rule::MaxLength { max: 3, actual: 4 });
        out.clear();
        check_str_length("", Some(1), None, &Path::Root.member("X"), &mut out);
        assert_eq!(out[0].rule, Rule::MinLength { min: 1, actual: 0 });
    }
}
