//! HTTP signatures on requests to our inboxes, in both schemes the fediverse uses:
//! draft-cavage (`Signature: keyId=…,headers=…,signature=…` with a `Digest`; Mastodon, Mobilizon,
//! Lemmy…) and RFC 9421 (`Signature-Input` + `Signature` with a `Content-Digest`; recent
//! Mastodon and others). Verified here rather than by the federation library, which knows only
//! draft-cavage and expires signatures an hour after their `Date`, where we allow
//! [`MAX_CLOCK_SKEW_HOURS`] either way (Mastodon's window: peers whose queues run late still
//! get through).
//!
//! [`read`] checks everything that needs no key (scheme, covered parts, dates, body digest) and
//! builds the signed message; [`Signed::verify`] then checks the signature with the key of the
//! activity's actor, fetched by the caller.

use axum::http::{HeaderMap, Method, Uri};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pss, RsaPublicKey};
use sha2::{Digest, Sha256, Sha512};

/// How far a signature's date may be from our clock, either way.
pub const MAX_CLOCK_SKEW_HOURS: i64 = 12;

/// Why a request's signature is refused: said to the peer (its operator can act on it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

fn refused<T>(why: impl Into<String>) -> Result<T, Refused> {
    Err(Refused(why.into()))
}

/// The parts of an incoming request a signature may cover.
pub struct Incoming<'a> {
    pub method: &'a Method,
    pub uri: &'a Uri,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    /// `https` or `http`: the scheme of our public URL (TLS often ends at a proxy).
    pub scheme: &'a str,
    /// Our public host (with its port, if any). Signed targets are compared with it, never
    /// with the request's own `Host` header: a request signed for another server and replayed
    /// here with that server's name in `Host` must not verify (and proxies may rewrite `Host`).
    pub authority: &'a str,
}

impl Incoming<'_> {
    fn authority(&self) -> String {
        self.authority.to_ascii_lowercase()
    }

    /// Our host without its port, when the request's `Host` header names it so and our
    /// public address has a port: Gancio 1.21 signs `host: localhost` and sends
    /// `Host: localhost` to `http://localhost:4611/inbox`, as do proxies that drop the port
    /// (nginx's `$host`). A `Host` naming another server gives nothing: the signature is then
    /// checked against our own authority only.
    fn bare_host(&self) -> Option<String> {
        let authority = self.authority();
        let host = match authority.rsplit_once(':') {
            // An IPv6 literal without a port ends with `]`, never with a port number.
            Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host.to_owned(),
            _ => return None,
        };
        let sent = self.header("host")?.to_ascii_lowercase();
        (sent == host).then_some(host)
    }

    fn path_and_query(&self) -> &str {
        self.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/")
    }

    /// A header's values, trimmed and joined as both schemes say (`, `), or `None` if absent.
    fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::trim)
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Algorithm {
    RsaPkcs1Sha256,
    RsaPssSha512,
    /// RFC 9421 without `alg`: the key decides; an RSA key is tried with both RSA algorithms.
    RsaEither,
}

/// A signed message, read and checked except for the signature itself.
#[derive(Debug)]
pub struct Signed {
    /// The key the sender names (`keyId` / `keyid`), for logs.
    pub key_id: String,
    /// "draft-cavage" or "RFC 9421", for logs.
    pub scheme: &'static str,
    message: String,
    /// The same message with the signed `host` line our host without its port (see
    /// [`Incoming::bare_host`]), tried when the first does not match.
    message_with_bare_host: Option<String>,
    signature: Vec<u8>,
    algorithm: Algorithm,
}

impl Signed {
    /// Whether the signature was made by the private half of this public key (SPKI or PKCS#1
    /// PEM, as actors publish them).
    pub fn verify(&self, public_key_pem: &str) -> Result<(), Refused> {
        let key = RsaPublicKey::from_public_key_pem(public_key_pem)
            .or_else(|_| RsaPublicKey::from_pkcs1_pem(public_key_pem))
            .map_err(|_| Refused("the sender's public key is not an RSA key".to_owned()))?;
        let pkcs1 = |message: &str| {
            key.verify(
                Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(message.as_bytes()),
                &self.signature,
            )
        };
        let pss = |message: &str| {
            key.verify(
                Pss::new::<Sha512>(),
                &Sha512::digest(message.as_bytes()),
                &self.signature,
            )
        };
        let check = |message: &str| match self.algorithm {
            Algorithm::RsaPkcs1Sha256 => pkcs1(message),
            Algorithm::RsaPssSha512 => pss(message),
            Algorithm::RsaEither => pkcs1(message).or_else(|_| pss(message)),
        };
        let checked = check(&self.message).or_else(|err| match &self.message_with_bare_host {
            Some(message) => check(message),
            None => Err(err),
        });
        checked.map_err(|_| {
            Refused(format!(
                "the {} signature does not match the key of the activity's actor",
                self.scheme
            ))
        })
    }
}

/// Reads the request's signature in whichever scheme it uses and checks what needs no key.
pub fn read(request: &Incoming<'_>, now: DateTime<Utc>) -> Result<Signed, Refused> {
    if request.headers.contains_key("signature-input") {
        rfc9421::read(request, now)
    } else if request.headers.contains_key("signature") {
        cavage::read(request, now)
    } else {
        refused("the request is not signed (HTTP signature required)")
    }
}

fn check_age(signed_at: DateTime<Utc>, now: DateTime<Utc>, what: &str) -> Result<(), Refused> {
    if (now - signed_at).abs() > chrono::Duration::hours(MAX_CLOCK_SKEW_HOURS) {
        return refused(format!(
            "{what} is more than {MAX_CLOCK_SKEW_HOURS} hours away from this server's clock"
        ));
    }
    Ok(())
}

fn check_expiry(expires: Option<i64>, now: DateTime<Utc>) -> Result<(), Refused> {
    match expires {
        Some(expires) if expires < now.timestamp() => refused("the signature has expired"),
        _ => Ok(()),
    }
}

fn timestamp(seconds: i64, what: &str) -> Result<DateTime<Utc>, Refused> {
    DateTime::from_timestamp(seconds, 0).ok_or_else(|| Refused(format!("{what} is not a time")))
}

/// The `Date` header, which must be near our clock whenever it is present.
fn check_date_header(request: &Incoming<'_>, now: DateTime<Utc>) -> Result<bool, Refused> {
    let Some(date) = request.header("date") else {
        return Ok(false);
    };
    let date = DateTime::parse_from_rfc2822(&date)
        .map_err(|_| Refused("the Date header is not an HTTP date".to_owned()))?
        .with_timezone(&Utc);
    check_age(date, now, "the Date header")?;
    Ok(true)
}

/// Compares a base64 digest of the body, in constant time as a matter of habit.
fn digest_matches(expected_base64: &str, actual: &[u8]) -> bool {
    match BASE64.decode(expected_base64.trim()) {
        Ok(expected) => {
            expected.len() == actual.len()
                && expected
                    .iter()
                    .zip(actual)
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        }
        Err(_) => false,
    }
}

/// Checks the body against every digest the sender gave with an algorithm we know; at least
/// one must be SHA-256 or SHA-512.
fn check_body_digests<'a>(
    digests: impl Iterator<Item = (String, &'a str)>,
    body: &[u8],
    header: &str,
) -> Result<(), Refused> {
    let mut checked = false;
    for (algorithm, value) in digests {
        let actual = match algorithm.as_str() {
            "sha-256" => Sha256::digest(body).to_vec(),
            "sha-512" => Sha512::digest(body).to_vec(),
            _ => continue,
        };
        if !digest_matches(value, &actual) {
            return refused(format!("the {header} header does not match the body"));
        }
        checked = true;
    }
    if !checked {
        return refused(format!(
            "the {header} header has no SHA-256 or SHA-512 digest"
        ));
    }
    Ok(())
}

/// draft-cavage-http-signatures (version 12, as the fediverse uses it).
mod cavage {
    use super::*;

    /// The `Signature` header's parameters: `name="value"` (or a bare number for `created` and
    /// `expires`), separated by commas.
    fn parameters(header: &str) -> Result<Vec<(String, String)>, Refused> {
        let mut parameters = Vec::new();
        let mut rest = header.trim();
        while !rest.is_empty() {
            let (name, after) = rest
                .split_once('=')
                .ok_or_else(|| Refused("the Signature header is malformed".to_owned()))?;
            let name = name.trim().to_ascii_lowercase();
            let after = after.trim_start();
            let (value, after) = if let Some(quoted) = after.strip_prefix('"') {
                let end = quoted
                    .find('"')
                    .ok_or_else(|| Refused("the Signature header is malformed".to_owned()))?;
                (&quoted[..end], &quoted[end + 1..])
            } else {
                let end = after.find(',').unwrap_or(after.len());
                (after[..end].trim(), &after[end..])
            };
            parameters.push((name, value.to_owned()));
            rest = after.trim_start();
            rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
        }
        Ok(parameters)
    }

    pub(super) fn read(request: &Incoming<'_>, now: DateTime<Utc>) -> Result<Signed, Refused> {
        let header = request.header("signature").unwrap_or_default();
        let parameters = parameters(&header)?;
        let get = |name: &str| {
            parameters
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        let key_id = get("keyid").ok_or_else(|| Refused("the signature has no keyId".into()))?;
        let signature = get("signature")
            .and_then(|s| BASE64.decode(s).ok())
            .ok_or_else(|| Refused("the signature is not base64".to_owned()))?;
        // `hs2019` leaves the algorithm to the key; actors' keys are RSA, signed as rsa-sha256.
        let algorithm = match get("algorithm").map(str::to_ascii_lowercase).as_deref() {
            None | Some("rsa-sha256" | "hs2019") => Algorithm::RsaPkcs1Sha256,
            Some(other) => return refused(format!("unsupported signature algorithm {other}")),
        };
        let covered: Vec<String> = get("headers")
            .unwrap_or("date")
            .split_ascii_whitespace()
            .map(str::to_ascii_lowercase)
            .collect();
        let covers = |name: &str| covered.iter().any(|c| c == name);
        if !covers("(request-target)") {
            return refused("the signature must cover (request-target)");
        }
        // A fetch has no body to digest: Mobilizon signs its `GET`s without one.
        let bodiless_get = request.method == Method::GET && request.body.is_empty();
        if !covers("digest") && !bodiless_get {
            return refused("the signature must cover the Digest header");
        }
        // Whole seconds, though the draft allows a fraction: kept as sent for the signed
        // `(created)` / `(expires)` lines, compared as whole seconds.
        let seconds = |name: &str| -> Result<Option<(i64, &str)>, Refused> {
            get(name)
                .map(|text| {
                    text.parse::<f64>()
                        .ok()
                        .filter(|s| s.is_finite() && s.abs() < 1e12)
                        .map(|s| (s.trunc() as i64, text))
                        .ok_or_else(|| Refused(format!("{name} is not a number")))
                })
                .transpose()
        };
        let created_text = seconds("created")?;
        let expires_text = seconds("expires")?;
        let created = created_text.map(|(s, _)| s);
        let expires = expires_text.map(|(s, _)| s);
        let dated = check_date_header(request, now)?;
        if let Some(created) = created {
            check_age(
                timestamp(created, "created")?,
                now,
                "the signature's creation",
            )?;
        }
        if !(covers("date") && dated || covers("(created)") && created.is_some()) {
            return refused("the signature must cover the Date header");
        }
        check_expiry(expires, now)?;

        match request.header("digest") {
            Some(digest) => {
                let digests = digest.split(',').filter_map(|part| {
                    let (algorithm, value) = part.split_once('=')?;
                    Some((algorithm.trim().to_ascii_lowercase(), value))
                });
                check_body_digests(digests, request.body, "Digest")?;
            }
            None if bodiless_get => {}
            None => return refused("the request has no Digest header"),
        }

        let mut lines = Vec::with_capacity(covered.len());
        let bare_host = request.bare_host().filter(|_| covers("host"));
        for name in &covered {
            let value = match name.as_str() {
                "(request-target)" => format!(
                    "{} {}",
                    request.method.as_str().to_ascii_lowercase(),
                    request.path_and_query()
                ),
                "(created)" => created_text.map(|(_, t)| t.to_owned()).unwrap_or_default(),
                "(expires)" => expires_text.map(|(_, t)| t.to_owned()).unwrap_or_default(),
                "host" => request.authority(),
                header => request
                    .header(header)
                    .ok_or_else(|| Refused(format!("the signed header {header} is missing")))?,
            };
            lines.push(format!("{name}: {value}"));
        }
        let message_with_bare_host = bare_host.map(|host| {
            lines
                .iter()
                .map(|line| {
                    if line.starts_with("host: ") {
                        format!("host: {host}")
                    } else {
                        line.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        });
        Ok(Signed {
            key_id: key_id.to_owned(),
            scheme: "draft-cavage",
            message: lines.join("\n"),
            message_with_bare_host,
            signature,
            algorithm,
        })
    }
}

/// RFC 9421, HTTP Message Signatures: the parts of RFC 8941 structured fields it needs.
mod rfc9421 {
    use super::*;

    /// A bare item of a structured field, as far as signature parameters use them.
    #[derive(Debug, Clone, PartialEq)]
    enum Item {
        String(String),
        Integer(i64),
        Token(String),
        Boolean(bool),
        Bytes(Vec<u8>),
    }

    impl Item {
        fn serialize(&self, out: &mut String) {
            match self {
                Item::String(s) => {
                    out.push('"');
                    for c in s.chars() {
                        if c == '"' || c == '\\' {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                    out.push('"');
                }
                Item::Integer(i) => out.push_str(&i.to_string()),
                Item::Token(t) => out.push_str(t),
                Item::Boolean(true) => out.push_str("?1"),
                Item::Boolean(false) => out.push_str("?0"),
                Item::Bytes(b) => {
                    out.push(':');
                    out.push_str(&BASE64.encode(b));
                    out.push(':');
                }
            }
        }
    }

    type Parameters = Vec<(String, Item)>;

    /// A dictionary member's value: an item (its parameters, never needed here, dropped) or an
    /// inner list with parameters.
    #[derive(Debug)]
    enum Member {
        Item(Item),
        InnerList(Vec<(Item, Parameters)>, Parameters),
    }

    struct Parser<'a> {
        input: &'a [u8],
        at: usize,
    }

    fn malformed<T>(field: &str) -> Result<T, Refused> {
        refused(format!(
            "the {field} header is not a valid structured field"
        ))
    }

    impl<'a> Parser<'a> {
        fn new(input: &'a str) -> Self {
            Self {
                input: input.as_bytes(),
                at: 0,
            }
        }

        fn peek(&self) -> Option<u8> {
            self.input.get(self.at).copied()
        }

        fn skip_spaces(&mut self) {
            while matches!(self.peek(), Some(b' ' | b'\t')) {
                self.at += 1;
            }
        }

        fn key(&mut self) -> Option<String> {
            let start = self.at;
            match self.peek() {
                Some(c) if c.is_ascii_lowercase() || c == b'*' => self.at += 1,
                _ => return None,
            }
            while let Some(c) = self.peek() {
                if c.is_ascii_lowercase() || c.is_ascii_digit() || b"_-.*".contains(&c) {
                    self.at += 1;
                } else {
                    break;
                }
            }
            std::str::from_utf8(&self.input[start..self.at])
                .ok()
                .map(str::to_owned)
        }

        fn bare_item(&mut self) -> Option<Item> {
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    let mut value = String::new();
                    loop {
                        let c = self.peek()?;
                        self.at += 1;
                        match c {
                            b'"' => return Some(Item::String(value)),
                            b'\\' => {
                                let escaped = self.peek()?;
                                if escaped != b'"' && escaped != b'\\' {
                                    return None;
                                }
                                self.at += 1;
                                value.push(escaped as char);
                            }
                            0x20..=0x7e => value.push(c as char),
                            _ => return None,
                        }
                    }
                }
                b':' => {
                    self.at += 1;
                    let start = self.at;
                    while self.peek()? != b':' {
                        self.at += 1;
                    }
                    let text = std::str::from_utf8(&self.input[start..self.at]).ok()?;
                    self.at += 1;
                    BASE64.decode(text).ok().map(Item::Bytes)
                }
                b'?' => {
                    self.at += 1;
                    let value = match self.peek()? {
                        b'1' => true,
                        b'0' => false,
                        _ => return None,
                    };
                    self.at += 1;
                    Some(Item::Boolean(value))
                }
                c if c == b'-' || c.is_ascii_digit() => {
                    let start = self.at;
                    self.at += 1;
                    while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                        self.at += 1;
                    }
                    if self.peek() == Some(b'.') {
                        return None; // decimals are never signature parameters
                    }
                    std::str::from_utf8(&self.input[start..self.at])
                        .ok()?
                        .parse()
                        .ok()
                        .map(Item::Integer)
                }
                c if c.is_ascii_alphabetic() || c == b'*' => {
                    let start = self.at;
                    while self.peek().is_some_and(|c| {
                        c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~:/".contains(&c)
                    }) {
                        self.at += 1;
                    }
                    std::str::from_utf8(&self.input[start..self.at])
                        .ok()
                        .map(|t| Item::Token(t.to_owned()))
                }
                _ => None,
            }
        }

        fn parameters(&mut self) -> Option<Parameters> {
            let mut parameters: Parameters = Vec::new();
            while self.peek() == Some(b';') {
                self.at += 1;
                self.skip_spaces();
                let key = self.key()?;
                let value = if self.peek() == Some(b'=') {
                    self.at += 1;
                    self.bare_item()?
                } else {
                    Item::Boolean(true)
                };
                // A repeated parameter keeps its first place and takes the last value.
                match parameters.iter_mut().find(|(k, _)| *k == key) {
                    Some(existing) => existing.1 = value,
                    None => parameters.push((key, value)),
                }
            }
            Some(parameters)
        }

        fn member(&mut self) -> Option<Member> {
            if self.peek() == Some(b'(') {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_spaces();
                    if self.peek()? == b')' {
                        self.at += 1;
                        break;
                    }
                    let item = self.bare_item()?;
                    let parameters = self.parameters()?;
                    items.push((item, parameters));
                    if !matches!(self.peek()?, b' ' | b')') {
                        return None;
                    }
                }
                Some(Member::InnerList(items, self.parameters()?))
            } else {
                let item = self.bare_item()?;
                self.parameters()?;
                Some(Member::Item(item))
            }
        }

        /// A dictionary, members in order.
        fn dictionary(mut self) -> Option<Vec<(String, Member)>> {
            let mut members: Vec<(String, Member)> = Vec::new();
            self.skip_spaces();
            while self.peek().is_some() {
                let key = self.key()?;
                let member = if self.peek() == Some(b'=') {
                    self.at += 1;
                    self.member()?
                } else {
                    self.parameters()?;
                    Member::Item(Item::Boolean(true))
                };
                members.retain(|(k, _)| *k != key);
                members.push((key, member));
                self.skip_spaces();
                match self.peek() {
                    None => break,
                    Some(b',') => {
                        self.at += 1;
                        self.skip_spaces();
                        self.peek()?; // a trailing comma is an error
                    }
                    Some(_) => return None,
                }
            }
            Some(members)
        }
    }

    fn dictionary(request: &Incoming<'_>, field: &str) -> Result<Vec<(String, Member)>, Refused> {
        let Some(text) = request.header(field) else {
            return refused(format!("the request has no {field} header"));
        };
        match Parser::new(&text).dictionary() {
            Some(members) => Ok(members),
            None => malformed(field),
        }
    }

    /// The value of one covered component, as section 2 defines it.
    fn component(request: &Incoming<'_>, name: &str) -> Result<String, Refused> {
        Ok(match name {
            "@method" => request.method.as_str().to_owned(),
            "@target-uri" => format!(
                "{}://{}{}",
                request.scheme,
                request.authority(),
                request.path_and_query()
            ),
            "@authority" => request.authority(),
            "@scheme" => request.scheme.to_owned(),
            "@request-target" => request.path_and_query().to_owned(),
            "@path" => request.uri.path().to_owned(),
            "@query" => format!("?{}", request.uri.query().unwrap_or("")),
            derived if derived.starts_with('@') => {
                return refused(format!("the component {derived} is not supported here"));
            }
            field => request
                .header(field)
                .ok_or_else(|| Refused(format!("the signed header {field} is missing")))?,
        })
    }

    pub(super) fn read(request: &Incoming<'_>, now: DateTime<Utc>) -> Result<Signed, Refused> {
        let inputs = dictionary(request, "signature-input")?;
        let signatures = dictionary(request, "signature")?;
        // The first signature we have both halves of; peers send one.
        let Some((label, components, parameters, signature)) =
            inputs.into_iter().find_map(|(label, input)| {
                let Member::InnerList(components, parameters) = input else {
                    return None;
                };
                let signature = signatures.iter().find_map(|(l, s)| match s {
                    Member::Item(Item::Bytes(bytes)) if *l == label => Some(bytes.clone()),
                    _ => None,
                })?;
                Some((label, components, parameters, signature))
            })
        else {
            return refused("no signature in Signature matches one in Signature-Input");
        };
        tracing::trace!(label, "verifying an RFC 9421 signature");

        let parameter = |name: &str| parameters.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        let key_id = match parameter("keyid") {
            Some(Item::String(key_id)) => key_id.clone(),
            _ => return refused("the signature has no keyid"),
        };
        let algorithm = match parameter("alg") {
            None => Algorithm::RsaEither,
            Some(Item::String(alg)) if alg == "rsa-v1_5-sha256" => Algorithm::RsaPkcs1Sha256,
            Some(Item::String(alg)) if alg == "rsa-pss-sha512" => Algorithm::RsaPssSha512,
            Some(Item::String(alg)) => {
                return refused(format!("unsupported signature algorithm {alg}"));
            }
            Some(_) => return refused("the alg parameter is not a string"),
        };
        let created = match parameter("created") {
            Some(Item::Integer(created)) => *created,
            _ => return refused("the signature has no created time"),
        };
        check_age(
            timestamp(created, "created")?,
            now,
            "the signature's creation",
        )?;
        let expires = match parameter("expires") {
            None => None,
            Some(Item::Integer(expires)) => Some(*expires),
            Some(_) => return refused("expires is not a number"),
        };
        check_expiry(expires, now)?;
        check_date_header(request, now)?;

        let mut names = Vec::with_capacity(components.len());
        for (item, component_parameters) in &components {
            let Item::String(name) = item else {
                return refused("a covered component is not a string");
            };
            if !component_parameters.is_empty() {
                return refused(format!(
                    "component parameters (on {name}) are not supported here"
                ));
            }
            names.push(name.to_ascii_lowercase());
        }
        let covers = |name: &str| names.iter().any(|n| n == name);
        if !covers("@method") {
            return refused("the signature must cover @method");
        }
        let covers_target = covers("@target-uri")
            || (covers("@authority") || covers("host"))
                && (covers("@request-target") || covers("@path") && covers("@query"));
        if !covers_target {
            return refused("the signature must cover @target-uri");
        }
        if !request.body.is_empty() && !covers("content-digest") {
            return refused("the signature must cover the Content-Digest header");
        }
        if !request.body.is_empty() {
            let mut digests = Vec::new();
            for (algorithm, member) in dictionary(request, "content-digest")? {
                if let Member::Item(Item::Bytes(bytes)) = member {
                    digests.push((algorithm, BASE64.encode(bytes)));
                }
            }
            check_body_digests(
                digests.iter().map(|(a, d)| (a.clone(), d.as_str())),
                request.body,
                "Content-Digest",
            )?;
        }

        let mut message = String::new();
        for (item, _) in &components {
            let Item::String(name) = item else { continue };
            item.serialize(&mut message);
            message.push_str(": ");
            message.push_str(&component(request, &name.to_ascii_lowercase())?);
            message.push('\n');
        }
        message.push_str("\"@signature-params\": (");
        for (index, (item, _)) in components.iter().enumerate() {
            if index > 0 {
                message.push(' ');
            }
            item.serialize(&mut message);
        }
        message.push(')');
        for (name, value) in &parameters {
            message.push(';');
            message.push_str(name);
            if *value != Item::Boolean(true) {
                message.push('=');
                value.serialize(&mut message);
            }
        }
        Ok(Signed {
            key_id,
            scheme: "RFC 9421",
            message,
            message_with_bare_host: None,
            signature,
            algorithm,
        })
    }

    #[cfg(test)]
    pub(super) mod tests_support {
        /// The labels of a dictionary, or `None` if it does not parse.
        pub fn parse(text: &str) -> Option<Vec<String>> {
            super::Parser::new(text)
                .dictionary()
                .map(|members| members.into_iter().map(|(label, _)| label).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;
    use axum::http::HeaderValue;
    use rsa::RsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;

    struct Fixture {
        key: RsaPrivateKey,
        public_pem: String,
        other_public_pem: String,
    }

    fn fixture() -> Fixture {
        use activitypub_federation::http_signatures::{Keypair, generate_actor_keypair};
        use std::sync::OnceLock;
        static KEYS: OnceLock<(Keypair, Keypair)> = OnceLock::new();
        let (key, other) = KEYS.get_or_init(|| {
            (
                generate_actor_keypair().unwrap(),
                generate_actor_keypair().unwrap(),
            )
        });
        Fixture {
            key: RsaPrivateKey::from_pkcs8_pem(&key.private_key).unwrap(),
            public_pem: key.public_key.clone(),
            other_public_pem: other.public_key.clone(),
        }
    }

    const BODY: &[u8] = br#"{"type":"Follow"}"#;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc2822("Thu, 26 Nov 2026 12:00:00 GMT")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn sign(key: &RsaPrivateKey, message: &str) -> String {
        BASE64.encode(
            key.sign(
                Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(message.as_bytes()),
            )
            .unwrap(),
        )
    }

    /// Headers of a request to `/inbox` signed with RFC 9421 as Mastodon signs.
    fn rfc9421_headers(key: &RsaPrivateKey, created: i64, body: &[u8]) -> HeaderMap {
        rfc9421_headers_for("convive.example", key, created, body)
    }

    /// The same, signed for the inbox of `host`.
    fn rfc9421_headers_for(
        host: &'static str,
        key: &RsaPrivateKey,
        created: i64,
        body: &[u8],
    ) -> HeaderMap {
        let digest = format!("sha-256=:{}:", BASE64.encode(Sha256::digest(body)));
        let params = format!(
            "(\"@method\" \"@target-uri\" \"content-digest\");created={created};keyid=\"https://peer.example/u/a#main-key\";alg=\"rsa-v1_5-sha256\""
        );
        let base = format!(
            "\"@method\": POST\n\"@target-uri\": https://{host}/inbox\n\"content-digest\": {digest}\n\"@signature-params\": {params}"
        );
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static(host));
        headers.insert("content-digest", HeaderValue::from_str(&digest).unwrap());
        headers.insert(
            "signature-input",
            HeaderValue::from_str(&format!("sig1={params}")).unwrap(),
        );
        headers.insert(
            "signature",
            HeaderValue::from_str(&format!("sig1=:{}:", sign(key, &base))).unwrap(),
        );
        headers
    }

    fn cavage_headers(key: &RsaPrivateKey, date: DateTime<Utc>, body: &[u8]) -> HeaderMap {
        let date = date.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let digest = format!("SHA-256={}", BASE64.encode(Sha256::digest(body)));
        let message = format!(
            "(request-target): post /inbox\nhost: convive.example\ndate: {date}\ndigest: {digest}"
        );
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("convive.example"));
        headers.insert("date", HeaderValue::from_str(&date).unwrap());
        headers.insert("digest", HeaderValue::from_str(&digest).unwrap());
        headers.insert(
            "signature",
            HeaderValue::from_str(&format!(
                "keyId=\"https://peer.example/u/a#main-key\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"{}\"",
                sign(key, &message)
            ))
            .unwrap(),
        );
        headers
    }

    fn check(headers: &HeaderMap, body: &[u8], public_pem: &str) -> Result<Signed, Refused> {
        let method = Method::POST;
        let uri: Uri = "/inbox".parse().unwrap();
        let signed = read(
            &Incoming {
                method: &method,
                uri: &uri,
                headers,
                body,
                scheme: "https",
                authority: "convive.example",
            },
            now(),
        )?;
        signed.verify(public_pem)?;
        Ok(signed)
    }

    #[test]
    fn an_rfc_9421_signature_by_the_actors_key_is_verified() {
        let f = fixture();
        let headers = rfc9421_headers(&f.key, now().timestamp() - 60, BODY);
        let signed = check(&headers, BODY, &f.public_pem).unwrap();
        assert_eq!(signed.scheme, "RFC 9421");
        assert_eq!(signed.key_id, "https://peer.example/u/a#main-key");
    }

    #[test]
    fn an_rfc_9421_signature_by_another_key_or_of_another_body_is_refused() {
        let f = fixture();
        let headers = rfc9421_headers(&f.key, now().timestamp(), BODY);
        let wrong_key = check(&headers, BODY, &f.other_public_pem).unwrap_err();
        assert!(wrong_key.0.contains("does not match"), "{wrong_key}");
        let other_body = check(&headers, br#"{"type":"Delete"}"#, &f.public_pem).unwrap_err();
        assert!(other_body.0.contains("Content-Digest"), "{other_body}");
    }

    #[test]
    fn a_request_signed_for_another_server_and_replayed_here_is_refused_whatever_its_host_header() {
        let f = fixture();
        // Signed for elsewhere.example's inbox, replayed to ours with its Host header intact.
        let headers = rfc9421_headers_for("elsewhere.example", &f.key, now().timestamp(), BODY);
        let refused = check(&headers, BODY, &f.public_pem).unwrap_err();
        assert!(refused.0.contains("does not match"), "{refused}");
        // Our own request, whose Host a proxy rewrote: still ours.
        let mut headers = rfc9421_headers(&f.key, now().timestamp(), BODY);
        headers.insert("host", HeaderValue::from_static("127.0.0.1:4000"));
        assert!(check(&headers, BODY, &f.public_pem).is_ok());
    }

    /// A `POST` to `http://{public}/inbox` signed as Gancio 1.21's `signAndSend` signs it:
    /// the `host` line and the `Host` header are the URL's host name, without the port.
    fn gancio_request(
        key: &RsaPrivateKey,
        host: &'static str,
        body: &[u8],
        public: &str,
    ) -> Result<Signed, Refused> {
        let date = now().format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let digest = BASE64.encode(Sha256::digest(body));
        let message = format!(
            "(request-target): post /inbox\nhost: {host}\ndate: {date}\ndigest: SHA-256={digest}"
        );
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static(host));
        headers.insert("date", HeaderValue::from_str(&date).unwrap());
        headers.insert(
            "digest",
            HeaderValue::from_str(&format!("SHA-256={digest}")).unwrap(),
        );
        headers.insert(
            "signature",
            HeaderValue::from_str(&format!(
                "keyId=\"http://localhost:13131/federation/u/relay#main-key\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"{}\"",
                sign(key, &message)
            ))
            .unwrap(),
        );
        let method = Method::POST;
        let uri: Uri = "/inbox".parse().unwrap();
        read(
            &Incoming {
                method: &method,
                uri: &uri,
                headers: &headers,
                body,
                scheme: "http",
                authority: public,
            },
            now(),
        )
    }

    fn gancio_create() -> Vec<u8> {
        let path = format!(
            "{}/fixtures/activitypub/gancio-1.21/gancio-create-event.json",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(path).unwrap()
    }

    #[test]
    fn gancio_signing_our_host_without_its_non_default_port_is_verified() {
        let f = fixture();
        let body = gancio_create();
        let signed = gancio_request(&f.key, "localhost", &body, "localhost:4611").unwrap();
        signed.verify(&f.public_pem).unwrap();
        // Signed with the port, as every other server signs: the first message matches.
        let signed = gancio_request(&f.key, "localhost:4611", &body, "localhost:4611").unwrap();
        signed.verify(&f.public_pem).unwrap();
    }

    #[test]
    fn a_host_line_naming_another_server_is_refused_even_when_the_host_header_agrees() {
        let f = fixture();
        let body = gancio_create();
        let signed = gancio_request(&f.key, "elsewhere.example", &body, "localhost:4611").unwrap();
        let refused = signed.verify(&f.public_pem).unwrap_err();
        assert!(refused.0.contains("does not match"), "{refused}");
        // Our host name on another port is another server too.
        let signed = gancio_request(&f.key, "localhost:13131", &body, "localhost:4611").unwrap();
        assert!(signed.verify(&f.public_pem).is_err());
        // Without a port of ours, a bare host is only ever our own authority.
        let signed = gancio_request(&f.key, "elsewhere.example", &body, "convive.example").unwrap();
        assert!(signed.verify(&f.public_pem).is_err());
    }

    #[test]
    fn an_rfc_9421_signature_created_more_than_twelve_hours_away_is_refused() {
        let f = fixture();
        for created in [now().timestamp() - 13 * 3600, now().timestamp() + 13 * 3600] {
            let headers = rfc9421_headers(&f.key, created, BODY);
            let refused = check(&headers, BODY, &f.public_pem).unwrap_err();
            assert!(refused.0.contains("12 hours"), "{refused}");
        }
        let headers = rfc9421_headers(&f.key, now().timestamp() - 11 * 3600, BODY);
        assert!(check(&headers, BODY, &f.public_pem).is_ok());
    }

    #[test]
    fn an_rfc_9421_signature_that_does_not_cover_the_digest_is_refused() {
        let f = fixture();
        let params = format!(
            "(\"@method\" \"@target-uri\");created={};keyid=\"k\"",
            now().timestamp()
        );
        let base = format!(
            "\"@method\": POST\n\"@target-uri\": https://convive.example/inbox\n\"@signature-params\": {params}"
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            "signature-input",
            HeaderValue::from_str(&format!("sig1={params}")).unwrap(),
        );
        headers.insert(
            "signature",
            HeaderValue::from_str(&format!("sig1=:{}:", sign(&f.key, &base))).unwrap(),
        );
        let refused = check(&headers, BODY, &f.public_pem).unwrap_err();
        assert!(refused.0.contains("Content-Digest"), "{refused}");
    }

    /// RFC 9421, appendix B.2.3 ("full coverage"): the signature base we build from that
    /// request is the one the RFC prints.
    #[test]
    fn the_signature_base_of_the_rfcs_full_coverage_example_is_the_rfcs() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("host", "example.com"),
            ("date", "Tue, 20 Apr 2021 02:07:55 GMT"),
            ("content-type", "application/json"),
            (
                "content-digest",
                "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:",
            ),
            ("content-length", "18"),
            (
                "signature-input",
                r#"sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss""#,
            ),
            ("signature", "sig-b23=:AAAA:"),
        ] {
            headers.insert(name, HeaderValue::from_static(value));
        }
        let method = Method::POST;
        let uri: Uri = "/foo?param=Value&Pet=dog".parse().unwrap();
        let signed = read(
            &Incoming {
                method: &method,
                uri: &uri,
                headers: &headers,
                body: br#"{"hello": "world"}"#,
                scheme: "https",
                authority: "example.com",
            },
            DateTime::from_timestamp(1618884475, 0).unwrap(),
        )
        .unwrap();
        assert_eq!(
            signed.message,
            r#""date": Tue, 20 Apr 2021 02:07:55 GMT
"@method": POST
"@path": /foo
"@query": ?param=Value&Pet=dog
"@authority": example.com
"content-type": application/json
"content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:
"content-length": 18
"@signature-params": ("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss""#
        );
        assert_eq!(signed.algorithm, Algorithm::RsaEither);
    }

    #[test]
    fn rfc_9421_algorithms_other_than_rsa_are_refused_by_name() {
        let f = fixture();
        let mut headers = rfc9421_headers(&f.key, now().timestamp(), BODY);
        let input = headers["signature-input"]
            .to_str()
            .unwrap()
            .replace("rsa-v1_5-sha256", "ed25519");
        headers.insert("signature-input", HeaderValue::from_str(&input).unwrap());
        let refused = check(&headers, BODY, &f.public_pem).unwrap_err();
        assert!(refused.0.contains("ed25519"), "{refused}");
    }

    #[test]
    fn structured_field_dictionaries_with_several_signatures_and_odd_spacing_parse() {
        let members = rfc9421::tests_support::parse(
            r#"sig1=("@method" "@target-uri");created=1;keyid="a\"b", sig2=();alg="x";flag"#,
        )
        .unwrap();
        assert_eq!(members, vec!["sig1", "sig2"]);
        assert!(rfc9421::tests_support::parse("sig1=(\"a\"").is_none());
        assert!(rfc9421::tests_support::parse("sig1=:abc:,").is_none());
    }

    #[test]
    fn a_draft_cavage_signature_three_hours_old_is_accepted_where_the_library_would_refuse() {
        let f = fixture();
        let headers = cavage_headers(&f.key, now() - chrono::Duration::hours(3), BODY);
        let signed = check(&headers, BODY, &f.public_pem).unwrap();
        assert_eq!(signed.scheme, "draft-cavage");
    }

    #[test]
    fn a_draft_cavage_signature_with_a_stale_date_a_wrong_digest_or_key_is_refused() {
        let f = fixture();
        let stale = cavage_headers(&f.key, now() - chrono::Duration::hours(13), BODY);
        assert!(
            check(&stale, BODY, &f.public_pem)
                .unwrap_err()
                .0
                .contains("12 hours")
        );
        let fresh = cavage_headers(&f.key, now(), BODY);
        let other_body = check(&fresh, b"{}", &f.public_pem).unwrap_err();
        assert!(other_body.0.contains("Digest"), "{other_body}");
        let wrong_key = check(&fresh, BODY, &f.other_public_pem).unwrap_err();
        assert!(wrong_key.0.contains("does not match"), "{wrong_key}");
    }

    #[test]
    fn a_fetch_signed_without_digest_as_mobilizon_signs_it_is_verified_and_a_post_so_is_not() {
        let f = fixture();
        let date = now().format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let message =
            format!("(request-target): get /comments/1\nhost: convive.example\ndate: {date}");
        let mut headers = HeaderMap::new();
        headers.insert("date", HeaderValue::from_str(&date).unwrap());
        headers.insert(
            "signature",
            HeaderValue::from_str(&format!(
                "keyId=\"https://peer.example/u/a#main-key\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date\",signature=\"{}\"",
                sign(&f.key, &message)
            ))
            .unwrap(),
        );
        let uri: Uri = "/comments/1".parse().unwrap();
        let read_as = |method: &Method, body: &[u8]| {
            read(
                &Incoming {
                    method,
                    uri: &uri,
                    headers: &headers,
                    body,
                    scheme: "https",
                    authority: "convive.example",
                },
                now(),
            )
        };
        let signed = read_as(&Method::GET, b"").unwrap();
        signed.verify(&f.public_pem).unwrap();
        let refused = read_as(&Method::POST, BODY).unwrap_err();
        assert!(refused.0.contains("Digest"), "{refused}");
        let refused = read_as(&Method::GET, BODY).unwrap_err();
        assert!(
            refused.0.contains("Digest"),
            "a body is always digested: {refused}"
        );
    }

    #[test]
    fn a_draft_cavage_signature_without_request_target_or_digest_is_refused() {
        let f = fixture();
        let mut headers = cavage_headers(&f.key, now(), BODY);
        let header = headers["signature"]
            .to_str()
            .unwrap()
            .replace("(request-target) ", "");
        headers.insert("signature", HeaderValue::from_str(&header).unwrap());
        assert!(
            check(&headers, BODY, &f.public_pem)
                .unwrap_err()
                .0
                .contains("(request-target)")
        );
    }

    #[test]
    fn a_draft_cavage_signature_with_fractional_created_and_expires_is_verified_as_sent() {
        let f = fixture();
        let created = format!("{}.5", now().timestamp() - 10);
        let expires = format!("{}.25", now().timestamp() + 300);
        let digest = format!("SHA-256={}", BASE64.encode(Sha256::digest(BODY)));
        let message = format!(
            "(request-target): post /inbox\n(created): {created}\n(expires): {expires}\ndigest: {digest}"
        );
        let mut headers = HeaderMap::new();
        headers.insert("digest", HeaderValue::from_str(&digest).unwrap());
        headers.insert(
            "signature",
            HeaderValue::from_str(&format!(
                "keyId=\"k\",algorithm=\"hs2019\",created={created},expires={expires},headers=\"(request-target) (created) (expires) digest\",signature=\"{}\"",
                sign(&f.key, &message)
            ))
            .unwrap(),
        );
        check(&headers, BODY, &f.public_pem).unwrap();
    }

    #[test]
    fn an_unsigned_request_is_refused() {
        let f = fixture();
        let refused = check(&HeaderMap::new(), BODY, &f.public_pem).unwrap_err();
        assert!(refused.0.contains("not signed"), "{refused}");
    }
}
