//! Mentions in what people write (comments, discussions): `@name` (a local person) and
//! `@name@host` (a person of another instance known here) become links to their profile, as
//! Mastodon and Mobilizon write them (`<a href="…" class="u-url mention">@name</a>`), and
//! those links say who was mentioned (for a `Note`'s `Mention` tags, its `cc`, and mail).
//!
//! The text is HTML already cleaned ([`crate::events::sanitize`]): only its text is read, never
//! inside a link, `code` or `pre`, and only names made of letters, digits and `_` are taken,
//! so nothing written can turn into markup. Unknown names stay as they were written.

use std::collections::HashMap;

use entity::actor::{self, ActorKind};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::Result;

/// Mentions one text may carry: beyond, names stay plain text (a text cannot reach everybody).
pub const MAX_MENTIONS: usize = 20;

/// What a written handle links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub href: String,
}

/// The handles written in `html` (`name` or `name@host`, lowercased), in order, once each,
/// at most [`MAX_MENTIONS`].
pub fn written(html: &str) -> Vec<String> {
    let mut handles: Vec<String> = Vec::new();
    walk(html, |text| {
        for found in find_in_text(text) {
            let key = found.key();
            if handles.len() < MAX_MENTIONS && !handles.contains(&key) {
                handles.push(key);
            }
        }
        text.to_owned()
    });
    handles
}

/// `html` with each handle of `links` (as [`written`] names them) turned into a link.
pub fn link(html: &str, links: &HashMap<String, Link>) -> String {
    if links.is_empty() {
        return html.to_owned();
    }
    walk(html, |text| {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for found in find_in_text(text) {
            let Some(link) = links.get(&found.key()) else {
                continue;
            };
            out.push_str(&text[at..found.start]);
            out.push_str("<a href=\"");
            out.push_str(&attribute(&link.href));
            out.push_str("\" class=\"u-url mention\">");
            // Letters, digits, `_`, `.`, `-`, `:` and `@` only: nothing to escape.
            out.push_str(&text[found.start..found.end]);
            out.push_str("</a>");
            at = found.end;
        }
        out.push_str(&text[at..]);
        out
    })
}

/// The addresses that `html`'s mention links point to (`class` naming `mention`, as we and
/// Mastodon write them), once each, at most [`MAX_MENTIONS`].
pub fn linked(html: &str) -> Vec<String> {
    let mut hrefs = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let Some(len) = tag_len(&rest[start..]) else {
            break;
        };
        let tag = &rest[start..start + len];
        rest = &rest[start + len..];
        if tag_name(tag).as_deref() != Some("a") {
            continue;
        }
        let is_mention = attribute_value(tag, "class")
            .is_some_and(|class| class.split_whitespace().any(|c| c == "mention"));
        if let Some(href) = attribute_value(tag, "href").filter(|_| is_mention)
            && !hrefs.contains(&href)
            && hrefs.len() < MAX_MENTIONS
        {
            hrefs.push(href);
        }
    }
    hrefs
}

/// Links the mentions of people known here in `html` (cleaned HTML written by a person of
/// this instance): local persons by username, others by `name@host` when this instance
/// knows them. Suspended actors and groups are not linked.
pub async fn link_known(conn: &impl ConnectionTrait, html: &str) -> Result<String> {
    let handles = written(html);
    if handles.is_empty() {
        return Ok(html.to_owned());
    }
    let mut links = HashMap::new();
    for handle in handles {
        let Some(actor) = crate::actors::find_by_handle(conn, &handle).await? else {
            continue;
        };
        if actor.kind == ActorKind::Person && !actor.suspended {
            links.insert(
                handle,
                Link {
                    href: actor.url.clone().unwrap_or_else(|| actor.ap_id.clone()),
                },
            );
        }
    }
    Ok(link(html, &links))
}

/// The actors `html` mentions (by its mention links), known here, in one query: persons
/// only, not suspended.
pub async fn mentioned(conn: &impl ConnectionTrait, html: &str) -> Result<Vec<actor::Model>> {
    let hrefs = linked(html);
    if hrefs.is_empty() {
        return Ok(Vec::new());
    }
    Ok(actor::Entity::find()
        .filter(
            Condition::any()
                .add(actor::Column::ApId.is_in(hrefs.clone()))
                .add(actor::Column::Url.is_in(hrefs)),
        )
        .filter(actor::Column::Kind.eq(ActorKind::Person))
        .filter(actor::Column::Suspended.eq(false))
        .all(conn)
        .await?)
}

/// A handle found in a text: where it is, and what it names.
struct Found {
    start: usize,
    end: usize,
    name: String,
    host: Option<String>,
}

impl Found {
    fn key(&self) -> String {
        match &self.host {
            Some(host) => format!("{}@{}", self.name, host).to_ascii_lowercase(),
            None => self.name.to_ascii_lowercase(),
        }
    }
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_host_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b':'
}

/// Handles in a run of (escaped) text. An `@` right after a letter, a digit or one of
/// `_.-/@` is part of something else (an address, a link).
fn find_in_text(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'@' {
            i += 1;
            continue;
        }
        let start = i;
        let glued = i > 0 && {
            let before = bytes[i - 1];
            is_name_char(before) || b"_.-/@".contains(&before)
        };
        let name_end = (i + 1..bytes.len())
            .find(|&j| !is_name_char(bytes[j]))
            .unwrap_or(bytes.len());
        if glued || name_end == i + 1 {
            i = name_end.max(i + 1);
            continue;
        }
        let mut end = name_end;
        let mut host = None;
        if name_end < bytes.len() && bytes[name_end] == b'@' {
            let host_end = (name_end + 1..bytes.len())
                .find(|&j| !is_host_char(bytes[j]))
                .unwrap_or(bytes.len());
            // A sentence's full stop or colon after the host is not part of it.
            let candidate = text[name_end + 1..host_end].trim_end_matches(['.', '-', ':']);
            if candidate.contains('.') || candidate.contains(':') || candidate == "localhost" {
                host = Some(candidate.to_owned());
                end = name_end + 1 + candidate.len();
            } else {
                // `@name@` followed by something that is no host: not a mention at all.
                i = host_end.max(name_end + 1);
                continue;
            }
        }
        found.push(Found {
            start,
            end,
            name: text[start + 1..name_end].to_owned(),
            host,
        });
        i = end;
    }
    found
}

/// Calls `on_text` on each run of text of `html` outside links, `code` and `pre`, and puts
/// what it answers in its place; tags and other text stay as they are.
fn walk(html: &str, mut on_text: impl FnMut(&str) -> String) -> String {
    let mut out = String::with_capacity(html.len());
    let mut inside = 0usize;
    let mut rest = html;
    loop {
        let next = rest.find('<').unwrap_or(rest.len());
        let (text, after) = rest.split_at(next);
        if inside == 0 {
            out.push_str(&on_text(text));
        } else {
            out.push_str(text);
        }
        if after.is_empty() {
            break;
        }
        let Some(len) = tag_len(after) else {
            // No end to this tag: leave the rest untouched.
            out.push_str(after);
            break;
        };
        let tag = &after[..len];
        if let Some(name) = tag_name(tag)
            && matches!(name.as_str(), "a" | "code" | "pre")
        {
            if tag.starts_with("</") {
                inside = inside.saturating_sub(1);
            } else if !tag.ends_with("/>") {
                inside += 1;
            }
        }
        out.push_str(tag);
        rest = &after[len..];
    }
    out
}

/// The length of the tag at the start of `html` (which starts with `<`), quoted attribute
/// values read as a whole (they may hold `>`).
fn tag_len(html: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, b) in html.bytes().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// `a` for `<a href=…>` and `</a>`, lowercased.
fn tag_name(tag: &str) -> Option<String> {
    let name: String = tag
        .trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    (!name.is_empty()).then(|| name.to_ascii_lowercase())
}

/// The value of the attribute `name` of a tag as the cleaner writes it (`name="value"`),
/// entities decoded.
fn attribute_value(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let len = tag[start..].find('"')?;
    Some(
        tag[start..start + len]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

fn attribute(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(pairs: &[(&str, &str)]) -> HashMap<String, Link> {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    (*k).to_owned(),
                    Link {
                        href: (*v).to_owned(),
                    },
                )
            })
            .collect()
    }

    #[test]
    fn local_and_remote_handles_are_found_once_each_lowercased() {
        assert_eq!(
            written("<p>Hi @Bob and @carol@social.example.org, @bob again.</p>"),
            vec!["bob", "carol@social.example.org"]
        );
        assert_eq!(
            written("<p>@dan@127.0.0.1:4001: see you</p>"),
            vec!["dan@127.0.0.1:4001"]
        );
    }

    #[test]
    fn addresses_links_code_and_escaped_markup_are_not_mentions() {
        let html = r#"<p>mail me@example.org, see https://x.example/@bob or <a href="https://x.example">@bob</a></p><pre><code>@bob</code></pre><p>@&lt;script&gt;alert(1)&lt;/script&gt; @ alone @@ twice</p>"#;
        assert!(written(html).is_empty(), "{:?}", written(html));
        assert_eq!(link(html, &links(&[("bob", "https://here/@bob")])), html);
    }

    #[test]
    fn known_handles_become_links_and_unknown_ones_stay_text() {
        let html = link(
            "<p>Thanks @bob, @eve and @carol@social.example.org.</p>",
            &links(&[
                ("bob", "https://here.example/@bob"),
                (
                    "carol@social.example.org",
                    "https://social.example.org/@carol",
                ),
            ]),
        );
        assert_eq!(
            html,
            "<p>Thanks <a href=\"https://here.example/@bob\" class=\"u-url mention\">@bob</a>, @eve and <a href=\"https://social.example.org/@carol\" class=\"u-url mention\">@carol@social.example.org</a>.</p>"
        );
    }

    #[test]
    fn an_address_with_markup_in_it_is_escaped_in_the_link() {
        let html = link(
            "<p>@bob</p>",
            &links(&[("bob", "https://here.example/@bob?a=1&b=\"<x>")]),
        );
        assert_eq!(
            html,
            "<p><a href=\"https://here.example/@bob?a=1&amp;b=&quot;&lt;x&gt;\" class=\"u-url mention\">@bob</a></p>"
        );
    }

    #[test]
    fn a_quoted_greater_than_sign_does_not_end_a_tag() {
        let html = r#"<p><a href="https://x.example" title="a>b @bob">@bob</a> @bob</p>"#;
        assert_eq!(
            link(html, &links(&[("bob", "https://here/@bob")])),
            r#"<p><a href="https://x.example" title="a>b @bob">@bob</a> <a href="https://here/@bob" class="u-url mention">@bob</a></p>"#
        );
    }

    #[test]
    fn mention_links_are_read_back_ours_and_mastodons_alike() {
        let ours = "<p><a href=\"https://here.example/@bob\" class=\"u-url mention\">@bob</a> <a href=\"https://x.example/\">x</a></p>";
        assert_eq!(linked(ours), vec!["https://here.example/@bob"]);
        let cleaned = crate::events::sanitize::description(
            r#"<p><span class="h-card"><a href="https://framapiaf.org/users/tcit" class="u-url mention">@<span>tcit</span></a></span></p>"#,
        );
        assert_eq!(linked(&cleaned), vec!["https://framapiaf.org/users/tcit"]);
    }
}
