//! One discussion's page (`/@{group}/c/{slug}`, Mobilizon's address): its comments, a page at
//! a time, and the forms that answer, rename, delete, and edit or delete a comment.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use backend::discussions::{self, CommentRef, DiscussionRef, Reply, policy};
use backend::pagination::Page;
use entity::{actor, discussion};
use serde::Deserialize;

use super::{PER_PAGE, discussion_of, login_first, path_of, without_tags};
use crate::pages::comments::paragraphs;
use crate::pages::event::ActorLink;
use crate::pages::form::{Button, Form};
use crate::pages::i18n::{t, with};
use crate::pages::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;
pub struct CommentView {
    pub uuid: String,
    pub author: ActorLink,
    pub when: String,
    /// Sanitized HTML; empty for a tombstone.
    pub text: String,
    /// The text as typed, for the edit form.
    pub source: String,
    pub deleted: bool,
    pub edited: bool,
    pub can_edit: bool,
    pub can_delete: bool,
}

#[derive(Template)]
#[template(path = "discussion.html")]
struct DiscussionPage {
    frame: Frame,
    path: String,
    handle: String,
    group_name: String,
    comments: Vec<CommentView>,
    can_manage: bool,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((segment, slug)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
) -> Response {
    if let Some(to_login) = login_first(&visitor, &format!("/{segment}/c/{slug}")) {
        return to_login;
    }
    match build_page(&state, &visitor, &segment, &slug, query.page).await {
        Ok(page) => render(&visitor, StatusCode::OK, &page),
        Err(err) => error_page(visitor, &err),
    }
}

async fn build_page(
    state: &AppState,
    visitor: &Visitor,
    segment: &str,
    slug: &str,
    page_number: Option<i64>,
) -> backend::Result<DiscussionPage> {
    let db = &state.ctx.db;
    let locale = visitor.locale;
    let principal = visitor.principal();
    let (group, discussion) = discussion_of(state, visitor, segment, slug).await?;
    let page = Page::new(page_number, Some(PER_PAGE as i64))?;
    let listed = discussions::comments_of(db, &discussion, page).await?;
    let authors = backend::actors::find_many(
        db,
        &listed
            .elements
            .iter()
            .map(|c| c.actor_id)
            .collect::<Vec<_>>(),
    )
    .await?;
    let role = backend::groups::membership_of(db, &principal, group.id)
        .await?
        .map(|m| m.role);
    let mine = principal.actor_ids(db).await?;
    let comments = listed
        .elements
        .iter()
        .map(|c| {
            let author = mine.contains(&c.actor_id);
            let deleted = c.deleted_at.is_some();
            CommentView {
                uuid: c.uuid.clone(),
                author: authors.get(&c.actor_id).map_or_else(unknown, ActorLink::of),
                when: locale.format_datetime(&c.published_at.fixed_offset()),
                text: c.text.clone(),
                source: typed(&c.text),
                deleted,
                edited: c.updated_at > c.published_at && !deleted,
                can_edit: !deleted && policy::can_edit_comment(role, author),
                can_delete: !deleted && policy::can_delete_comment(role, author),
            }
        })
        .collect();
    let path = path_of(&group, &discussion);
    let shown_to = page.offset() + page.limit;
    Ok(DiscussionPage {
        frame: Frame {
            title: discussion.title.clone(),
            visitor: visitor.clone(),
            notice: None,
        },
        previous: (page.page > 1).then(|| format!("{path}?page={}", page.page - 1)),
        next: (shown_to < listed.total).then(|| format!("{path}?page={}", page.page + 1)),
        path,
        handle: backend::actors::handle(&group),
        group_name: backend::actors::display_name(&group),
        comments,
        can_manage: policy::can_manage(role, mine.contains(&discussion.creator_id)),
    })
}

fn unknown() -> ActorLink {
    ActorLink {
        name: "?".to_owned(),
        page: None,
        avatar: None,
    }
}

#[derive(Deserialize)]
pub struct TextForm {
    #[serde(default)]
    text: String,
}

pub async fn answer(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((segment, slug)): Path<(String, String)>,
    Form(form): Form<TextForm>,
) -> Response {
    if let Some(to_login) = login_first(&visitor, &format!("/{segment}/c/{slug}")) {
        return to_login;
    }
    let result = async {
        let (group, discussion) = discussion_of(&state, &visitor, &segment, &slug).await?;
        let reply = Reply {
            discussion: DiscussionRef::Id(discussion.id),
            text: paragraphs(&form.text),
            remote: None,
        };
        let (discussion, comment) =
            discussions::reply(&state.ctx, &visitor.principal(), reply).await?;
        last_page_of(&state, &group, &discussion, &comment.uuid).await
    }
    .await;
    match result {
        Ok(to) => see_other(&visitor, &to),
        Err(err) => error_page(visitor, &err),
    }
}

/// Where a new comment shows: the discussion's last page, at the comment.
async fn last_page_of(
    state: &AppState,
    group: &actor::Model,
    discussion: &discussion::Model,
    uuid: &str,
) -> backend::Result<String> {
    let total = discussions::comments_of(&state.ctx.db, discussion, Page::new(Some(1), Some(0))?)
        .await?
        .total;
    let pages = total.div_ceil(PER_PAGE).max(1);
    let path = path_of(group, discussion);
    Ok(if pages > 1 {
        format!("{path}?page={pages}#comment-{uuid}")
    } else {
        format!("{path}#comment-{uuid}")
    })
}

#[derive(Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    title: String,
}

pub async fn rename(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((segment, slug)): Path<(String, String)>,
    Form(form): Form<RenameForm>,
) -> Response {
    let result = async {
        let (group, discussion) = discussion_of(&state, &visitor, &segment, &slug).await?;
        let which = DiscussionRef::Id(discussion.id);
        let renamed =
            discussions::rename(&state.ctx, &visitor.principal(), which, &form.title).await?;
        Ok::<_, backend::Error>(path_of(&group, &renamed))
    }
    .await;
    match result {
        Ok(to) => see_other(&visitor, &to),
        Err(err) => error_page(visitor, &err),
    }
}

/// "Delete «Title»?", for those who may.
pub async fn delete_confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((segment, slug)): Path<(String, String)>,
) -> Response {
    if let Some(to_login) = login_first(&visitor, &format!("/{segment}/c/{slug}")) {
        return to_login;
    }
    let locale = visitor.locale;
    let (group, discussion) = match discussion_of(&state, &visitor, &segment, &slug).await {
        Ok(found) => found,
        Err(err) => return error_page(visitor, &err),
    };
    let path = path_of(&group, &discussion);
    crate::pages::confirm::page(
        visitor,
        crate::pages::confirm::Confirmation {
            title: t(locale, "discussion-delete"),
            question: with(
                locale,
                "confirm-delete-discussion-question",
                "title",
                discussion.title.clone(),
            ),
            consequences: vec![t(locale, "confirm-delete-discussion-after")],
            action: format!("{path}/delete"),
            confirm: t(locale, "confirm-delete-discussion-button"),
            back: path,
            back_label: t(locale, "confirm-back"),
        },
    )
}

pub async fn delete(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((segment, slug)): Path<(String, String)>,
    _: Form<Button>,
) -> Response {
    let result = async {
        let (group, discussion) = discussion_of(&state, &visitor, &segment, &slug).await?;
        let which = DiscussionRef::Id(discussion.id);
        discussions::delete(&state.ctx, &visitor.principal(), which).await?;
        Ok::<_, backend::Error>(format!("/@{}/discussions", backend::actors::handle(&group)))
    }
    .await;
    match result {
        Ok(to) => see_other(&visitor, &to),
        Err(err) => error_page(visitor, &err),
    }
}

/// The comment of `…/comments/{uuid}/…`, when it is in that discussion.
async fn comment_in(
    state: &AppState,
    discussion: &discussion::Model,
    uuid: &str,
) -> backend::Result<CommentRef> {
    let comment = discussions::find_comment(&state.ctx.db, uuid).await?;
    if comment.discussion_id != discussion.id {
        return Err(backend::Error::not_found("comment"));
    }
    Ok(CommentRef::Uuid(comment.uuid))
}

pub async fn edit_comment(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((segment, slug, uuid)): Path<(String, String, String)>,
    Form(form): Form<TextForm>,
) -> Response {
    let result = async {
        let (group, discussion) = discussion_of(&state, &visitor, &segment, &slug).await?;
        let which = comment_in(&state, &discussion, &uuid).await?;
        let text = paragraphs(&form.text);
        let edited =
            discussions::update_comment(&state.ctx, &visitor.principal(), which, &text).await?;
        Ok::<_, backend::Error>(format!(
            "{}#comment-{}",
            path_of(&group, &discussion),
            edited.uuid
        ))
    }
    .await;
    match result {
        Ok(to) => see_other(&visitor, &to),
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn delete_comment(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((segment, slug, uuid)): Path<(String, String, String)>,
    _: Form<Button>,
) -> Response {
    let result = async {
        let (group, discussion) = discussion_of(&state, &visitor, &segment, &slug).await?;
        let which = comment_in(&state, &discussion, &uuid).await?;
        let deleted = discussions::delete_comment(&state.ctx, &visitor.principal(), which).await?;
        Ok::<_, backend::Error>(format!(
            "{}#comment-{}",
            path_of(&group, &discussion),
            deleted.comment().uuid
        ))
    }
    .await;
    match result {
        Ok(to) => see_other(&visitor, &to),
        Err(err) => error_page(visitor, &err),
    }
}

/// A comment kept as HTML, as the text its author typed (paragraphs apart by a blank line),
/// to edit it again.
fn typed(html: &str) -> String {
    html.split("</p>")
        .map(|p| without_tags(&p.replace("<br>", "\n"), ""))
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_is_edited_as_it_was_typed() {
        let typed_text = "Hi <b>all</b> & co\nsee you\n\nBye";
        assert_eq!(typed(&paragraphs(typed_text)), typed_text);
    }
}
