//! Outgoing mail: how a message is written (plain text and HTML, in the reader's language),
//! queued (always through a job, never inside a request) and delivered (SMTP, `.eml` files, or
//! memory for tests), as one message however many times its job runs.

mod error;
mod file;
mod key;
mod layout;
mod message;
mod send_job;
mod smtp;
mod transport;

pub use error::MailError;
pub use key::MessageKey;
pub use layout::{Block, Layout};
pub use message::{Attachment, OutgoingMail};
pub use send_job::{SEND_MAIL_JOB, SendMailJob, queue};
pub use transport::{Mailer, SentMail};
