//! Our group posts as `Article`s in Mobilizon's shape, from the group to its followers: a
//! public post to the public (its followers in `cc`), an unlisted one to its followers (the
//! public in `cc`). And what a remote `Article` gives a post here.

use backend::AppContext;
use entity::post::{self, PostVisibility};
use sea_orm::ConnectionTrait;
use url::Url;

use crate::error::Result;
use crate::protocol::PUBLIC;
use crate::protocol::article::{Article, ArticleType};
use crate::protocol::image::ImageType;

/// The `Article` of a post written here.
pub async fn to_article(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    post: &post::Model,
) -> Result<Article> {
    let group = backend::actors::find(conn, post.group_id).await?;
    let author = backend::actors::find(conn, post.author_id).await?;
    let public = Url::parse(PUBLIC)?;
    let followers: Vec<Url> = group
        .followers_url
        .as_deref()
        .and_then(|u| Url::parse(u).ok())
        .into_iter()
        .collect();
    let (to, cc) = match post.visibility {
        PostVisibility::Public => (vec![public], followers),
        PostVisibility::Unlisted | PostVisibility::Private => (followers, vec![public]),
    };
    let picture = crate::objects::image::ours(
        ctx,
        conn,
        post.picture_media_id,
        ImageType::Document,
        Some("Banner"),
    )
    .await?;
    let id = Url::parse(&post.ap_id)?;
    Ok(Article {
        kind: ArticleType::Article,
        id: id.clone(),
        attributed_to: Some(Url::parse(&group.ap_id)?),
        actor: Some(Url::parse(&author.ap_id)?),
        url: Some(id),
        name: Some(post.title.clone()),
        content: Some(post.body.clone()),
        media_type: Some("text/html".to_owned()),
        published: Some(post.publish_at.unwrap_or(post.created_at).fixed_offset()),
        updated: (post.updated_at > post.created_at).then(|| post.updated_at.fixed_offset()),
        to,
        cc,
        draft: Some(post.draft),
        attachment: picture.into_iter().collect(),
    })
}

/// The visibility of a remote `Article`: public when addressed to the public in `to`,
/// unlisted when only in `cc`, members only otherwise (as Mobilizon reads its audience).
pub fn visibility_of(article: &Article) -> PostVisibility {
    let public = |u: &Url| u.as_str() == PUBLIC || u.as_str() == "as:Public";
    if article.to.iter().any(public) {
        PostVisibility::Public
    } else if article.cc.iter().any(public) {
        PostVisibility::Unlisted
    } else {
        PostVisibility::Private
    }
}
