//! The identity of one queued message, fixed when it is queued: the name of its `.eml` file and
//! the left part of its `Message-ID`. A message sent again (its job ran again after a crash, or
//! after its lease ran out while it was still being sent) keeps it, so its file replaces the
//! first one and a receiving server can drop the repeat.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Long enough for every key we make, short enough for a file name and a header.
const MAX_LEN: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MessageKey(String);

impl MessageKey {
    pub fn random() -> Self {
        Self(uuid::Uuid::new_v4().simple().to_string())
    }

    /// For a message queued before messages had keys: its job is as stable, and its creation
    /// time keeps the name apart from the files of an earlier database whose ids were the same.
    pub fn of_job(job_id: i64, created_at: DateTime<Utc>) -> Self {
        Self(format!("job{job_id}-{}", created_at.timestamp_micros()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `<key@domain>`, in the sender's domain (RFC 5322 §3.6.4).
    pub fn message_id(&self, sender_domain: &str) -> String {
        format!("<{}@{sender_domain}>", self.0)
    }
}

impl fmt::Display for MessageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A key read from a payload becomes a file name and a header: letters, digits and `-` only.
impl TryFrom<String> for MessageKey {
    type Error = String;

    fn try_from(key: String) -> Result<Self, Self::Error> {
        let fits = !key.is_empty()
            && key.len() <= MAX_LEN
            && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if fits {
            Ok(Self(key))
        } else {
            Err(format!(
                "a message key has 1 to {MAX_LEN} letters, digits or dashes"
            ))
        }
    }
}

impl From<MessageKey> for String {
    fn from(key: MessageKey) -> Self {
        key.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_we_make_read_back_and_others_do_not() {
        let random = MessageKey::random();
        let of_job = MessageKey::of_job(42, chrono::DateTime::UNIX_EPOCH);
        for key in [random, of_job] {
            let json = serde_json::to_value(&key).expect("serializes");
            assert_eq!(serde_json::from_value::<MessageKey>(json).ok(), Some(key));
        }
        for bad in ["", "../../etc/passwd", "a b", "x@y", &"a".repeat(65)] {
            assert!(
                serde_json::from_value::<MessageKey>(serde_json::json!(bad)).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn two_random_keys_differ_and_a_job_always_gets_the_same() {
        assert_ne!(MessageKey::random(), MessageKey::random());
        let at = chrono::DateTime::UNIX_EPOCH + chrono::Duration::microseconds(7);
        assert_eq!(MessageKey::of_job(3, at), MessageKey::of_job(3, at));
        assert_eq!(MessageKey::of_job(3, at).as_str(), "job3-7");
    }
}
