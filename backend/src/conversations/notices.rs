//! Mail to the person written to: the organizers' message, in the reader's language, with a
//! link to answer (their conversation on the site, or for an anonymous participant a link
//! carrying a token). Queued in the transaction of the message, sent by the mail job.

use chrono::{DateTime, Utc};
use entity::{conversation_message, conversation_participant, event, participant};
use sea_orm::ConnectionTrait;

use crate::context::AppContext;
use crate::error::Result;
use crate::events::notices::build;
use crate::i18n::{self, args};
use crate::mail::{self, Layout};

/// Where an anonymous participant answers: this path, then their token.
pub const ANSWER_PATH: &str = "/messages/answer/";

/// Where the person answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// Their conversation on the site (by their row, as Mobilizon names conversations).
    Site(i64),
    /// An anonymous participant's link, with its token.
    Token(String),
    /// Nowhere here (someone of another instance answers from there).
    None,
}

impl Link {
    pub fn for_recipient(
        row: Option<&conversation_participant::Model>,
        token: Option<String>,
    ) -> Self {
        match (token, row) {
            (Some(token), _) => Link::Token(token),
            (None, Some(row)) => Link::Site(row.id),
            (None, None) => Link::None,
        }
    }

    fn url(&self, ctx: &AppContext) -> Option<String> {
        match self {
            Link::Site(id) => Some(ctx.url(&format!("/messages/{id}"))),
            Link::Token(token) => Some(ctx.url(&format!("{ANSWER_PATH}{token}"))),
            Link::None => None,
        }
    }
}

/// Mails the message to the participant, when they have an address here (a local account or
/// an anonymous participation); people of other instances hear of it from there.
pub async fn queue_to_recipient(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
    participant: &participant::Model,
    message: &conversation_message::Model,
    link: Link,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(recipient) = crate::participations::recipient_of(ctx, conn, participant).await? else {
        return Ok(());
    };
    let locale = recipient.locale;
    let instance = ctx.instance_in(conn).await?;
    let a = args([
        ("title", event.title.clone()),
        ("instance", instance.name.clone()),
    ]);
    let mut layout = Layout::new(i18n::text_with(locale, "private-message-title", &a))
        .paragraph(i18n::text_with(locale, "private-message-intro", &a));
    for paragraph in paragraphs(&message.text) {
        layout = layout.paragraph(paragraph);
    }
    if let Some(url) = link.url(ctx) {
        layout = layout.button(i18n::text(locale, "private-message-answer"), url);
    }
    layout = layout
        .button(i18n::text(locale, "event-open"), event.url.clone())
        .footnote(i18n::text_with(locale, "footer-participant", &a));
    let mail = build(
        &instance,
        &recipient,
        i18n::text_with(locale, "private-message-subject", &a),
        layout,
    );
    mail::queue(conn, now, &mail).await?;
    Ok(())
}

/// The message's paragraphs as plain text (it is kept as cleaned HTML).
pub(crate) fn paragraphs(html: &str) -> Vec<String> {
    html.split("</p>")
        .flat_map(|p| p.split("<br"))
        .map(|p| {
            let text = strip_tags(p.trim_start_matches(['/', '>', ' ']));
            unescape(
                text.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .as_str(),
            )
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// The text between tags (inline tags such as `<strong>` leave no space behind).
fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The entities the cleaner writes, back to characters for a plain-text mail.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_becomes_plain_paragraphs_for_the_mail() {
        assert_eq!(
            paragraphs("<p>The room <strong>changed</strong>.</p><p>Rock &amp; roll<br>at 8</p>"),
            vec!["The room changed.", "Rock & roll", "at 8"]
        );
    }
}
