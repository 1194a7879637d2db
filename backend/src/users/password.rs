//! Password hashing with argon2id, off the async runtime's threads.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};

use crate::error::{Error, Result};

/// Longer inputs are refused before hashing: argon2 time grows with input and nobody types more.
pub const MAX_LENGTH: usize = 256;

/// Checks a new password against the length rules.
pub fn validate_new(password: &str, min_length: usize, field: &str) -> Result<()> {
    let length = password.chars().count();
    if length < min_length {
        return Err(Error::invalid(
            field,
            format!("the password must have at least {min_length} characters"),
        ));
    }
    if password.len() > MAX_LENGTH {
        return Err(Error::invalid(
            field,
            format!("the password must have at most {MAX_LENGTH} bytes"),
        ));
    }
    if password.trim().is_empty() {
        return Err(Error::invalid(field, "the password cannot be only spaces"));
    }
    Ok(())
}

pub async fn hash(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| Error::internal(format!("hashing password: {e}")))
    })
    .await
    .map_err(Error::internal)?
}

/// Whether `password` matches `stored`. An unparsable hash counts as no match.
pub async fn verify(password: &str, stored: &str) -> Result<bool> {
    if password.len() > MAX_LENGTH {
        return Ok(false);
    }
    let password = password.to_owned();
    let stored = stored.to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), stored.as_str())
            .is_ok()
    })
    .await
    .map_err(Error::internal)
}

/// A valid hash of a random password: verifying against it costs as much as a real check, so
/// a login for an unknown email takes as long as one with a wrong password.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$O9VvI1fLUOJ5Zal4oDJQ6RnCGyMz2LVL0ZyHK8bTwwE";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_another_does_not() {
        let stored = hash("correct horse").await.expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse", &stored).await.expect("verify"));
        assert!(!verify("wrong horse", &stored).await.expect("verify"));
    }

    #[tokio::test]
    async fn the_dummy_hash_is_a_real_argon2_hash() {
        assert!(argon2::PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!verify("anything", DUMMY_HASH).await.expect("verify"));
    }

    #[test]
    fn short_and_huge_passwords_are_refused() {
        assert!(validate_new("short", 8, "password").is_err());
        assert!(validate_new(&"x".repeat(300), 8, "password").is_err());
        assert!(validate_new("        ", 8, "password").is_err());
        assert!(validate_new("long enough", 8, "password").is_ok());
    }
}
