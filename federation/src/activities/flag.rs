//! `Flag`: a report between instances, as Mobilizon sends it: from the reporting instance's
//! actor, its objects the reported actor's address then those of the events and comments it
//! names, its content plain text. A `Flag` we receive becomes a report here through the same
//! `backend::reports::create` as a report made here (the reporter is the sending instance's
//! actor); ours leaves when a reporter here agreed to forward a report about another
//! instance's actor.

use activitypub_federation::config::Data;
use activitypub_federation::kinds::activity::FlagType;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use backend::reports::{MAX_COMMENTS, MAX_CONTENT_CHARS, MAX_EVENTS, NewReport};
use entity::{actor, comment, event, report};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};

/// Objects a `Flag` may name: the reported actor, its events and its comments.
const MAX_OBJECTS: usize = 1 + MAX_EVENTS + MAX_COMMENTS;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: FlagType,
    pub actor: Url,
    #[serde(default, deserialize_with = "crate::protocol::one_or_many")]
    pub object: Vec<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Written, not read: who receives it is the sender's business.
    #[serde(default, skip_deserializing)]
    pub to: Vec<Url>,
    #[serde(default, skip_deserializing)]
    pub cc: Vec<Url>,
}

impl Flag {
    /// A report made here, sent by our instance actor to the reported actor's instance.
    pub fn forward(
        report: &report::Model,
        relay: &actor::Model,
        reported: &actor::Model,
        events: &[event::Model],
        comments: &[comment::Model],
    ) -> Result<Self> {
        let reported_url = Url::parse(&reported.ap_id)?;
        let mut object = vec![reported_url.clone()];
        for c in comments {
            object.push(Url::parse(&c.ap_id)?);
        }
        for e in events {
            object.push(Url::parse(&e.ap_id)?);
        }
        Ok(Self {
            id: Url::parse(&report.ap_id)?,
            kind: FlagType::Flag,
            actor: Url::parse(&relay.ap_id)?,
            object,
            content: report.content.clone(),
            media_type: Some("text/plain".to_owned()),
            to: Vec::new(),
            cc: vec![reported_url],
        })
    }
}

#[async_trait::async_trait]
impl Activity for Flag {
    type DataType = AppContext;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data<AppContext>) -> Result<()> {
        if self.object.is_empty() || self.object.len() > MAX_OBJECTS {
            return Err(Error::Malformed(format!(
                "a Flag names between 1 and {MAX_OBJECTS} objects"
            )));
        }
        if self.id.host_str() != self.actor.host_str() {
            return Err(Error::Rejected(
                "a Flag's id is on its sender's instance".to_owned(),
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &Data<AppContext>) -> Result<()> {
        let ctx = data.app_data();
        // Only what we already hold counts: a Flag makes us fetch nothing.
        let mut reported = None;
        let mut event_ids = Vec::new();
        let mut comment_ids = Vec::new();
        for url in &self.object {
            let url = url.as_str();
            if reported.is_none()
                && let Some(actor) = backend::actors::remote::find_by_ap_id(&ctx.db, url).await?
            {
                reported = Some(actor);
                continue;
            }
            if let Some(event) = backend::events::federated::find_by_ap_id(&ctx.db, url).await? {
                event_ids.push(event.id);
            } else if let Some(comment) = backend::comments::find_by_ap_id(&ctx.db, url).await? {
                comment_ids.push(comment.id);
            }
        }
        let Some(reported) = reported else {
            tracing::info!(flag = %self.id, "a Flag about nobody we know: ignored");
            return Ok(());
        };
        let content = self
            .content
            .as_deref()
            .map(backend::events::sanitize::plain_text)
            .map(|c| c.chars().take(MAX_CONTENT_CHARS).collect::<String>());
        let principal = super::senders::sender(data, &self.actor, &self.id).await?;
        let new = NewReport {
            reported_actor_id: reported.id,
            event_ids,
            comment_ids,
            content,
            forward: false,
            identity: None,
            email: None,
            flag_id: Some(self.id.to_string()),
        };
        let client = backend::rate_limits::Client::Local;
        let filed = backend::reports::create(ctx, &principal, &client, new).await?;
        tracing::info!(report = filed.report().id, flag = %self.id, "a report from another instance");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_mobilizon_flag_parses_with_its_objects_and_content() {
        let flag: Flag = serde_json::from_value(serde_json::json!({
            "type": "Flag",
            "actor": "https://mobilizon.example/relay",
            "id": "https://mobilizon.example/report/3f2a",
            "content": "Spam",
            "mediaType": "text/plain",
            "object": ["https://convive.example/@spammer", "https://convive.example/comments/1"],
            "to": [],
            "cc": ["https://convive.example/@spammer"]
        }))
        .expect("a Flag");
        assert_eq!(flag.object.len(), 2);
        assert_eq!(flag.content.as_deref(), Some("Spam"));
        let mastodon: Flag = serde_json::from_value(serde_json::json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": "https://mastodon.example/0f3e",
            "type": "Flag",
            "actor": "https://mastodon.example/actor",
            "content": "",
            "object": "https://convive.example/@spammer"
        }))
        .expect("Mastodon's Flag, one object");
        assert_eq!(mastodon.object.len(), 1);
    }
}
