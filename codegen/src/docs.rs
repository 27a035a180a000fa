//! Model documentation (a small subset of HTML) to rustdoc lines.

/// Converts botocore's HTML documentation to Markdown lines for `#[doc = ...]` attributes.
pub fn to_rustdoc(html: &str) -> Vec<String> {
    let mut out = String::new();
    let mut rest = html;
    let mut href: Option<String> = None;
    while let Some(start) = rest.find('<') {
        out.push_str(&escape_text(&rest[..start]));
        let Some(end) = rest[start..].find('>') else {
            out.push_str(&escape_text(&rest[start..]));
            rest = "";
            break;
        };
        let tag = &rest[start + 1..start + end];
        rest = &rest[start + end + 1..];
        let name = tag
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let closing = tag.starts_with('/');
        match (name.as_str(), closing) {
            ("p", false) | ("ul", _) | ("ol", _) | ("note", _) | ("important", _) => out.push_str("\n\n"),
            ("p", true) => out.push_str("\n\n"),
            ("li", false) => out.push_str("\n* "),
            ("br", _) => out.push('\n'),
            ("code", _) => out.push('`'),
            ("i", _) | ("em", _) => out.push('_'),
            ("b", _) | ("strong", _) => out.push_str("**"),
            ("a", false) => {
                href = tag
                    .split("href=\"")
                    .nth(1)
                    .and_then(|h| h.split('"').next())
                    .map(str::to_owned);
                if href.is_some() {
                    out.push('[');
                }
            }
            ("a", true) => {
                if let Some(h) = href.take() {
                    out.push_str(&format!("]({h})"));
                }
            }
            _ => {}
        }
    }
    out.push_str(&escape_text(rest));
    let mut lines: Vec<String> = Vec::new();
    for line in out.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
        .into_iter()
        .map(|l| if l.is_empty() { l } else { format!(" {l}") })
        .collect()
}

fn escape_text(text: &str) -> String {
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    // Brackets would read as intra-doc links and angle brackets as HTML.
    decoded
        .replace('[', "\\[")
        .replace(']', "\\]")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_markdown_lines() {
        let lines =
            to_rustdoc("<p>The ID of the <code>Studio</code>.</p> <p>See <a href=\"https://x\">docs</a> [a].</p>");
        assert_eq!(
            lines,
            vec![" The ID of the `Studio`.", "", " See [docs](https://x) \\[a\\]."]
        );
    }
}
