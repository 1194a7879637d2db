//! `Create` / `Update` of an `Article`: a group's post. One from a group someone here follows
//! becomes a post of that group through `backend::posts::create` (its `Update` through
//! `backend::posts::update`), the same functions moderators here use, as the sender's
//! `Principal::Remote`; backend decides whether the sender speaks for the group. And our own,
//! of the posts written here, from the group to its followers.

use activitypub_federation::config::Data;
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use backend::posts::{Body, NewPost, PostChanges, PostRef, RemotePost};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use super::create_or_update::CreateOrUpdateType;
use crate::error::{Error, Result};
use crate::objects::actor::ApActor;
use crate::objects::post::visibility_of;
use crate::protocol::article::Article;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CreateOrUpdateArticle {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: CreateOrUpdateType,
    pub actor: Url,
    /// Written, not read: who receives it is the sender's business.
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Url>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<Url>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<Utc>>,
    pub object: Article,
}

impl CreateOrUpdateArticle {
    /// The group's `Create` or `Update` of one of its posts written here, sent at `now`.
    pub fn new(
        kind: CreateOrUpdateType,
        group: &entity::actor::Model,
        object: Article,
        now: DateTime<Utc>,
    ) -> Result<Self> {
        Ok(Self {
            id: Url::parse(&format!("{}/activity/{}", object.id, uuid::Uuid::new_v4()))?,
            kind,
            actor: Url::parse(&group.ap_id)?,
            to: object.to.clone(),
            cc: object.cc.clone(),
            published: Some(now),
            object,
        })
    }
}

/// The post's author when it is of the group's instance (fetched when we hold none); `None`
/// leaves the sender as its author.
async fn author_of(data: &Data<AppContext>, article: &Article, group: &Url) -> Option<i64> {
    let author = article.actor.as_ref()?;
    crate::origin::verify_same_origin(author, group).ok()?;
    match ObjectId::<ApActor>::from(author.clone())
        .dereference(data)
        .await
    {
        Ok(actor) => Some(actor.model.id),
        Err(err) => {
            tracing::info!(author = %author, error = %err, "a post's author could not be fetched");
            None
        }
    }
}

#[async_trait::async_trait]
impl Activity for CreateOrUpdateArticle {
    type DataType = AppContext;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data<AppContext>) -> Result<()> {
        // The post, its group and the sender are of one instance.
        let group = self
            .object
            .attributed_to
            .as_ref()
            .ok_or_else(|| Error::Malformed("an article without its group".to_owned()))?;
        crate::origin::verify_same_origin(&self.object.id, &self.actor)?;
        crate::origin::verify_same_origin(group, &self.actor)
    }

    async fn receive(self, data: &Data<AppContext>) -> Result<()> {
        let article = &self.object;
        let Some(group_url) = &article.attributed_to else {
            return Err(Error::Malformed("an article without its group".to_owned()));
        };
        // Only the posts of groups we hold (someone here follows them) are kept.
        let Some(group) =
            backend::actors::remote::find_by_ap_id(&data.db, group_url.as_str()).await?
        else {
            tracing::debug!(id = %article.id, "ignoring an article of a group nobody here follows");
            return Ok(());
        };
        let principal = super::senders::sender(data, &self.actor, &self.id).await?;
        let ctx = data.app_data();
        let title = article.name.clone().unwrap_or_default();
        let body = Body::Html(article.content.clone().unwrap_or_default());
        let draft = article.draft.unwrap_or(false);
        let visibility = visibility_of(article);
        let existing = backend::posts::find_by_ap_id(&data.db, article.id.as_str()).await?;
        if existing.is_some() {
            let changes = PostChanges {
                title: Some(title),
                body: Some(body),
                draft: Some(draft),
                visibility: Some(visibility),
                ..Default::default()
            };
            let which = PostRef::ApId(article.id.to_string());
            backend::posts::update(ctx, &principal, which, changes).await?;
            tracing::info!(ap_id = %article.id, "remote post updated");
            return Ok(());
        }
        let author_id = author_of(data, article, group_url).await;
        let new = NewPost {
            group_id: group.id,
            title,
            body,
            draft,
            visibility,
            language: None,
            tags: Vec::new(),
            identity: None,
            remote: Some(RemotePost {
                ap_id: article.id.to_string(),
                published_at: article.published.map(|p| p.to_utc()),
                author_id,
            }),
        };
        let posted = backend::posts::create(ctx, &principal, new).await?;
        tracing::info!(ap_id = %article.id, post_id = posted.post().id, "remote post stored");
        Ok(())
    }
}
