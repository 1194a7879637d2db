//! Local usernames, shared by persons and groups (they live in one namespace: `/@name`).

use crate::error::{Error, Result};

pub const MAX_LENGTH: usize = 64;

/// Names the instance keeps for itself.
const RESERVED: &[&str] = &[
    "relay",
    "anonymous",
    "admin",
    "administrator",
    "instance",
    "inbox",
    "outbox",
    "support",
    "root",
    "convive",
];

/// Checks a new local username: lowercase ASCII letters, digits and `_`.
pub fn validate(raw: &str, field: &str) -> Result<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(Error::invalid(field, "a username is required"));
    }
    if name.len() > MAX_LENGTH {
        return Err(Error::invalid(
            field,
            format!("a username has at most {MAX_LENGTH} characters"),
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(Error::invalid(
            field,
            "a username may only contain lowercase letters (a-z), digits and _",
        ));
    }
    if RESERVED.contains(&name) {
        return Err(Error::conflict(field, "this username is reserved"));
    }
    Ok(name.to_owned())
}

/// Checks an optional display name or summary: trimmed, bounded, empty means none.
pub fn optional_text(raw: Option<&str>, field: &str, max_chars: usize) -> Result<Option<String>> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > max_chars {
        return Err(Error::invalid(
            field,
            format!("at most {max_chars} characters"),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Error::invalid(field, "control characters are not allowed"));
    }
    Ok(Some(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::validate;

    #[test]
    fn usernames_are_lowercase_letters_digits_and_underscores() {
        assert_eq!(validate("alice_2", "u").ok().as_deref(), Some("alice_2"));
        for bad in [
            "",
            "Alice",
            "al ice",
            "alice-b",
            "élodie",
            "a.b",
            &"a".repeat(65),
        ] {
            assert!(validate(bad, "u").is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn reserved_names_are_refused_as_taken() {
        let err = validate("relay", "u").expect_err("reserved");
        assert_eq!(err.code(), "conflict");
    }
}
