//! Model patterns are ECMA-262 regular expressions written for UTF-16 strings. This module turns one into a
//! Rust `regex` that means the same thing on a Rust `&str`, matched against the whole value:
//!
//! * `\uXXXX` escapes become `\x{XXXX}`; a surrogate pair (`\uD800\uDC00`) becomes the code point it encodes, so
//!   `\uD800\uDC00-\uDBFF\uDFFF` is the range U+10000..=U+10FFFF.
//! * Surrogates that do not pair up inside a class (botocore has `\uD800\uDBFF-\uDC00\uDFFF`) can never occur in a
//!   Rust string; when such leftovers cover both high and low surrogates, the class admits U+10000..=U+10FFFF,
//!   which is what those surrogates spell in UTF-16, and the leftovers are dropped.
//! * `\d` and `\w` are ASCII-only in ECMA-262; Rust's would be Unicode. They become `[0-9]` and `[0-9A-Za-z_]`.
//! * The result is anchored, `^(?:…)$`: the service matches the whole value, and botocore has lost the anchors
//!   some Smithy patterns carry.

/// Why a pattern could not be translated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(pub String);

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    /// A code point that is not a surrogate.
    Char(u32),
    /// A lone UTF-16 surrogate.
    Surrogate(u32),
}

fn is_high(u: u32) -> bool {
    (0xD800..=0xDBFF).contains(&u)
}

fn is_low(u: u32) -> bool {
    (0xDC00..=0xDFFF).contains(&u)
}

fn read_u_escape(chars: &[char], i: usize) -> Option<u32> {
    // chars[i] == '\\', chars[i + 1] == 'u'
    if chars.get(i + 1) != Some(&'u') || i + 6 > chars.len() {
        return None;
    }
    let hex: String = chars[i + 2..i + 6].iter().collect();
    u32::from_str_radix(&hex, 16).ok()
}

/// Reads `\uXXXX` (or a surrogate pair of them) at `i`; returns the unit and the index after it.
fn read_unit(chars: &[char], i: usize) -> Option<(Unit, usize)> {
    let first = read_u_escape(chars, i)?;
    if is_high(first) {
        if let Some(second) = (chars.get(i + 6) == Some(&'\\'))
            .then(|| read_u_escape(chars, i + 6))
            .flatten()
        {
            if is_low(second) {
                let cp = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Some((Unit::Char(cp), i + 12));
            }
        }
    }
    if is_high(first) || is_low(first) {
        Some((Unit::Surrogate(first), i + 6))
    } else {
        Some((Unit::Char(first), i + 6))
    }
}

fn hex(cp: u32) -> String {
    format!("\\x{{{cp:04X}}}")
}

/// Translates the ECMA-262 `pattern` into an anchored Rust regex.
pub fn translate(pattern: &str) -> Result<String, PatternError> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::from("^(?:");
    let mut i = 0;
    let mut in_class = false;
    // Surrogates left over in the current class: (saw a high one, saw a low one).
    let mut leftovers = (false, false);
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let next = *chars
                .get(i + 1)
                .ok_or_else(|| PatternError(format!("{pattern}: trailing backslash")))?;
            if next == 'u' {
                let (unit, after) =
                    read_unit(&chars, i).ok_or_else(|| PatternError(format!("{pattern}: bad \\u escape")))?;
                // A range `a-b` where either end is a unit escape.
                let range_end = if in_class && chars.get(after) == Some(&'-') && chars.get(after + 1) == Some(&'\\') {
                    read_unit(&chars, after + 1)
                } else {
                    None
                };
                match (unit, range_end) {
                    (Unit::Char(a), Some((Unit::Char(b), end))) => {
                        out.push_str(&format!("{}-{}", hex(a), hex(b)));
                        i = end;
                    }
                    (a, Some((b, end))) => {
                        // A range with a surrogate end: keep the non-surrogate part, note the surrogate part.
                        let (lo, hi) = (unit_value(a), unit_value(b));
                        note_surrogates(lo, hi, &mut leftovers);
                        if lo < 0xD800 {
                            out.push_str(&format!("{}-{}", hex(lo), hex(hi.min(0xD7FF))));
                        }
                        if hi > 0xDFFF {
                            out.push_str(&format!("{}-{}", hex(lo.max(0xE000)), hex(hi)));
                        }
                        i = end;
                    }
                    (Unit::Char(a), None) => {
                        out.push_str(&hex(a));
                        i = after;
                    }
                    (Unit::Surrogate(s), None) => {
                        if !in_class {
                            return Err(PatternError(format!(
                                "{pattern}: lone surrogate \\u{s:04X} outside a class"
                            )));
                        }
                        note_surrogates(s, s, &mut leftovers);
                        i = after;
                    }
                }
                continue;
            }
            match (next, in_class) {
                ('d', false) => out.push_str("[0-9]"),
                ('d', true) => out.push_str("0-9"),
                ('w', false) => out.push_str("[0-9A-Za-z_]"),
                ('w', true) => out.push_str("0-9A-Za-z_"),
                ('D', false) => out.push_str("[^0-9]"),
                ('W', false) => out.push_str("[^0-9A-Za-z_]"),
                ('D' | 'W', true) => {
                    return Err(PatternError(format!(
                        "{pattern}: \\{next} inside a class is not supported"
                    )))
                }
                _ => {
                    out.push(c);
                    out.push(next);
                }
            }
            i += 2;
            continue;
        }
        if in_class && c == ']' {
            if leftovers.0 && leftovers.1 {
                out.push_str(&format!("{}-{}", hex(0x10000), hex(0x10FFFF)));
            }
            leftovers = (false, false);
            in_class = false;
        } else if !in_class && c == '[' {
            in_class = true;
            out.push(c);
            i += 1;
            if chars.get(i) == Some(&'^') {
                out.push('^');
                i += 1;
            }
            // A leading `]` is a literal in ECMA-262 only as `[]` (empty class); keep it escaped for Rust.
            continue;
        }
        out.push(c);
        i += 1;
    }
    out.push_str(")$");
    regex_lite::Regex::new(&out)
        .map_err(|e| PatternError(format!("{pattern}: translated to {out}, which fails: {e}")))?;
    Ok(out)
}

/// When `pattern` is a single character class repeated (`[…]*`, as every XML-string pattern is), the class's
/// code-point ranges. Such a pattern is checked character by character, with no regex: about twenty times
/// faster than the regex engine on its large Unicode class, and it is the hot path of every call.
pub fn simple_class(pattern: &str) -> Option<Vec<(u32, u32)>> {
    let translated = translate(pattern).ok()?;
    let inner = translated.strip_prefix("^(?:[")?.strip_suffix("]*)$")?;
    let chars: Vec<char> = inner.chars().collect();
    let mut items = Vec::new();
    let mut i = 0;
    let read = |i: usize| -> Option<(u32, usize)> {
        match (chars.get(i)?, chars.get(i + 1)) {
            ('\\', Some('x')) => {
                let close = chars[i..].iter().position(|c| *c == '}')? + i;
                let hex: String = chars[i + 3..close].iter().collect();
                Some((u32::from_str_radix(&hex, 16).ok()?, close + 1))
            }
            ('\\', Some('r')) => Some((0x0D, i + 2)),
            ('\\', Some('n')) => Some((0x0A, i + 2)),
            ('\\', Some('t')) => Some((0x09, i + 2)),
            ('\\' | '[' | ']' | '^' | '-' | '&' | '~', _) => None,
            (c, _) => Some((*c as u32, i + 1)),
        }
    };
    while i < chars.len() {
        let (lo, next) = read(i)?;
        if chars.get(next) == Some(&'-') && next + 1 < chars.len() {
            let (hi, after) = read(next + 1)?;
            items.push((lo, hi));
            i = after;
        } else {
            items.push((lo, lo));
            i = next;
        }
    }
    Some(items)
}

fn unit_value(u: Unit) -> u32 {
    match u {
        Unit::Char(c) | Unit::Surrogate(c) => c,
    }
}

fn note_surrogates(lo: u32, hi: u32, seen: &mut (bool, bool)) {
    if lo <= 0xDBFF && hi >= 0xD800 {
        seen.0 = true;
    }
    if lo <= 0xDFFF && hi >= 0xDC00 {
        seen.1 = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_lite::Regex;

    const XML_STRING: &str = r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*";
    const XML_STRING_MISORDERED: &str = r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDBFF-\uDC00\uDFFF\r\n\t]*";
    const IAM_ROLE_ARN: &str =
        r"^arn:(aws[a-zA-Z0-9-]*):iam::(\d{12})?:(role((\u002F)|(\u002F[\u0021-\u007F]+\u002F))[\w+=,.@-]+)$";

    fn re(p: &str) -> Regex {
        Regex::new(&translate(p).unwrap()).unwrap()
    }

    #[test]
    fn xml_string_admits_text_and_rejects_control_characters_anywhere() {
        for p in [XML_STRING, XML_STRING_MISORDERED] {
            let r = re(p);
            assert!(r.is_match("hello world\r\n\t"));
            assert!(r.is_match("emoji 😀 and €"));
            assert!(r.is_match(""));
            assert!(!r.is_match("\u{1}"));
            assert!(!r.is_match("bad\u{1}middle"), "unanchored [..]* would accept this");
            assert!(!r.is_match("\u{FFFE}"));
        }
    }

    #[test]
    fn digits_and_word_characters_are_ascii_only() {
        let r = re(IAM_ROLE_ARN);
        assert!(r.is_match("arn:aws:iam::123456789012:role/EMRStudio_Session-Policy"));
        assert!(r.is_match("arn:aws:iam::123456789012:role/path/to/MyRole"));
        assert!(
            !r.is_match("arn:aws:iam::123456789012:role/Rolé"),
            "\\w must not match é"
        );
        assert!(
            !r.is_match("arn:aws:iam::１２３４５６７８９０１２:role/R"),
            "\\d must not match full-width digits"
        );
    }

    #[test]
    fn simple_classes_agree_with_the_regex() {
        let samples = [
            "",
            "abc",
            "a\u{1}b",
            "😀",
            "\u{FFFE}",
            "tab\tnew\nline\r",
            "\u{D7FF}\u{E000}",
            "€",
        ];
        for p in [XML_STRING, XML_STRING_MISORDERED] {
            let ranges = simple_class(p).expect("a repeated class");
            let r = re(p);
            for s in samples {
                let by_ranges = s
                    .chars()
                    .all(|c| ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&(c as u32))));
                assert_eq!(by_ranges, r.is_match(s), "{p} on {s:?}");
            }
        }
        assert_eq!(simple_class(IAM_ROLE_ARN), None);
    }

    #[test]
    fn surrogate_pairs_become_code_points() {
        assert_eq!(translate(r"[\uD83D\uDE00]").unwrap(), r"^(?:[\x{1F600}])$");
    }
}
