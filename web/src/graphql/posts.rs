//! Group posts with Mobilizon's names: `post(slug)`, `createPost`, `updatePost`,
//! `deletePost`, the `Post` type and `Group.posts` (whose field in `groups.rs` calls
//! [`of_group`]). A post's `id` is its uuid, as Mobilizon's.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, ID, Object, SimpleObject};
use backend::posts::{self, Body, NewPost, PostChanges, PostRef};
use chrono::{DateTime, Utc};
use entity::post::PostVisibility;
use entity::tag;
use sea_orm::DatabaseConnection;

use super::errors::{GqlResult, IntoGql, invalid, to_gql};
use super::loaders;
use super::media::{self, MediaInput};
use super::objects::{Actor, DeletedObject, Media, Post, Tag, page};
use super::{app, parse_id, principal};

/// Mobilizon's `PaginatedPostList`.
#[derive(SimpleObject)]
pub struct PaginatedPostList {
    pub total: u64,
    pub elements: Vec<Post>,
}

/// A group's posts as the caller may list them.
pub async fn of_group(
    ctx: &Context<'_>,
    group_id: i64,
    page_number: Option<i64>,
    limit: Option<i64>,
) -> GqlResult<PaginatedPostList> {
    let list = posts::of_group(
        &app(ctx)?.db,
        &principal(ctx),
        group_id,
        page(page_number, limit)?,
    )
    .await
    .gql()?;
    Ok(PaginatedPostList {
        total: list.total,
        elements: list.elements.into_iter().map(Post).collect(),
    })
}

/// The tags of each post of a list, in one query.
pub struct PostTagLoader(pub DatabaseConnection);

impl Loader<i64> for PostTagLoader {
    type Value = Vec<tag::Model>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Vec<tag::Model>>, Self::Error> {
        posts::tags_of(&self.0, keys).await.map_err(to_gql)
    }
}

pub fn loader(db: &DatabaseConnection) -> DataLoader<PostTagLoader> {
    DataLoader::new(PostTagLoader(db.clone()), tokio::spawn)
}

#[Object]
impl Post {
    async fn id(&self) -> ID {
        ID::from(self.0.uuid.as_str())
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Sanitized HTML.
    async fn body(&self) -> &str {
        &self.0.body
    }

    async fn url(&self) -> &str {
        &self.0.ap_id
    }

    async fn draft(&self) -> bool {
        self.0.draft
    }

    async fn local(&self) -> bool {
        self.0.local
    }

    async fn author(&self, ctx: &Context<'_>) -> GqlResult<Option<Actor>> {
        Ok(loaders::actor(ctx, self.0.author_id)
            .await?
            .map(Actor::from))
    }

    async fn attributed_to(&self, ctx: &Context<'_>) -> GqlResult<Option<Actor>> {
        Ok(loaders::actor(ctx, self.0.group_id).await?.map(Actor::from))
    }

    async fn visibility(&self) -> PostVisibility {
        self.0.visibility
    }

    /// When it was published; none for a draft.
    async fn publish_at(&self) -> Option<DateTime<Utc>> {
        self.0.publish_at
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    async fn language(&self) -> &str {
        self.0.language.as_deref().unwrap_or("und")
    }

    async fn tags(&self, ctx: &Context<'_>) -> GqlResult<Vec<Tag>> {
        Ok(ctx
            .data::<DataLoader<PostTagLoader>>()?
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Tag)
            .collect())
    }

    async fn picture(&self, ctx: &Context<'_>) -> GqlResult<Option<Media>> {
        media::by_id(ctx, self.0.picture_media_id).await
    }
}

#[derive(Default)]
pub struct PostQuery;

#[Object]
impl PostQuery {
    /// A post by its slug, when the caller may see it.
    async fn post(&self, ctx: &Context<'_>, slug: String) -> GqlResult<Post> {
        let row = posts::find_visible_by_slug(&app(ctx)?.db, &principal(ctx), &slug)
            .await
            .gql()?;
        Ok(Post(row))
    }
}

#[derive(Default)]
pub struct PostMutation;

/// Tags as Mobilizon's clients send them (a list whose items may be null).
fn tag_list(tags: Vec<Option<String>>) -> Vec<String> {
    tags.into_iter().flatten().collect()
}

/// Posts are published when saved: a date to publish later is not acted on, so refused.
fn no_schedule(publish_at: Option<DateTime<Utc>>) -> GqlResult<()> {
    match publish_at {
        None => Ok(()),
        Some(_) => Err(invalid(
            "publishAt",
            "posts are published when saved; publishing later is not offered",
        )),
    }
}

/// Sets the picture of a saved post; a picture that cannot be used is an error beside the
/// answer, and the post stays saved without it.
async fn with_picture(
    ctx: &Context<'_>,
    row: entity::post::Model,
    picture: Option<MediaInput>,
) -> GqlResult<entity::post::Model> {
    if picture.is_none() {
        return Ok(row);
    }
    media::attach_to_post(ctx, &row.uuid, picture).await;
    posts::find(&app(ctx)?.db, row.id).await.gql()
}

#[Object]
impl PostMutation {
    #[allow(clippy::too_many_arguments)]
    async fn create_post(
        &self,
        ctx: &Context<'_>,
        attributed_to_id: ID,
        title: String,
        body: String,
        // Nullable with a default, as Mobilizon's: its client sends null for "not said".
        #[graphql(default_with = "Some(false)")] draft: Option<bool>,
        visibility: Option<PostVisibility>,
        publish_at: Option<DateTime<Utc>>,
        #[graphql(default_with = "Some(\"und\".to_owned())")] language: Option<String>,
        #[graphql(default_with = "Some(Vec::new())")] tags: Option<Vec<Option<String>>>,
        picture: Option<MediaInput>,
    ) -> GqlResult<Post> {
        no_schedule(publish_at)?;
        let new = NewPost {
            group_id: parse_id(&attributed_to_id, "attributedToId")?,
            title,
            body: Body::Html(body),
            draft: draft.unwrap_or(false),
            visibility: visibility.unwrap_or(PostVisibility::Public),
            language,
            tags: tag_list(tags.unwrap_or_default()),
            identity: None,
            remote: None,
        };
        let row = posts::create(app(ctx)?, &principal(ctx), new)
            .await
            .gql()?
            .into_post();
        Ok(Post(with_picture(ctx, row, picture).await?))
    }

    #[allow(clippy::too_many_arguments)]
    async fn update_post(
        &self,
        ctx: &Context<'_>,
        id: ID,
        title: Option<String>,
        body: Option<String>,
        attributed_to_id: Option<ID>,
        draft: Option<bool>,
        visibility: Option<PostVisibility>,
        // Mobilizon's clients send "und" on every edit: it leaves the language as it is.
        #[graphql(default_with = "Some(\"und\".to_owned())")] language: Option<String>,
        publish_at: Option<DateTime<Utc>>,
        tags: Option<Vec<Option<String>>>,
        picture: Option<MediaInput>,
    ) -> GqlResult<Post> {
        no_schedule(publish_at)?;
        let db = &app(ctx)?.db;
        let current = posts::find_by_uuid(db, id.as_str()).await.gql()?;
        if let Some(group) = &attributed_to_id
            && parse_id(group, "attributedToId")? != current.group_id
        {
            return Err(invalid(
                "attributedToId",
                "a post stays with the group it was written for",
            ));
        }
        let changes = PostChanges {
            title,
            body: body.map(Body::Html),
            draft,
            visibility,
            language: language.filter(|l| l.trim() != "und"),
            tags: tags.map(tag_list),
        };
        let row = posts::update(
            app(ctx)?,
            &principal(ctx),
            PostRef::Uuid(current.uuid),
            changes,
        )
        .await
        .gql()?;
        Ok(Post(with_picture(ctx, row, picture).await?))
    }

    async fn delete_post(&self, ctx: &Context<'_>, id: ID) -> GqlResult<DeletedObject> {
        let deleted = posts::delete(app(ctx)?, &principal(ctx), PostRef::Uuid(id.to_string()))
            .await
            .gql()?;
        Ok(DeletedObject {
            id: Some(ID::from(deleted.uuid)),
        })
    }
}
