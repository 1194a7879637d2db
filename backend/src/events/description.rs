//! Descriptions typed in the event form are Markdown, kept as typed (`description_source`)
//! beside the sanitized HTML made from them (`description`, what Mobilizon's API, feeds and
//! other instances read). The form shows the source back, so saving an unchanged form changes
//! nothing: "Venez nombreux <3" stays as typed instead of coming back as `&lt;3`.
//!
//! People type in a text box, not a Markdown editor, so single line breaks are kept as breaks
//! and bare addresses become links; headings are shifted down one level (the page's title is
//! its only `h1`). The HTML then goes through the same sanitizer as every description.

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use super::input::DESCRIPTION_MAX_CHARS;
use super::sanitize;
use crate::error::{Error, Result};

/// What a client gave for the description, resolved into what is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    /// The HTML to check and store (`None`: unchanged).
    pub html: Option<String>,
    /// The source to keep beside it (`None`: unchanged; `Some(None)`: forgotten, the HTML
    /// came from elsewhere).
    pub source: Option<Option<String>>,
}

/// Markdown wins when both come; HTML alone forgets any source; neither changes nothing.
pub fn given(html: Option<&str>, source: Option<&str>) -> Result<Given> {
    match (source, html) {
        (Some(source), _) => {
            let source = normalized(source);
            if source.chars().count() > DESCRIPTION_MAX_CHARS {
                return Err(Error::invalid(
                    "description",
                    format!("at most {DESCRIPTION_MAX_CHARS} characters"),
                ));
            }
            Ok(Given {
                html: Some(to_html(&source)),
                source: Some(Some(source).filter(|s| !s.is_empty())),
            })
        }
        (None, Some(html)) => Ok(Given {
            html: Some(html.to_owned()),
            source: Some(None),
        }),
        (None, None) => Ok(Given {
            html: None,
            source: None,
        }),
    }
}

/// Browsers send a text box's lines ended by CRLF; what surrounds the text is not kept.
pub fn normalized(source: &str) -> String {
    source
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_owned()
}

/// The sanitized HTML of a Markdown source.
pub fn to_html(source: &str) -> String {
    let parser = Parser::new_ext(source, Options::ENABLE_STRIKETHROUGH);
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut in_link = 0usize;
    let mut in_code = 0usize;
    for event in pulldown_cmark::TextMergeStream::new(parser) {
        match event {
            Event::SoftBreak => events.push(Event::HardBreak),
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => events.push(Event::Start(Tag::Heading {
                level: shifted(level),
                id,
                classes,
                attrs,
            })),
            Event::End(TagEnd::Heading(level)) => {
                events.push(Event::End(TagEnd::Heading(shifted(level))));
            }
            Event::Start(tag @ Tag::Link { .. }) => {
                in_link += 1;
                events.push(Event::Start(tag));
            }
            Event::End(TagEnd::Link) => {
                in_link = in_link.saturating_sub(1);
                events.push(Event::End(TagEnd::Link));
            }
            Event::Start(tag @ Tag::CodeBlock(_)) => {
                in_code += 1;
                events.push(Event::Start(tag));
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = in_code.saturating_sub(1);
                events.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Text(text) if in_link == 0 && in_code == 0 => linkified(&text, &mut events),
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitize::description(&html)
}

/// Sanitized HTML with the bare `http(s)://` addresses of its text made links, for showing:
/// descriptions that came as HTML (through the API, from other instances) often carry
/// addresses as text. Text already in a link, or in code, stays as it is. What is stored is
/// not changed: clients of the API get the HTML they sent.
pub fn linked(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    // Depth inside elements whose text is left alone.
    let mut kept = 0usize;
    let mut rest = html;
    let mut changed = false;
    while !rest.is_empty() {
        if rest.starts_with('<') {
            let end = tag_end(rest);
            let tag = &rest[..end];
            let (name, closing) = tag_name(tag);
            if matches!(name.as_str(), "a" | "code" | "pre") {
                if closing {
                    kept = kept.saturating_sub(1);
                } else if !tag.ends_with("/>") {
                    kept += 1;
                }
            }
            out.push_str(tag);
            rest = &rest[end..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            if kept == 0 {
                changed |= link_escaped_text(text, &mut out);
            } else {
                out.push_str(text);
            }
            rest = &rest[end..];
        }
    }
    if changed {
        // What was added goes through the sanitizer too, as everything shown does.
        sanitize::description(&out)
    } else {
        out
    }
}

/// Where a tag that starts `html` ends (after its `>`), quotes respected.
fn tag_end(html: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in html.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    html.len()
}

/// The lowercase name of a tag, and whether it closes an element.
fn tag_name(tag: &str) -> (String, bool) {
    let inner = tag.trim_start_matches('<');
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    (name, closing)
}

/// Escaped HTML text with its addresses made links; whether it found any.
fn link_escaped_text(text: &str, out: &mut String) -> bool {
    let mut rest = text;
    let mut found = false;
    while let Some((start, end)) = next_address(rest, true) {
        found = true;
        out.push_str(&rest[..start]);
        let address = &rest[start..end];
        out.push_str(&format!("<a href=\"{address}\">{address}</a>"));
        rest = &rest[end..];
    }
    out.push_str(rest);
    found
}

/// Text for the form from a description that came as HTML only: paragraphs, line breaks,
/// lists and links' addresses survive; its Markdown makes much the same HTML again.
pub fn source_of_html(html: &str) -> String {
    crate::feeds::html_to_text(html)
}

/// `h1` is the page's title: a description's headings start at `h2`, and the sanitizer keeps
/// `h2` to `h4`.
fn shifted(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        _ => HeadingLevel::H4,
    }
}

/// Text with its bare `http(s)://` addresses made links.
fn linkified(text: &str, events: &mut Vec<Event<'_>>) {
    let mut rest = text;
    while let Some((start, end)) = next_address(rest, false) {
        if start > 0 {
            events.push(Event::Text(CowStr::from(rest[..start].to_owned())));
        }
        let address = rest[start..end].to_owned();
        events.push(Event::Start(Tag::Link {
            link_type: LinkType::Autolink,
            dest_url: CowStr::from(address.clone()),
            title: CowStr::from(""),
            id: CowStr::from(""),
        }));
        events.push(Event::Text(CowStr::from(address)));
        events.push(Event::End(TagEnd::Link));
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        events.push(Event::Text(CowStr::from(rest.to_owned())));
    }
}

/// Where the next web address in `text` starts and ends. Punctuation ending a sentence is
/// not part of it, nor a closing parenthesis it did not open. In `escaped` text (HTML's), an
/// entity other than `&amp;` ends it (`&lt;`, `&nbsp;`).
fn next_address(text: &str, escaped: bool) -> Option<(usize, usize)> {
    let start = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| text.find(scheme))
        .min()?;
    let tail = &text[start..];
    let mut end = tail
        .char_indices()
        .find(|&(i, c)| {
            c.is_whitespace()
                || matches!(c, '<' | '>' | '"')
                || (escaped && c == '&' && !tail[i..].starts_with("&amp;"))
        })
        .map_or(tail.len(), |(i, _)| i);
    loop {
        let candidate = &tail[..end];
        let Some(last) = candidate.chars().last() else {
            break;
        };
        let unbalanced_parenthesis =
            last == ')' && candidate.matches('(').count() < candidate.matches(')').count();
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'') || unbalanced_parenthesis {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    let scheme_only = tail[..end].ends_with("://");
    if scheme_only {
        // Nothing after the scheme: look further on.
        let skip = start + end;
        return next_address(&text[skip..], escaped).map(|(s, e)| (s + skip, e + skip));
    }
    Some((start, start + end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_with_angle_brackets_stays_text_with_its_line_breaks() {
        assert_eq!(
            to_html("Venez nombreux <3\nÀ partir de < 18 ans"),
            "<p>Venez nombreux &lt;3<br>\nÀ partir de &lt; 18 ans</p>"
        );
    }

    #[test]
    fn bare_addresses_become_links_without_the_sentences_punctuation() {
        assert_eq!(
            to_html("Programme : https://example.org/a_b?x=1. (voir https://example.org/c)"),
            "<p>Programme : <a href=\"https://example.org/a_b?x=1\" rel=\"nofollow noopener noreferrer\">https://example.org/a_b?x=1</a>. (voir <a href=\"https://example.org/c\" rel=\"nofollow noopener noreferrer\">https://example.org/c</a>)</p>"
        );
    }

    #[test]
    fn lists_paragraphs_and_emphasis_are_markdowns() {
        assert_eq!(
            to_html("Bring:\n\n- bowls\n- **spoons**\n\n# Plan"),
            "<p>Bring:</p>\n<ul>\n<li>bowls</li>\n<li><strong>spoons</strong></li>\n</ul>\n<h2>Plan</h2>"
        );
    }

    #[test]
    fn html_typed_in_the_text_is_sanitized() {
        assert_eq!(
            to_html("hi <script>alert(1)</script><img src=x onerror=y>"),
            "<p>hi </p>"
        );
    }

    #[test]
    fn the_source_is_kept_as_typed_less_crlf_and_surrounding_blanks() {
        let given = given(Some("<p>ignored</p>"), Some("  a\r\nb <3\r\n")).unwrap();
        assert_eq!(given.source, Some(Some("a\nb <3".to_owned())));
        assert_eq!(given.html.as_deref(), Some("<p>a<br>\nb &lt;3</p>"));
    }

    #[test]
    fn html_alone_forgets_the_source_and_nothing_changes_nothing() {
        let html = given(Some("<p>x</p>"), None).unwrap();
        assert_eq!(html.source, Some(None));
        assert_eq!(html.html.as_deref(), Some("<p>x</p>"));
        assert_eq!(given(None, None).unwrap().html, None);
    }

    #[test]
    fn a_source_longer_than_a_description_may_be_is_refused() {
        let long = "a".repeat(DESCRIPTION_MAX_CHARS + 1);
        assert!(matches!(given(None, Some(&long)), Err(Error::Invalid(_))));
    }

    #[test]
    fn bare_addresses_in_html_from_elsewhere_are_linked_when_shown_but_not_inside_links_or_code() {
        let html = "<p>Programme : https://example.org/a?x=1&amp;y=2. Voir <a href=\"https://example.org/b\" rel=\"nofollow noopener noreferrer\">https://example.org/b</a></p><pre><code>https://example.org/c</code></pre><p>&lt;3 https://example.org/d&lt;3</p>";
        assert_eq!(
            linked(html),
            "<p>Programme : <a href=\"https://example.org/a?x=1&amp;y=2\" rel=\"nofollow noopener noreferrer\">https://example.org/a?x=1&amp;y=2</a>. Voir <a href=\"https://example.org/b\" rel=\"nofollow noopener noreferrer\">https://example.org/b</a></p><pre><code>https://example.org/c</code></pre><p>&lt;3 <a href=\"https://example.org/d\" rel=\"nofollow noopener noreferrer\">https://example.org/d</a>&lt;3</p>"
        );
    }

    #[test]
    fn html_without_bare_addresses_is_shown_as_it_is() {
        let html =
            "<p title=\"a > b\">no address here, <a href=\"https://example.org\">a link</a></p>";
        assert_eq!(linked(html), html);
    }

    #[test]
    fn html_from_elsewhere_reads_back_as_markdown_that_makes_the_same_structure() {
        let html = "<p>Line one<br>line two</p><ul><li>a</li><li>b</li></ul><p><a href=\"https://example.org\">https://example.org</a></p>";
        let source = source_of_html(html);
        assert_eq!(
            source,
            "Line one\nline two\n\n- a\n- b\n\nhttps://example.org"
        );
        assert_eq!(
            to_html(&source),
            "<p>Line one<br>\nline two</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<p><a href=\"https://example.org\" rel=\"nofollow noopener noreferrer\">https://example.org</a></p>"
        );
    }
}
