//! Model documentation (a small subset of HTML) to rustdoc lines.

/// Marks one level of list indentation at the start of a line until the lines are laid out.
const INDENT: char = '\u{1}';

/// Converts botocore's HTML documentation to Markdown lines for `#[doc = ...]` attributes.
///
/// A list item's first paragraph stays on its `* ` line and its later paragraphs are indented under it, so
/// `<ul><li><p>a</p><p>b</p></li></ul>` reads as one item, as it does in the AWS documentation.
pub fn to_rustdoc(html: &str) -> Vec<String> {
    let mut out = String::new();
    let mut rest = html;
    let mut href: Option<String> = None;
    let mut depth = 0usize;
    let mut paragraphs_in_item = 0usize;
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
        let indent = |levels: usize| INDENT.to_string().repeat(levels);
        match (name.as_str(), closing) {
            ("ul", false) | ("ol", false) => {
                out.push_str("\n\n");
                depth += 1;
            }
            ("ul", true) | ("ol", true) => {
                out.push_str("\n\n");
                depth = depth.saturating_sub(1);
            }
            ("li", false) => {
                out.push('\n');
                out.push_str(&indent(depth.saturating_sub(1)));
                out.push_str("* ");
                paragraphs_in_item = 0;
            }
            ("p", false) if depth > 0 => {
                if paragraphs_in_item > 0 {
                    out.push_str("\n\n");
                    out.push_str(&indent(depth));
                }
                paragraphs_in_item += 1;
            }
            ("p", true) | ("li", true) if depth > 0 => {}
            ("p", _) | ("note", _) | ("important", _) => out.push_str("\n\n"),
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
        let line = line.trim_start();
        let levels = line.chars().take_while(|&c| c == INDENT).count();
        let text = line[levels * INDENT.len_utf8()..]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if text.is_empty() {
            if lines.last().is_none_or(|l| l.is_empty()) {
                continue;
            }
            lines.push(text);
        } else {
            lines.push(format!("{}{text}", "  ".repeat(levels)));
        }
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

    #[test]
    fn a_list_item_keeps_its_paragraphs() {
        // The shape of `StepConfig.ActionOnFailure` in the EMR model: each item a paragraph, then prose.
        let lines = to_rustdoc(
            "<p>Use one of:</p> <ul> <li> <p> <code>A</code> - first.</p> </li> \
             <li> <p> <code>B</code> - second.</p> <p>More on B.</p> </li> </ul> <p>After.</p>",
        );
        assert_eq!(
            lines,
            vec![
                " Use one of:",
                "",
                " * `A` - first.",
                " * `B` - second.",
                "",
                "   More on B.",
                "",
                " After.",
            ]
        );
    }

    #[test]
    fn nested_lists_indent_their_items() {
        let lines = to_rustdoc("<ul><li><p>outer</p><ul><li><p>inner</p></li></ul></li><li>next</li></ul>");
        assert_eq!(lines, vec![" * outer", "", "   * inner", "", " * next"]);
    }
}
