use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use serde::{Deserialize, Serialize};

use super::{MailError, MessageKey};
use crate::i18n::Locale;

/// A file sent along (an event's `.ics`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub content: String,
}

/// A message ready to send, written in its reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMail {
    pub to: String,
    pub locale: Locale,
    pub subject: String,
    pub text: String,
    pub html: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

impl OutgoingMail {
    /// The MIME message: multipart/alternative (text, HTML), inside multipart/mixed when there
    /// are attachments. Its `Message-ID` comes from `key`, the same each time it is sent.
    pub fn to_message(
        &self,
        from_name: &str,
        from_address: &str,
        key: &MessageKey,
    ) -> Result<lettre::Message, MailError> {
        let from_address: lettre::Address = from_address
            .parse()
            .map_err(|e| MailError::Address(format!("sender: {e}")))?;
        let message_id = key.message_id(from_address.domain());
        let from = Mailbox::new(Some(from_name.to_owned()), from_address);
        let to: Mailbox = self
            .to
            .parse()
            .map_err(|e| MailError::Address(format!("recipient: {e}")))?;
        let alternative = MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(self.text.clone()),
            )
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(self.html.clone()),
            );
        let builder = lettre::Message::builder()
            .from(from)
            .to(to)
            .subject(self.subject.clone())
            .message_id(Some(message_id))
            .header(AutoSubmitted);
        let message = if self.attachments.is_empty() {
            builder.multipart(alternative)
        } else {
            let mut mixed = MultiPart::mixed().multipart(alternative);
            for attachment in &self.attachments {
                let content_type = ContentType::parse(&attachment.content_type)
                    .map_err(|e| MailError::Build(format!("attachment type: {e}")))?;
                mixed = mixed.singlepart(
                    lettre::message::Attachment::new(attachment.filename.clone())
                        .body(attachment.content.clone().into_bytes(), content_type),
                );
            }
            builder.multipart(mixed)
        };
        message.map_err(|e| MailError::Build(e.to_string()))
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): tells mail servers not to answer with
/// vacation replies.
#[derive(Clone)]
struct AutoSubmitted;

impl lettre::message::header::Header for AutoSubmitted {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}
