use std::sync::{Arc, Mutex};

use super::error::MailError;
use super::file::OutboxDir;
use super::smtp::SmtpRelay;
use super::{MessageKey, OutgoingMail};
use crate::settings::{MailTransportKind, Settings};

/// A message as the memory transport keeps it, for tests to read.
#[derive(Debug, Clone)]
pub struct SentMail {
    pub mail: OutgoingMail,
    /// The formatted MIME message.
    pub raw: String,
}

#[derive(Clone)]
enum Transport {
    Smtp(Arc<SmtpRelay>),
    File(Arc<OutboxDir>),
    Memory(Arc<Mutex<Vec<SentMail>>>),
}

/// Delivers messages through the configured transport. The sender's address is the file's;
/// its display name is the instance's name at the moment of sending, which administrators
/// may change at any time (the caller passes it).
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from_address: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::File(_) => "file",
            Transport::Memory(_) => "memory",
        };
        f.debug_struct("Mailer").field("transport", &kind).finish()
    }
}

impl Mailer {
    pub fn from_settings(settings: &Settings) -> Result<Self, MailError> {
        let transport = match settings.mail.transport {
            MailTransportKind::File => {
                Transport::File(Arc::new(OutboxDir::open(&settings.mail.outbox_dir)?))
            }
            MailTransportKind::Memory => Transport::Memory(Arc::default()),
            MailTransportKind::Smtp => {
                Transport::Smtp(Arc::new(SmtpRelay::new(&settings.mail.smtp)?))
            }
        };
        Ok(Self {
            transport,
            from_address: settings.mail_from_address(),
        })
    }

    /// A mailer that keeps messages in memory.
    pub fn memory(from_address: &str) -> Self {
        Self {
            transport: Transport::Memory(Arc::default()),
            from_address: from_address.to_owned(),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::File(_) => "file",
            Transport::Memory(_) => "memory",
        }
    }

    /// Sends `mail` as the message `key` names, from `from_name` (the instance's name): sent
    /// again with the same key, it is the same message (the same file, the same `Message-ID`).
    pub async fn send(
        &self,
        from_name: &str,
        mail: &OutgoingMail,
        key: &MessageKey,
    ) -> Result<(), MailError> {
        let message = mail.to_message(from_name, &self.from_address, key)?;
        match &self.transport {
            Transport::Smtp(relay) => {
                relay.send(message.envelope(), &message.formatted()).await?;
            }
            Transport::File(outbox) => outbox.write(key, message.formatted()).await?,
            Transport::Memory(sent) => {
                let raw = String::from_utf8_lossy(&message.formatted()).into_owned();
                sent.lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .push(SentMail {
                        mail: mail.clone(),
                        raw,
                    });
            }
        }
        // The recipient stays out of the logs.
        tracing::info!(transport = self.kind(), subject = %mail.subject, "mail sent");
        Ok(())
    }

    /// Messages kept by the memory transport (empty for the others).
    pub fn sent(&self) -> Vec<SentMail> {
        match &self.transport {
            Transport::Memory(sent) => sent
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clone(),
            _ => Vec::new(),
        }
    }
}
