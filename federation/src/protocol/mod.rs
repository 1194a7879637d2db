//! Wire shapes: what we write and what we accept from others. Reading is lenient (missing
//! optional fields, one value where a list is expected and the reverse); unknown fields are
//! ignored.

pub mod actor;
pub mod article;
pub mod collection;
mod context;
pub mod event;
pub mod image;
pub mod note;

pub use context::{Context, WithContext};

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// A list that others may send as a single value, or `null`.
pub fn one_or_many<'de, T, D>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    T: DeserializeOwned,
    D: Deserializer<'de>,
{
    match Value::deserialize(deserializer)? {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .into_iter()
            .map(|item| serde_json::from_value(item).map_err(D::Error::custom))
            .collect(),
        other => serde_json::from_value(other)
            .map(|item| vec![item])
            .map_err(D::Error::custom),
    }
}

/// Like [`one_or_many`], but an item that does not read is left out rather than failing the
/// whole object (a `tag` list mixes kinds we know with kinds we do not).
pub fn each_readable<'de, T, D>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    T: DeserializeOwned,
    D: Deserializer<'de>,
{
    Ok(match Value::deserialize(deserializer)? {
        Value::Null => Vec::new(),
        Value::Array(items) => items
            .into_iter()
            .filter_map(|item| serde_json::from_value(item).ok())
            .collect(),
        other => serde_json::from_value(other).into_iter().collect(),
    })
}

/// One value that others may send as a list (the first counts), or `null`.
pub fn first_of<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: DeserializeOwned,
    D: Deserializer<'de>,
{
    Ok(one_or_many(deserializer)?.into_iter().next())
}

/// An optional value that is dropped, rather than failing the document, when malformed.
pub fn lenient<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: DeserializeOwned,
    D: Deserializer<'de>,
{
    Ok(serde_json::from_value(Value::deserialize(deserializer)?).ok())
}

/// Writes one item as itself and several as a list, as Mobilizon writes `location`.
pub fn single_or_array<T, S>(items: &[T], serializer: S) -> Result<S::Ok, S::Error>
where
    T: serde::Serialize,
    S: serde::Serializer,
{
    use serde::Serialize as _;
    match items {
        [one] => one.serialize(serializer),
        many => many.serialize(serializer),
    }
}
