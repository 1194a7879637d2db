//! Which instance speaks for what: an id is vouched for only by an actor of its own origin.

use url::Url;

use crate::error::{Error, Result};

/// That `a` and `b` are on the same instance: scheme, host and port. The library's
/// `verify_domains_match` compares host names only, so two instances on one host (different
/// ports) could speak for each other.
pub(crate) fn verify_same_origin(a: &Url, b: &Url) -> Result<()> {
    if a.origin() != b.origin() {
        return Err(Error::Rejected(format!(
            "{a} is not on the same instance as {b}"
        )));
    }
    Ok(())
}
