//! Activities we receive, one file per verb, and the untagged enum the inbox parses into (the
//! catch-all goes last: unknown types are accepted and ignored).

pub mod accept;
pub mod create_or_update;
pub mod delete;
pub mod follow;
pub mod undo;

use activitypub_federation::config::Data;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};

#[derive(Debug, Deserialize, Serialize)]
#[serde(untagged)]
pub enum InboxActivity {
    Follow(follow::Follow),
    Undo(undo::Undo),
    Accept(accept::Accept),
    CreateOrUpdate(Box<create_or_update::CreateOrUpdate>),
    Delete(delete::Delete),
    Other(Other),
}

/// Anything else with an id and an actor: signature checked, then ignored.
#[derive(Debug, Deserialize, Serialize)]
pub struct Other {
    pub id: Url,
    pub actor: Url,
    #[serde(rename = "type")]
    pub kind: String,
}

macro_rules! each {
    ($self:expr, $a:ident => $body:expr) => {
        match $self {
            InboxActivity::Follow($a) => $body,
            InboxActivity::Undo($a) => $body,
            InboxActivity::Accept($a) => $body,
            InboxActivity::CreateOrUpdate($a) => $body,
            InboxActivity::Delete($a) => $body,
            InboxActivity::Other($a) => $body,
        }
    };
}

#[async_trait::async_trait]
impl Activity for InboxActivity {
    type DataType = AppContext;
    type Error = Error;

    fn id(&self) -> &Url {
        each!(self, a => a.id())
    }

    fn actor(&self) -> &Url {
        each!(self, a => a.actor())
    }

    async fn verify(&self, data: &Data<AppContext>) -> Result<()> {
        each!(self, a => a.verify(data).await)
    }

    async fn receive(self, data: &Data<AppContext>) -> Result<()> {
        each!(self, a => a.receive(data).await)
    }
}

#[async_trait::async_trait]
impl Activity for Other {
    type DataType = AppContext;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data<AppContext>) -> Result<()> {
        Ok(())
    }

    async fn receive(self, _data: &Data<AppContext>) -> Result<()> {
        tracing::debug!(id = %self.id, kind = %self.kind, "ignoring an activity we do not handle");
        Ok(())
    }
}

/// An outgoing activity built as JSON by the delivery jobs, signed and sent as it is.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct Outgoing {
    pub json: serde_json::Value,
    #[serde(skip)]
    id: Url,
    #[serde(skip)]
    actor: Url,
}

impl Outgoing {
    pub fn new(json: serde_json::Value) -> Result<Self> {
        let url = |key: &str| {
            json.get(key)
                .and_then(serde_json::Value::as_str)
                .ok_or_else(|| Error::Malformed(format!("outgoing activity without {key}")))
                .and_then(|s| Url::parse(s).map_err(Error::from))
        };
        let id = url("id")?;
        let actor = url("actor")?;
        Ok(Self { json, id, actor })
    }
}

#[async_trait::async_trait]
impl Activity for Outgoing {
    type DataType = AppContext;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data<AppContext>) -> Result<()> {
        Ok(())
    }

    async fn receive(self, _data: &Data<AppContext>) -> Result<()> {
        Err(Error::Internal(
            "outgoing activities are not received".to_owned(),
        ))
    }
}

/// The local actor `url` names, if any.
pub(crate) async fn local_actor(
    data: &Data<AppContext>,
    url: &Url,
) -> Result<Option<entity::actor::Model>> {
    Ok(
        backend::actors::remote::find_by_ap_id(&data.db, url.as_str())
            .await?
            .filter(|a| a.is_local() && !a.suspended),
    )
}

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
