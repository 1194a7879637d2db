//! Event descriptions are stored as sanitized HTML; calendars, plain-text mail and feed summaries
//! need readable text instead.
//!
//! html5ever (through ammonia) does the parsing, so unclosed tags, comments and every named
//! entity are handled as a browser would. Its serialized output is regular enough that a small
//! scanner can then turn the remaining handful of tags into line breaks, list bullets and links.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Elements that separate paragraphs.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "table",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "address",
    "dl",
];

/// Elements that start a line of their own without a blank line before it.
const LINES: &[&str] = &["li", "tr", "dt", "dd"];

/// Elements whose content sits beside its neighbours' (table cells).
const CELLS: &[&str] = &["td", "th"];

/// Keeps only the tags the scanner below understands. Built once: making the builder's sets
/// for every description was a good part of the cost of a feed of hundreds of events.
static NORMALIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut kept: HashSet<&str> = BLOCKS.iter().chain(LINES).chain(CELLS).copied().collect();
    kept.extend(["br", "a"]);
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(kept)
        .generic_attributes(HashSet::new())
        .tag_attributes(HashMap::from([("a", HashSet::from(["href"]))]))
        .link_rel(None);
    builder
});

/// Turns an HTML fragment into plain text: paragraphs and headings are separated by a blank
/// line, `<br>` breaks the line, list items get a bullet, links keep their address in
/// parentheses, and entities are decoded. Scripts and styles disappear with their content.
pub fn html_to_text(html: &str) -> String {
    let normalized = NORMALIZER.clean(html).to_string();

    let mut text = PlainText::default();
    let mut rest = normalized.as_str();
    while let Some(start) = rest.find('<') {
        text.push_str(&decode(&rest[..start]));
        let (tag, after) = Tag::scan(&rest[start + 1..]);
        text.tag(&tag);
        rest = after;
    }
    text.push_str(&decode(rest));
    text.finish()
}

/// One tag of html5ever's serialization, which always double-quotes attribute values and never
/// lets a `"` appear inside them (it writes `&quot;`), but does leave `>` unescaped there.
#[derive(Debug, Default)]
struct Tag<'a> {
    name: &'a str,
    closing: bool,
    href: Option<String>,
}

impl<'a> Tag<'a> {
    /// Reads a tag from just after its `<`, returning it and what follows its `>`.
    fn scan(input: &'a str) -> (Tag<'a>, &'a str) {
        let closing = input.starts_with('/');
        let input = input.strip_prefix('/').unwrap_or(input);
        let name_end = input
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(input.len());
        let mut tag = Tag {
            name: &input[..name_end],
            closing,
            href: None,
        };
        let mut rest = &input[name_end..];
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() {
                return (tag, rest);
            }
            if let Some(after) = rest.strip_prefix('>') {
                return (tag, after);
            }
            let key_end = rest
                .find(|c: char| c == '=' || c == '>' || c.is_whitespace())
                .unwrap_or(rest.len());
            let key = &rest[..key_end];
            rest = &rest[key_end..];
            if let Some(quoted) = rest.strip_prefix("=\"") {
                let value_end = quoted.find('"').unwrap_or(quoted.len());
                if key == "href" {
                    tag.href = Some(decode(&quoted[..value_end]));
                }
                rest = quoted.get(value_end + 1..).unwrap_or("");
            }
        }
    }
}

/// Decodes the few references html5ever's serializer writes; every other entity of the input
/// was already turned into its character by the parser.
fn decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Text being written, with the breaks and spaces it owes held back until more text comes, so
/// that nothing piles up at the start, the end, or between nested blocks.
#[derive(Debug, Default)]
struct PlainText {
    out: String,
    newlines: usize,
    space: bool,
    preformatted: usize,
    lists: Vec<Option<u32>>,
    link: Option<(String, usize)>,
    /// A bullet was just written: a paragraph opening inside the item must not leave it bare.
    after_bullet: bool,
}

impl PlainText {
    fn tag(&mut self, tag: &Tag<'_>) {
        let name = tag.name.to_ascii_lowercase();
        let name = name.as_str();
        match (name, tag.closing) {
            ("br", _) => self.newlines = (self.newlines + 1).min(2),
            ("a", false) => self.link = tag.href.clone().map(|href| (href, self.out.len())),
            ("a", true) => self.close_link(),
            ("ul", false) => self.lists.push(None),
            ("ol", false) => self.lists.push(Some(0)),
            ("ul" | "ol", true) => {
                self.lists.pop();
            }
            ("li", false) => self.start_item(),
            ("pre", false) => self.preformatted += 1,
            ("pre", true) => self.preformatted = self.preformatted.saturating_sub(1),
            _ => {}
        }
        let enclosing_lists = match (name, tag.closing) {
            ("ul" | "ol", false) => self.lists.len().saturating_sub(1),
            _ => self.lists.len(),
        };
        if BLOCKS.contains(&name) {
            // Inside a list, paragraphs and nested lists break the line but not the list.
            self.break_line(if enclosing_lists > 0 { 1 } else { 2 });
        } else if LINES.contains(&name) && name != "li" {
            self.break_line(1);
        } else if CELLS.contains(&name) {
            self.space = true;
        }
    }

    fn start_item(&mut self) {
        self.break_line(1);
        let depth = self.lists.len().saturating_sub(1);
        let bullet = match self.lists.last_mut() {
            Some(Some(number)) => {
                *number += 1;
                format!("{number}. ")
            }
            _ => "- ".to_owned(),
        };
        self.push_word(&format!("{}{bullet}", "  ".repeat(depth)));
        self.after_bullet = true;
    }

    fn close_link(&mut self) {
        let Some((href, start)) = self.link.take() else {
            return;
        };
        let label = self.out.get(start..).unwrap_or("").trim();
        let bare = href.strip_prefix("mailto:").unwrap_or(&href);
        if !href.is_empty() && label != href && label != bare {
            self.space = true;
            self.push_word(&format!("({href})"));
        }
    }

    fn break_line(&mut self, newlines: usize) {
        if self.after_bullet {
            return;
        }
        self.newlines = self.newlines.max(newlines);
        self.space = false;
    }

    fn push_str(&mut self, text: &str) {
        if self.preformatted > 0 {
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    self.newlines += 1;
                }
                if !line.is_empty() {
                    self.push_word(line);
                }
            }
            return;
        }
        for (i, word) in text.split(char::is_whitespace).enumerate() {
            if i > 0 {
                self.space = true;
            }
            if !word.is_empty() {
                self.push_word(word);
            }
        }
    }

    fn push_word(&mut self, word: &str) {
        if self.out.is_empty() {
            self.newlines = 0;
        } else if self.newlines > 0 {
            self.out.push_str(&"\n".repeat(self.newlines));
        } else if self.space && !self.after_bullet {
            self.out.push(' ');
        }
        self.newlines = 0;
        self.space = false;
        self.after_bullet = false;
        self.out.push_str(word);
    }

    fn finish(self) -> String {
        self.out
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::html_to_text;

    #[test]
    fn paragraphs_are_separated_by_a_blank_line_and_br_breaks_the_line() {
        assert_eq!(
            html_to_text("<p>Bring food.</p><p>Line one<br>line two</p>"),
            "Bring food.\n\nLine one\nline two"
        );
    }

    #[test]
    fn links_keep_their_address_in_parentheses() {
        assert_eq!(
            html_to_text(r#"<p>See <a href="https://example.org/a?b=1&amp;c=2">the map</a>.</p>"#),
            "See the map (https://example.org/a?b=1&c=2)."
        );
    }

    #[test]
    fn links_whose_text_is_their_address_are_not_repeated() {
        assert_eq!(
            html_to_text(
                r#"<a href="https://example.org">https://example.org</a> <a href="mailto:a@b.c">a@b.c</a>"#
            ),
            "https://example.org a@b.c"
        );
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            html_to_text(
                "<p>Caf&eacute; &amp; th&eacute; &lt;3 &#127881; &quot;ok&quot;&nbsp;!</p>"
            ),
            "Café & thé <3 🎉 \"ok\" !"
        );
    }

    #[test]
    fn lists_get_bullets_and_numbers() {
        assert_eq!(
            html_to_text(
                "<p>Bring:</p><ul><li><p>bread</p></li><li>wine</li></ul><ol><li>one</li><li>two</li></ol>"
            ),
            "Bring:\n\n- bread\n- wine\n\n1. one\n2. two"
        );
    }

    #[test]
    fn nested_lists_are_indented_without_blank_lines() {
        assert_eq!(
            html_to_text(
                "<ul><li>food<ul><li>bread</li><li>cheese</li></ul></li><li>drinks</li></ul><p>End</p>"
            ),
            "- food\n  - bread\n  - cheese\n- drinks\n\nEnd"
        );
    }

    #[test]
    fn source_whitespace_collapses_like_in_a_browser() {
        assert_eq!(
            html_to_text("\n  <p>  Many\n   spaces  </p>\n\n <p>here</p>  "),
            "Many spaces\n\nhere"
        );
    }

    #[test]
    fn scripts_styles_and_unknown_tags_leave_no_trace() {
        let text = html_to_text(
            r#"<style>p{color:red}</style><p onclick="x()">Hi <strong>there</strong><script>alert(1)</script><img src="x.png"></p><!-- note -->"#,
        );
        assert_eq!(text, "Hi there");
    }

    #[test]
    fn text_never_contains_tags_even_from_broken_html() {
        let text = html_to_text("<p>Unclosed <em>emphasis <a href='x'>link <div>block");
        assert!(!text.contains('<') && !text.contains('>'), "{text}");
        assert!(text.contains("Unclosed emphasis link"), "{text}");
    }

    #[test]
    fn preformatted_text_keeps_its_lines() {
        assert_eq!(
            html_to_text("<pre>a  b\nc</pre><p>after</p>"),
            "a  b\nc\n\nafter"
        );
    }

    #[test]
    fn plain_text_passes_through() {
        assert_eq!(
            html_to_text("Just words, no markup"),
            "Just words, no markup"
        );
        assert_eq!(html_to_text(""), "");
    }
}
