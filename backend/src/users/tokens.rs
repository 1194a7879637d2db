//! Secrets handed to clients: short-lived signed access tokens, and random opaque tokens
//! (refresh, confirmation, reset, feeds) looked up by their hash. Only feed tokens are also
//! kept in clear, for their owner to see again (see `feeds::tokens`).

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// A fresh random token (256 bits, URL-safe) and the hash to store for it.
pub fn random_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

/// The stored form of a token: hex SHA-256. Tokens are random, so no salt is needed.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessClaims {
    /// The user's id.
    pub sub: String,
    /// The session the token was issued for; ending the session ends the token.
    pub sid: i64,
    pub iat: i64,
    pub exp: i64,
    pub typ: String,
}

const ACCESS_TYPE: &str = "access";

pub fn issue_access_token(
    key: &[u8],
    user_id: i64,
    session_id: i64,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<String> {
    let claims = AccessClaims {
        sub: user_id.to_string(),
        sid: session_id,
        iat: now.timestamp(),
        exp: (now + ttl).timestamp(),
        typ: ACCESS_TYPE.to_owned(),
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(key),
    )
    .map_err(Error::internal)
}

/// Checks the signature and expiry (against `now`, so tests can move time) of an access token.
pub fn decode_access_token(key: &[u8], token: &str, now: DateTime<Utc>) -> Result<AccessClaims> {
    let mut validation = Validation::new(Algorithm::HS256);
    // Expiry is checked below against the domain clock.
    validation.validate_exp = false;
    validation.required_spec_claims.clear();
    let data = jsonwebtoken::decode::<AccessClaims>(
        token.trim(),
        &DecodingKey::from_secret(key),
        &validation,
    )
    .map_err(|_| Error::Unauthenticated)?;
    let claims = data.claims;
    if claims.typ != ACCESS_TYPE || claims.exp <= now.timestamp() {
        return Err(Error::Unauthenticated);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0)
            .single()
            .expect("valid")
    }

    #[test]
    fn an_access_token_is_valid_until_it_expires() {
        let key = b"0123456789abcdef0123456789abcdef";
        let token = issue_access_token(key, 7, 3, now(), Duration::minutes(15)).expect("issue");
        let claims =
            decode_access_token(key, &token, now() + Duration::minutes(14)).expect("valid");
        assert_eq!((claims.sub.as_str(), claims.sid), ("7", 3));
        assert!(decode_access_token(key, &token, now() + Duration::minutes(15)).is_err());
    }

    #[test]
    fn a_token_signed_with_another_key_is_refused() {
        let token = issue_access_token(
            b"key-one-key-one-key-one-key-one!",
            1,
            1,
            now(),
            Duration::minutes(5),
        )
        .expect("issue");
        assert!(decode_access_token(b"key-two-key-two-key-two-key-two!", &token, now()).is_err());
        assert!(
            decode_access_token(b"key-one-key-one-key-one-key-one!", "garbage", now()).is_err()
        );
    }

    #[test]
    fn random_tokens_differ_and_hash_stably() {
        let (a, hash_a) = random_token();
        let (b, _) = random_token();
        assert_ne!(a, b);
        assert_eq!(hash_token(&a), hash_a);
        assert_eq!(a.len(), 43);
    }
}
