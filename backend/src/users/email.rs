//! Email addresses as accounts know them: trimmed, lowercased, plausibly deliverable.

use crate::error::{Error, Result};

pub const MAX_LENGTH: usize = 254;

/// Returns the canonical form of an address, or an `invalid` error on `email`.
pub fn normalize(raw: &str) -> Result<String> {
    let email = raw.trim().to_lowercase();
    let invalid = || Error::invalid("email", "this is not a valid email address");
    if email.is_empty() {
        return Err(Error::invalid("email", "an email address is required"));
    }
    if email.len() > MAX_LENGTH {
        return Err(invalid());
    }
    let (local, domain) = email.rsplit_once('@').ok_or_else(invalid)?;
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return Err(invalid());
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control())
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || local.chars().any(|c| "<>()[]\\,;:\"".contains(c))
    {
        return Err(invalid());
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if domain.is_empty() || !labels.iter().all(label_ok) {
        return Err(invalid());
    }
    // `user@localhost` is fine for a test instance; other single-label domains are typos.
    if labels.len() < 2 && domain != "localhost" {
        return Err(invalid());
    }
    Ok(email)
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn addresses_are_trimmed_and_lowercased() {
        assert_eq!(
            normalize("  Alice.Martin@Example.ORG ").ok().as_deref(),
            Some("alice.martin@example.org")
        );
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "",
            "alice",
            "alice@",
            "@example.org",
            "alice@@example.org",
            "al ice@example.org",
            "alice@example",
            "alice@-example.org",
            "alice@example..org",
            ".alice@example.org",
            "a<b@example.org",
        ] {
            assert!(normalize(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn plausible_addresses_are_accepted() {
        for good in [
            "a@b.co",
            "first.last+tag@sub.example.org",
            "élodie@exemple.fr",
            "root@localhost",
        ] {
            assert!(normalize(good).is_ok(), "{good:?} should be accepted");
        }
    }
}
