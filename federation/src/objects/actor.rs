//! Local and cached remote actors as `activitypub_federation` actors.

use activitypub_federation::config::Data;
use activitypub_federation::protocol::public_key::PublicKey;
use activitypub_federation::traits::{Actor as ApActorTrait, Object};
use backend::AppContext;
use backend::actors::remote::RemoteActor;
use chrono::{DateTime, Utc};
use entity::actor::{self, ActorKind, ActorVisibility, Openness};
use url::Url;

use crate::error::{Error, Result};
use crate::objects::image;
use crate::protocol::actor::{Actor, ActorType, Endpoints};
use crate::protocol::image::ImageType;

/// An actor row with its addresses parsed.
#[derive(Debug, Clone)]
pub struct ApActor {
    pub model: actor::Model,
    id: Url,
    inbox: Url,
    shared_inbox: Option<Url>,
}

impl ApActor {
    pub fn new(model: actor::Model) -> Result<Self> {
        let id = Url::parse(&model.ap_id)?;
        let inbox = match &model.inbox_url {
            Some(inbox) => Url::parse(inbox)?,
            None => return Err(Error::Internal(format!("actor {} has no inbox", id))),
        };
        let shared_inbox = model
            .shared_inbox_url
            .as_deref()
            .map(Url::parse)
            .transpose()?;
        Ok(Self {
            model,
            id,
            inbox,
            shared_inbox,
        })
    }

    /// A local actor, with keys made if it had none yet.
    pub async fn local_with_keys(ctx: &AppContext, model: actor::Model) -> Result<Self> {
        Self::new(crate::keys::ensure(ctx, model).await?)
    }
}

fn openness_name(openness: Openness) -> &'static str {
    match openness {
        Openness::Open => "open",
        Openness::Moderated => "moderated",
        Openness::InviteOnly => "invite_only",
    }
}

/// The document of a local actor (whose keys exist).
pub async fn to_json(ctx: &AppContext, actor: &actor::Model) -> Result<Actor> {
    let id = Url::parse(&actor.ap_id)?;
    let kind = match actor.kind {
        ActorKind::Person => ActorType::Person,
        ActorKind::Group => ActorType::Group,
        ActorKind::Application => ActorType::Application,
    };
    let parse = |v: &Option<String>| v.as_deref().map(Url::parse).transpose();
    let inbox = parse(&actor.inbox_url)?.ok_or(Error::NotFound)?;
    let public_key_pem = actor
        .public_key_pem
        .clone()
        .ok_or_else(|| Error::Internal(format!("actor {} has no public key yet", actor.ap_id)))?;
    let mut document = Actor {
        kind,
        public_key: PublicKey {
            id: format!("{id}#main-key"),
            owner: id.clone(),
            public_key_pem,
        },
        preferred_username: actor.preferred_username.clone(),
        name: actor.name.clone(),
        summary: actor.summary.clone(),
        url: parse(&actor.url)?,
        inbox,
        outbox: parse(&actor.outbox_url)?,
        followers: parse(&actor.followers_url)?,
        following: None,
        endpoints: Some(Endpoints {
            shared_inbox: parse(&actor.shared_inbox_url)?,
        }),
        manually_approves_followers: actor.manually_approves_followers,
        discoverable: Some(actor.visibility == ActorVisibility::Public),
        openness: None,
        members: None,
        events: None,
        upcoming_events: None,
        member_count: None,
        icon: image::ours(ctx, &ctx.db, actor.avatar_media_id, ImageType::Image, None).await?,
        image: image::ours(ctx, &ctx.db, actor.banner_media_id, ImageType::Image, None).await?,
        id,
    };
    if actor.kind == ActorKind::Group {
        let events = Url::parse(&format!("{}/events", actor.ap_id))?;
        document.openness = Some(openness_name(actor.openness).to_owned());
        document.members = Some(Url::parse(&format!("{}/members", actor.ap_id))?);
        document.upcoming_events = Some(events.clone());
        document.events = Some(events);
        document.member_count = Some(backend::groups::members_count(&ctx.db, actor.id).await?);
    }
    Ok(document)
}

/// What a remote actor's document tells, for the cache.
pub fn to_remote(json: &Actor) -> Result<RemoteActor> {
    let host = json
        .id
        .host_str()
        .ok_or_else(|| Error::Malformed("actor id without host".to_owned()))?;
    let domain = match json.id.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    let preferred_username = if json.preferred_username.trim().is_empty() {
        json.id
            .path_segments()
            .and_then(|mut segments| segments.rfind(|s| !s.is_empty()))
            .map(|s| s.trim_start_matches('@').to_owned())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Error::Malformed("actor without a name or a path".to_owned()))?
    } else {
        json.preferred_username.clone()
    };
    Ok(RemoteActor {
        ap_id: json.id.to_string(),
        preferred_username,
        domain,
        kind: match json.kind {
            ActorType::Group | ActorType::Organization => ActorKind::Group,
            ActorType::Application | ActorType::Service => ActorKind::Application,
            ActorType::Person => ActorKind::Person,
        },
        name: json.name.clone(),
        summary: json.summary.clone(),
        url: json.url.as_ref().map(Url::to_string),
        inbox_url: json.inbox.to_string(),
        shared_inbox_url: json
            .endpoints
            .as_ref()
            .and_then(|e| e.shared_inbox.as_ref())
            .map(Url::to_string),
        outbox_url: json.outbox.as_ref().map(Url::to_string),
        followers_url: json.followers.as_ref().map(Url::to_string),
        public_key_pem: json.public_key.public_key_pem.clone(),
        manually_approves_followers: json.manually_approves_followers,
        openness: match json.openness.as_deref() {
            Some("moderated") => Openness::Moderated,
            Some("invite_only") => Openness::InviteOnly,
            _ => Openness::Open,
        },
        avatar: image::theirs(json.icon.as_ref()),
        banner: image::theirs(json.image.as_ref()),
    })
}

#[async_trait::async_trait]
impl Object for ApActor {
    type DataType = AppContext;
    type Kind = Actor;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        // Local actors are never refetched; remote ones after the library's interval.
        if self.model.is_local() {
            None
        } else {
            Some(
                self.model
                    .last_refreshed_at
                    .unwrap_or(self.model.updated_at),
            )
        }
    }

    async fn read_from_id(object_id: Url, data: &Data<AppContext>) -> Result<Option<Self>> {
        match backend::actors::remote::find_by_ap_id(&data.db, object_id.as_str()).await? {
            Some(model) if !model.suspended => Ok(Some(Self::new(model)?)),
            _ => Ok(None),
        }
    }

    async fn into_json(self, data: &Data<AppContext>) -> Result<Actor> {
        let model = crate::keys::ensure(data.app_data(), self.model).await?;
        to_json(data.app_data(), &model).await
    }

    async fn verify(json: &Actor, expected_domain: &Url, _data: &Data<AppContext>) -> Result<()> {
        crate::origin::verify_same_origin(&json.id, expected_domain)?;
        crate::origin::verify_same_origin(&json.id, &json.inbox)?;
        Ok(())
    }

    async fn from_json(json: Actor, data: &Data<AppContext>) -> Result<Self> {
        let remote = to_remote(&json)?;
        let model = backend::actors::remote::receive(data.app_data(), remote).await?;
        Self::new(model)
    }
}

impl ApActorTrait for ApActor {
    fn public_key_pem(&self) -> &str {
        self.model.public_key_pem.as_deref().unwrap_or_default()
    }

    fn private_key_pem(&self) -> Option<String> {
        self.model.private_key_pem.clone()
    }

    fn inbox(&self) -> Url {
        self.inbox.clone()
    }

    fn shared_inbox(&self) -> Option<Url> {
        self.shared_inbox.clone()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;

    #[test]
    fn an_actor_without_preferred_username_is_named_after_its_id() {
        let json: Actor = serde_json::from_value(serde_json::json!({
            "type": "Person",
            "id": "http://localhost:2909/emily",
            "inbox": "http://localhost:2909/emily/inbox",
            "publicKey": {
                "id": "http://localhost:2909/emily#main",
                "owner": "http://localhost:2909/emily",
                "publicKeyPem": "-----BEGIN PUBLIC KEY-----"
            }
        }))
        .unwrap();
        let remote = to_remote(&json).unwrap();
        assert_eq!(remote.preferred_username, "emily");
        assert_eq!(remote.domain, "localhost:2909");
    }
}
