//! What can go wrong when mail is built or sent; every transport answers with it.

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("bad address: {0}")]
    Address(String),
    #[error("could not build the message: {0}")]
    Build(String),
    #[error("SMTP: {0}")]
    Smtp(String),
    #[error("could not write the message file: {0}")]
    File(String),
    #[error("mail configuration: {0}")]
    Config(String),
}

impl MailError {
    /// Whether trying again later may help.
    pub fn is_transient(&self) -> bool {
        matches!(self, MailError::Smtp(_) | MailError::File(_))
    }
}
