//! Writing posts: one function per use case, whoever writes. A person here writes as one of
//! their identities, for a group they moderate; a remote group's instance through the
//! `Article` it sent, which names its own address (kept, so that the same `Article` delivered
//! twice is one post).

use chrono::{DateTime, Utc};
use entity::post::{self, PostVisibility};
use entity::post_tag;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, Set,
};

use super::policy;
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result};
use crate::outbox::{self, Happened};
use crate::principal::Principal;

pub const MAX_TITLE_CHARS: usize = 200;
/// Characters of a body as written (Markdown or HTML), before it is cleaned.
pub const MAX_BODY_CHARS: usize = 50_000;

/// A post's text as given: HTML (Mobilizon's API, other instances) or Markdown (the page's
/// form, kept beside the HTML made from it so the form shows it back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Html(String),
    Markdown(String),
}

/// A post from another instance, as its `Article` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemotePost {
    pub ap_id: String,
    pub published_at: Option<DateTime<Utc>>,
    /// Its author, when known here and of the group's instance; the sender otherwise.
    pub author_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewPost {
    pub group_id: i64,
    pub title: String,
    pub body: Body,
    pub draft: bool,
    pub visibility: PostVisibility,
    pub language: Option<String>,
    pub tags: Vec<String>,
    /// One of a local person's identities; their default one when absent.
    pub identity: Option<i64>,
    /// Set for a post a remote actor sent, and only then.
    pub remote: Option<RemotePost>,
}

/// What became of a new post.
#[derive(Debug, Clone, PartialEq)]
pub enum Posted {
    New(post::Model),
    /// The same `Article` came again (a retried delivery): the post is as it was.
    Known(post::Model),
}

impl Posted {
    pub fn post(&self) -> &post::Model {
        match self {
            Posted::New(p) | Posted::Known(p) => p,
        }
    }

    pub fn into_post(self) -> post::Model {
        match self {
            Posted::New(p) | Posted::Known(p) => p,
        }
    }
}

/// Which post: ours by its uuid (the API, pages), or anyone's by its address (the inbox).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostRef {
    Uuid(String),
    ApId(String),
}

/// What changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct PostChanges {
    pub title: Option<String>,
    pub body: Option<Body>,
    pub draft: Option<bool>,
    pub visibility: Option<PostVisibility>,
    pub language: Option<String>,
    pub tags: Option<Vec<String>>,
}

/// A group's moderator writes a post for it (or a remote group's instance sends one). The
/// title and body are bounded and the body cleaned as event descriptions are; a published
/// post that is not for members only goes to the group's followers (a `Create` of an
/// `Article`).
pub async fn create(ctx: &AppContext, principal: &Principal, new: NewPost) -> Result<Posted> {
    principal.require_known()?;
    let title = clean_title(&new.title)?;
    let (body, body_source) = clean_body(&new.body)?;
    let tags = crate::events::input::tags(&new.tags)?;
    let language = clean_language(new.language.as_deref())?;
    match (principal, &new.remote) {
        (Principal::Remote { .. }, None) => {
            return Err(Error::invalid("id", "a post from elsewhere has an id"));
        }
        (Principal::Remote { .. }, Some(_)) | (_, None) => {}
        (_, Some(_)) => {
            return Err(Error::forbidden(
                "only another instance names its posts' addresses",
            ));
        }
    }
    if let Some(remote) = &new.remote
        && let Some(known) = super::find_by_ap_id(&ctx.db, &remote.ap_id).await?
    {
        return Ok(Posted::Known(known));
    }
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let group = crate::groups::find(&tx, new.group_id).await?;
    let author = match &new.remote {
        Some(remote) => remote_author(&tx, principal, &group, remote.author_id).await?,
        None => {
            let author = principal.acting_actor(&tx, new.identity).await?;
            local_writer(&tx, &author, &group).await?;
            author
        }
    };
    let uuid = uuid::Uuid::new_v4();
    let slug = slug_of(&title, &uuid);
    let uuid = uuid.to_string();
    let (ap_id, publish_at) = match &new.remote {
        Some(remote) => (
            remote.ap_id.clone(),
            (!new.draft).then(|| remote.published_at.filter(|p| *p <= now).unwrap_or(now)),
        ),
        None => (ctx.url(&format!("/p/{slug}")), (!new.draft).then_some(now)),
    };
    let row = post::ActiveModel {
        id: NotSet,
        uuid: Set(uuid),
        slug: Set(slug),
        ap_id: Set(ap_id),
        group_id: Set(group.id),
        author_id: Set(author.id),
        title: Set(title),
        body: Set(body),
        body_source: Set(body_source),
        draft: Set(new.draft),
        visibility: Set(new.visibility),
        language: Set(language),
        picture_media_id: Set(None),
        local: Set(new.remote.is_none()),
        publish_at: Set(publish_at),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await?;
    set_tags(&tx, row.id, &tags).await?;
    if row.local && policy::federates(super::facts(&row)) {
        let what = Happened::PostPublished { post_id: row.id };
        outbox::record(ctx, &tx, now, what).await?;
    }
    tx.commit().await?;
    Ok(Posted::New(row))
}

/// A group's moderator changes a post (or its group's instance sends its `Update`). Publishing
/// a draft dates it; what its followers elsewhere see follows: published, changed, or gone
/// when it becomes a draft or members-only again.
pub async fn update(
    ctx: &AppContext,
    principal: &Principal,
    which: PostRef,
    changes: PostChanges,
) -> Result<post::Model> {
    principal.require_known()?;
    let title = changes.title.as_deref().map(clean_title).transpose()?;
    let body = changes.body.as_ref().map(clean_body).transpose()?;
    let tags = changes
        .tags
        .as_deref()
        .map(crate::events::input::tags)
        .transpose()?;
    let language = match changes.language.as_deref() {
        Some(raw) => Some(clean_language(Some(raw))?),
        None => None,
    };
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let post = resolve(&tx, &which).await?;
    check_writer(&tx, principal, &post).await?;
    let before = policy::federates(super::facts(&post));
    let mut row: post::ActiveModel = post.clone().into();
    if let Some(title) = title {
        row.title = Set(title);
    }
    if let Some((html, source)) = body {
        row.body = Set(html);
        row.body_source = Set(source);
    }
    if let Some(draft) = changes.draft {
        row.draft = Set(draft);
        if !draft && post.publish_at.is_none() {
            row.publish_at = Set(Some(now));
        }
    }
    if let Some(visibility) = changes.visibility {
        row.visibility = Set(visibility);
    }
    if let Some(language) = language {
        row.language = Set(language);
    }
    row.updated_at = Set(now);
    let row = row.update(&tx).await?;
    if let Some(tags) = tags {
        set_tags(&tx, row.id, &tags).await?;
    }
    if row.local {
        let after = policy::federates(super::facts(&row));
        let what = match (before, after) {
            (false, true) => Some(Happened::PostPublished { post_id: row.id }),
            (true, true) => Some(Happened::PostUpdated { post_id: row.id }),
            (true, false) => Some(Happened::PostDeleted {
                ap_id: row.ap_id.clone(),
                group_id: row.group_id,
            }),
            (false, false) => None,
        };
        if let Some(what) = what {
            outbox::record(ctx, &tx, now, what).await?;
        }
    }
    tx.commit().await?;
    Ok(row)
}

/// A group's moderator deletes a post (or its group's instance sends its `Delete`); its
/// followers elsewhere are told when they had it.
pub async fn delete(
    ctx: &AppContext,
    principal: &Principal,
    which: PostRef,
) -> Result<post::Model> {
    principal.require_known()?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let post = resolve(&tx, &which).await?;
    check_writer(&tx, principal, &post).await?;
    post::Entity::delete_by_id(post.id).exec(&tx).await?;
    if let Some(picture) = post.picture_media_id {
        crate::media::detach(&tx, now, picture).await?;
    }
    if post.local && policy::federates(super::facts(&post)) {
        let what = Happened::PostDeleted {
            ap_id: post.ap_id.clone(),
            group_id: post.group_id,
        };
        outbox::record(ctx, &tx, now, what).await?;
    }
    tx.commit().await?;
    Ok(post)
}

async fn resolve(conn: &impl ConnectionTrait, which: &PostRef) -> Result<post::Model> {
    match which {
        PostRef::Uuid(uuid) => super::find_by_uuid(conn, uuid).await,
        PostRef::ApId(ap_id) => super::find_by_ap_id(conn, ap_id)
            .await?
            .ok_or(Error::not_found("post")),
    }
}

/// Those who may change or delete `post`: its group's moderators here, or for a remote
/// group's post, that group or an actor of its instance. Others who may see it are refused;
/// those who may not see it do not learn it exists.
pub(crate) async fn check_writer(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    post: &post::Model,
) -> Result<()> {
    let group = crate::groups::find(conn, post.group_id).await?;
    if let Principal::Remote { actor_id, .. } = principal {
        let sender = crate::actors::find(conn, *actor_id).await?;
        return check_remote(conn, &sender, &group).await;
    }
    let role = super::role_in(conn, principal, group.id).await?;
    if policy::can_write(role) && group.is_local() {
        return Ok(());
    }
    if super::visible(conn, principal, post).await? {
        Err(Error::forbidden(
            "only the group's moderators may change its posts",
        ))
    } else {
        Err(Error::not_found("post"))
    }
}

/// A local identity writes for a local group it moderates.
async fn local_writer(
    conn: &impl ConnectionTrait,
    author: &entity::actor::Model,
    group: &entity::actor::Model,
) -> Result<()> {
    if author.suspended {
        return Err(Error::forbidden("this account is suspended"));
    }
    let role = crate::groups::role_of_actor(conn, author.id, group.id).await?;
    if !group.is_local() || !policy::can_write(role) {
        return Err(Error::forbidden(
            "only the group's moderators and administrators write its posts",
        ));
    }
    Ok(())
}

/// The author of a remote post: the group's instance speaks for it, and the post is kept
/// only when someone here follows the group.
async fn remote_author(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    group: &entity::actor::Model,
    author_id: Option<i64>,
) -> Result<entity::actor::Model> {
    let sender = principal.acting_actor(conn, None).await?;
    check_remote(conn, &sender, group).await?;
    if !super::followed_here(conn, group.id).await? {
        return Err(Error::forbidden("nobody here follows this group"));
    }
    if let Some(id) = author_id.filter(|id| *id != sender.id) {
        let named = crate::actors::find(conn, id).await?;
        if named.domain == group.domain && !named.suspended {
            return Ok(named);
        }
    }
    Ok(sender)
}

async fn check_remote(
    conn: &impl ConnectionTrait,
    sender: &entity::actor::Model,
    group: &entity::actor::Model,
) -> Result<()> {
    if sender.suspended {
        return Err(Error::forbidden("this account is suspended"));
    }
    if crate::domain_blocks::lookup::is_url_blocked(conn, &sender.ap_id).await? {
        return Err(Error::forbidden("this instance is blocked here"));
    }
    let same_instance = sender.domain.is_some() && sender.domain == group.domain;
    if !policy::remote_may_write(sender.id == group.id, same_instance, group.is_local()) {
        return Err(Error::forbidden(
            "only a group's own instance speaks for its posts",
        ));
    }
    Ok(())
}

async fn set_tags(conn: &impl ConnectionTrait, post_id: i64, titles: &[String]) -> Result<()> {
    post_tag::Entity::delete_many()
        .filter(post_tag::Column::PostId.eq(post_id))
        .exec(conn)
        .await?;
    let tags = crate::events::tags::upsert(conn, titles).await?;
    if tags.is_empty() {
        return Ok(());
    }
    let links: Vec<post_tag::ActiveModel> = tags
        .iter()
        .map(|t| post_tag::ActiveModel {
            post_id: Set(post_id),
            tag_id: Set(t.id),
        })
        .collect();
    post_tag::Entity::insert_many(links)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

fn clean_title(raw: &str) -> Result<String> {
    let title = raw.trim();
    let chars = title.chars().count();
    if chars == 0 || chars > MAX_TITLE_CHARS {
        return Err(Error::invalid(
            "title",
            format!("a post's title has between 1 and {MAX_TITLE_CHARS} characters"),
        ));
    }
    if title.chars().any(char::is_control) {
        return Err(Error::invalid(
            "title",
            "control characters are not allowed",
        ));
    }
    Ok(title.to_owned())
}

/// The HTML kept (cleaned like event descriptions) and the Markdown it came from, if any.
fn clean_body(body: &Body) -> Result<(String, Option<String>)> {
    let raw = match body {
        Body::Html(html) | Body::Markdown(html) => html,
    };
    if raw.chars().count() > MAX_BODY_CHARS {
        return Err(Error::invalid(
            "body",
            format!("a post is at most {MAX_BODY_CHARS} characters long"),
        ));
    }
    let (html, source) = match body {
        Body::Html(html) => (crate::events::sanitize::description(html), None),
        Body::Markdown(source) => {
            let source = crate::events::description::normalized(source);
            (crate::events::description::to_html(&source), Some(source))
        }
    };
    if crate::events::sanitize::plain_text(&html).trim().is_empty() {
        return Err(Error::invalid("body", "a post needs some text"));
    }
    Ok((html, source))
}

/// Mobilizon's clients send "und" for no language.
fn clean_language(raw: Option<&str>) -> Result<Option<String>> {
    match raw.map(str::trim) {
        None | Some("") | Some("und") => Ok(None),
        Some(code) => crate::events::input::language(code),
    }
}

/// `/p/{slug}`: the title's words, and a part of the post's uuid that keeps it unique.
pub(crate) fn slug_of(title: &str, uuid: &uuid::Uuid) -> String {
    let folded = crate::search::fold(title);
    let mut words = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            words.push(c.to_ascii_lowercase());
        } else if !words.ends_with('-') && !words.is_empty() {
            words.push('-');
        }
        if words.len() >= 80 {
            break;
        }
    }
    let words = words.trim_end_matches('-');
    let tail: String = uuid.simple().to_string().chars().take(12).collect();
    if words.is_empty() {
        tail
    } else {
        format!("{words}-{tail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slug_keeps_the_titles_words_without_accents_and_ends_unique() {
        let uuid = uuid::Uuid::parse_str("0123456789abcdef0123456789abcdef").unwrap_or_default();
        assert_eq!(
            slug_of("Café réparé : à samedi !", &uuid),
            "cafe-repare-a-samedi-0123456789ab"
        );
        assert_eq!(slug_of("!!!", &uuid), "0123456789ab");
    }

    #[test]
    fn a_body_is_cleaned_bounded_and_not_empty() {
        let (html, source) =
            clean_body(&Body::Html("<p>Hi</p><script>x()</script>".to_owned())).unwrap_or_default();
        assert_eq!(html, "<p>Hi</p>");
        assert_eq!(source, None);
        let (html, source) =
            clean_body(&Body::Markdown("**Room 4**\r\n".to_owned())).unwrap_or_default();
        assert_eq!(html, "<p><strong>Room 4</strong></p>");
        assert_eq!(source.as_deref(), Some("**Room 4**"));
        assert!(clean_body(&Body::Html("<p> </p>".to_owned())).is_err());
        assert!(clean_body(&Body::Html("a".repeat(MAX_BODY_CHARS + 1))).is_err());
        assert!(clean_title("").is_err());
        assert!(clean_title(&"t".repeat(MAX_TITLE_CHARS + 1)).is_err());
    }
}
