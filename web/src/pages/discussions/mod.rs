//! A group's discussions on pages, without JavaScript: the list at `/@{group}/discussions`
//! with the form that starts one and the member's mail setting (here), a discussion at
//! `/@{group}/c/{slug}` (Mobilizon's address) with its comments and the forms that answer,
//! rename, delete, and edit or delete a comment ([`thread`]). Rules are
//! `backend::discussions`'; these modules show what they allow and call them.

mod thread;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use backend::discussions::{self, DiscussionRef, NewDiscussion};
use backend::pagination::Page;
use entity::{ActorKind, actor, discussion};
use serde::Deserialize;

use super::comments::paragraphs;
use super::form::Form;
use super::i18n::{count, with};
use super::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;
use thread::{answer, delete, delete_comment, delete_confirm, edit_comment, rename, show};

/// Comments shown on one page of a discussion.
pub(super) const PER_PAGE: u64 = 50;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{handle}/discussions", get(list).post(start))
        .route("/{handle}/discussions/mail", post(set_mail))
        .route("/{handle}/c/{slug}", get(show).post(answer))
        .route("/{handle}/c/{slug}/rename", post(rename))
        .route(
            "/{handle}/c/{slug}/delete",
            get(delete_confirm).post(delete),
        )
        .route(
            "/{handle}/c/{slug}/comments/{uuid}/edit",
            post(edit_comment),
        )
        .route(
            "/{handle}/c/{slug}/comments/{uuid}/delete",
            post(delete_comment),
        )
}

/// The group of `/@name/…`; `not_found` for a person.
async fn group_of(state: &AppState, segment: &str) -> backend::Result<actor::Model> {
    let group = super::groups::find_actor(state, segment).await?;
    if group.kind != ActorKind::Group {
        return Err(backend::Error::not_found("group"));
    }
    Ok(group)
}

/// The discussion of `/@name/c/{slug}`, when the visitor is a member of that group.
async fn discussion_of(
    state: &AppState,
    visitor: &Visitor,
    segment: &str,
    slug: &str,
) -> backend::Result<(actor::Model, discussion::Model)> {
    let group = group_of(state, segment).await?;
    let which = DiscussionRef::Slug(slug.to_owned());
    let discussion = discussions::find_visible(&state.ctx.db, &visitor.principal(), &which).await?;
    if discussion.group_id != group.id {
        return Err(backend::Error::not_found("discussion"));
    }
    Ok((group, discussion))
}

fn path_of(group: &actor::Model, discussion: &discussion::Model) -> String {
    format!("/@{}/c/{}", backend::actors::handle(group), discussion.slug)
}

/// Anonymous visitors log in first, and come back.
pub(super) fn login_first(visitor: &Visitor, to: &str) -> Option<Response> {
    visitor
        .session
        .is_none()
        .then(|| see_other(visitor, &format!("/login?next={to}")))
}

pub struct DiscussionCard {
    pub url: String,
    pub title: String,
    /// "meg · 7 Dec 2026, 16:00": who wrote last, and when.
    pub last: String,
    /// The last comment's first words.
    pub excerpt: String,
}

#[derive(Template)]
#[template(path = "discussions.html")]
struct ListPage {
    frame: Frame,
    handle: String,
    group_name: String,
    cards: Vec<DiscussionCard>,
    total: String,
    mail_wanted: bool,
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
) -> Response {
    if let Some(to_login) = login_first(&visitor, &format!("/{segment}/discussions")) {
        return to_login;
    }
    match build_list(&state, &visitor, &segment).await {
        Ok(page) => render(&visitor, StatusCode::OK, &page),
        Err(err) => error_page(visitor, &err),
    }
}

async fn build_list(
    state: &AppState,
    visitor: &Visitor,
    segment: &str,
) -> backend::Result<ListPage> {
    let db = &state.ctx.db;
    let locale = visitor.locale;
    let principal = visitor.principal();
    let group = group_of(state, segment).await?;
    if !discussions::takes_part(db, &principal, group.id).await? {
        return Err(backend::Error::forbidden(
            "only the group's members take part in its discussions",
        ));
    }
    let listed =
        discussions::of_group(db, &principal, group.id, Page::new(Some(1), Some(100))?).await?;
    let ids: Vec<i64> = listed.elements.iter().map(|d| d.id).collect();
    let last = discussions::last_comments(db, &ids).await?;
    let authors =
        backend::actors::find_many(db, &last.values().map(|c| c.actor_id).collect::<Vec<_>>())
            .await?;
    let cards = listed
        .elements
        .iter()
        .map(|d| {
            let latest = last.get(&d.id);
            let who = latest
                .and_then(|c| authors.get(&c.actor_id))
                .map(backend::actors::display_name)
                .unwrap_or_default();
            DiscussionCard {
                url: path_of(&group, d),
                title: d.title.clone(),
                last: format!(
                    "{who} · {}",
                    locale.format_datetime(&d.updated_at.fixed_offset())
                ),
                excerpt: latest.map(|c| excerpt(&c.text)).unwrap_or_default(),
            }
        })
        .collect();
    let name = backend::actors::display_name(&group);
    Ok(ListPage {
        frame: Frame {
            title: with(locale, "discussions-of", "group", name.clone()),
            visitor: visitor.clone(),
            notice: None,
        },
        handle: backend::actors::handle(&group),
        group_name: name,
        cards,
        total: count(locale, "discussions-count", listed.total),
        mail_wanted: discussions::notices::mail_wanted(db, &principal, group.id).await?,
    })
}

/// The first words of a comment kept as HTML, as plain text.
fn excerpt(html: &str) -> String {
    let text = without_tags(html, " ");
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut short: String = words.join(" ").chars().take(140).collect();
    if short.chars().count() == 140 {
        short.push('…');
    }
    short
}

/// The text between tags (each tag replaced by `gap`), the cleaner's entities back to
/// characters (the template escapes them once, as it shows them).
fn without_tags(html: &str, gap: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push_str(gap);
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
}

pub async fn start(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    Form(form): Form<StartForm>,
) -> Response {
    if let Some(to_login) = login_first(&visitor, &format!("/{segment}/discussions")) {
        return to_login;
    }
    let result = async {
        let group = group_of(&state, &segment).await?;
        let new = NewDiscussion {
            group_id: group.id,
            title: form.title,
            text: paragraphs(&form.text),
        };
        let (discussion, _) = discussions::create(&state.ctx, &visitor.principal(), new).await?;
        Ok::<_, backend::Error>(path_of(&group, &discussion))
    }
    .await;
    match result {
        Ok(to) => see_other(&visitor, &to),
        Err(err) => error_page(visitor, &err),
    }
}

#[derive(Deserialize)]
pub struct MailForm {
    /// "on" to get mail, anything else (or nothing) for none.
    #[serde(default)]
    wanted: String,
}

pub async fn set_mail(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    Form(form): Form<MailForm>,
) -> Response {
    let result = async {
        let group = group_of(&state, &segment).await?;
        let wanted = form.wanted == "on";
        discussions::notices::set_mail(&state.ctx, &visitor.principal(), group.id, wanted).await
    }
    .await;
    match result {
        Ok(_) => see_other(&visitor, &format!("/{segment}/discussions")),
        Err(err) => error_page(visitor, &err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_the_plain_start_of_a_comment() {
        assert_eq!(
            excerpt("<p>Rock &amp; roll</p><p>at <strong>8</strong></p>"),
            "Rock & roll at 8"
        );
        let long = format!("<p>{}</p>", "word ".repeat(100));
        assert!(excerpt(&long).ends_with('…'));
        assert_eq!(excerpt(&long).chars().count(), 141);
    }
}
