//! Descriptions are HTML written by people: only a fixed set of tags and attributes is kept,
//! links open safely, and nothing can load from elsewhere (no images, styles or scripts).
//! Links keep the classes that mark a mention (`u-url mention`, as Mastodon and we write
//! them: `comments::mentions` reads who was mentioned from them), and no other class.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(HashSet::from([
            "p",
            "br",
            "strong",
            "b",
            "em",
            "i",
            "u",
            "s",
            "a",
            "ul",
            "ol",
            "li",
            "blockquote",
            "h2",
            "h3",
            "h4",
            "code",
            "pre",
            "hr",
        ]))
        .tag_attributes(
            [("a", HashSet::from(["href", "title"]))]
                .into_iter()
                .collect(),
        )
        .allowed_classes(HashMap::from([("a", HashSet::from(["u-url", "mention"]))]))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("nofollow noopener noreferrer"))
        .strip_comments(true);
    builder
});

/// The description as stored and shown.
pub fn description(html: &str) -> String {
    CLEANER.clean(html).to_string().trim().to_owned()
}

/// The description as plain text, for search and summaries.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_images_and_handlers_are_removed() {
        let dirty = r#"<p onclick="x()">Hi <script>alert(1)</script><img src="https://tracker.example/p.gif"><span style="color:red">there</span></p>"#;
        assert_eq!(description(dirty), "<p>Hi there</p>");
    }

    #[test]
    fn links_keep_their_target_and_open_safely() {
        let html = description(
            r#"<a href="https://example.org" target="_blank">site</a> <a href="javascript:alert(1)">x</a>"#,
        );
        assert_eq!(
            html,
            r#"<a href="https://example.org" rel="nofollow noopener noreferrer">site</a> <a rel="nofollow noopener noreferrer">x</a>"#
        );
    }

    #[test]
    fn links_keep_the_classes_of_a_mention_and_no_other() {
        let html = description(
            r#"<a href="https://x.example/@bob" class="u-url mention big">@bob</a><p class="mention">x</p>"#,
        );
        assert_eq!(
            html,
            r#"<a href="https://x.example/@bob" class="u-url mention" rel="nofollow noopener noreferrer">@bob</a><p>x</p>"#
        );
    }

    #[test]
    fn plain_text_drops_tags_and_decodes_entities() {
        assert_eq!(
            plain_text("<p>Fish &amp; chips</p><p>at <b>noon</b></p>"),
            "Fish & chips at noon"
        );
    }
}
