//! Group posts on pages, without JavaScript: a post at `/p/{slug}` (Mobilizon's address), the
//! form that writes one for a group (`/@{group}/posts/new`) or edits it (`/p/{slug}/edit`), and
//! the confirmation before deleting it. Rules are `backend::posts`'; this module shows what
//! they allow and calls them. The group page's list of posts is built in `groups`.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use backend::posts::{self, Body, NewPost, PostChanges, PostRef};
use entity::MemberRole;
use entity::post::{self as post_entity, PostVisibility};
use serde::Deserialize;

use super::form::{Button, Form, FormWithFiles};
use super::form_problems::Problems;
use super::i18n::{t, with};
use super::pictures::{self, Asked, Picture, Shown};
use super::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/p/{slug}", get(show))
        .route("/p/{slug}/edit", get(edit_form).post(edit))
        .route("/p/{slug}/delete", get(delete_confirm).post(delete))
        .route("/{handle}/posts/new", get(new_form).post(create))
}

/// A post as the group page lists it.
pub struct PostCard {
    pub url: String,
    pub title: String,
    pub when: String,
    /// "Draft", "Members only": what only members see about it.
    pub marks: Vec<String>,
}

impl PostCard {
    pub fn of(locale: backend::i18n::Locale, post: &post_entity::Model) -> Self {
        Self {
            url: format!("/p/{}", post.slug),
            title: post.title.clone(),
            when: when(locale, post),
            marks: marks(locale, post),
        }
    }
}

fn when(locale: backend::i18n::Locale, post: &post_entity::Model) -> String {
    locale.format_datetime(&post.publish_at.unwrap_or(post.created_at).fixed_offset())
}

fn marks(locale: backend::i18n::Locale, post: &post_entity::Model) -> Vec<String> {
    let mut marks = Vec::new();
    if post.draft {
        marks.push(t(locale, "post-draft"));
    }
    match post.visibility {
        PostVisibility::Private => marks.push(t(locale, "post-members-only")),
        PostVisibility::Unlisted => marks.push(t(locale, "post-unlisted")),
        PostVisibility::Public => {}
    }
    marks
}

#[derive(Template)]
#[template(path = "post.html")]
struct PostPage {
    frame: Frame,
    slug: String,
    body: String,
    author: String,
    group_name: String,
    group_handle: String,
    when: String,
    marks: Vec<String>,
    picture: Option<Picture>,
    can_edit: bool,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    // The same address serves peers the post's `Article`, as Mobilizon's does.
    if state.ctx.settings.federation.enabled && federation::negotiate::wants_activity_json(&headers)
    {
        let mut response = federation::post_json(&state.ctx, &slug)
            .await
            .unwrap_or_else(axum::response::IntoResponse::into_response);
        super::vary_on_accept(&mut response);
        return response;
    }
    let mut response = match build(&state, &visitor, &slug).await {
        Ok(page) => render(&visitor, StatusCode::OK, &page),
        Err(err) => error_page(visitor, &err),
    };
    super::vary_on_accept(&mut response);
    response
}

async fn build(state: &AppState, visitor: &Visitor, slug: &str) -> backend::Result<PostPage> {
    let db = &state.ctx.db;
    let locale = visitor.locale;
    let principal = visitor.principal();
    let post = posts::find_visible_by_slug(db, &principal, slug).await?;
    let group = backend::actors::find(db, post.group_id).await?;
    let author = backend::actors::find(db, post.author_id).await?;
    let role = backend::groups::membership_of(db, &principal, group.id)
        .await?
        .map(|m| m.role);
    let pictures =
        backend::media::find_many(db, &post.picture_media_id.into_iter().collect::<Vec<_>>())
            .await?;
    Ok(PostPage {
        frame: Frame {
            title: post.title.clone(),
            visitor: visitor.clone(),
            notice: None,
        },
        slug: post.slug.clone(),
        body: backend::events::description::linked(&post.body),
        author: backend::actors::display_name(&author),
        group_name: backend::actors::display_name(&group),
        group_handle: backend::actors::handle(&group),
        when: when(locale, &post),
        marks: marks(locale, &post),
        picture: Picture::of_id(&pictures, post.picture_media_id, Shown::Banner, true),
        can_edit: group.is_local() && posts::policy::can_write(role),
    })
}

#[derive(Template)]
#[template(path = "post_form.html")]
struct PostFormPage {
    frame: Frame,
    action: String,
    submit: String,
    problems: Problems,
    problems_title: String,
    f: PostFields,
    picture: Option<Picture>,
}

/// The form's fields as typed (and shown back when something was wrong).
#[derive(Deserialize, Default)]
pub struct PostFields {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    draft: Option<String>,
    #[serde(default)]
    picture_alt: String,
    #[serde(default)]
    remove_picture: Option<String>,
}

impl PostFields {
    fn visibility(&self) -> PostVisibility {
        match self.visibility.as_str() {
            "private" => PostVisibility::Private,
            "unlisted" => PostVisibility::Unlisted,
            _ => PostVisibility::Public,
        }
    }

    fn draft(&self) -> bool {
        self.draft.is_some()
    }

    fn of(post: &post_entity::Model) -> Self {
        Self {
            title: post.title.clone(),
            body: post
                .body_source
                .clone()
                .unwrap_or_else(|| backend::events::description::source_of_html(&post.body)),
            visibility: match post.visibility {
                PostVisibility::Public => "public",
                PostVisibility::Unlisted => "unlisted",
                PostVisibility::Private => "private",
            }
            .to_owned(),
            draft: post.draft.then(|| "on".to_owned()),
            picture_alt: String::new(),
            remove_picture: None,
        }
    }
}

/// The form's field for each field the backend names.
fn field_of(api: &str) -> Option<&'static str> {
    match api {
        "title" => Some("post_title"),
        "body" => Some("post_body"),
        "picture" | "file" | "name" => Some("picture"),
        "picture_alt" | "alt" => Some("picture_alt"),
        _ => None,
    }
}

const FIELDS: [&str; 4] = ["post_title", "post_body", "picture", "picture_alt"];

fn form_page(
    visitor: &Visitor,
    title: String,
    action: String,
    f: PostFields,
    problems: Problems,
    picture: Option<Picture>,
) -> Response {
    let locale = visitor.locale;
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PostFormPage {
        frame: Frame {
            title: title.clone(),
            visitor: visitor.clone(),
            notice: None,
        },
        action,
        submit: title,
        problems_title: super::i18n::count(
            locale,
            "form-errors-title",
            problems.all().len() as u64,
        ),
        problems: problems.sorted(&FIELDS),
        f,
        picture,
    };
    render(visitor, status, &page)
}

/// The group of `/@name/posts/new`, when the visitor may write for it.
async fn writable_group(
    state: &AppState,
    visitor: &Visitor,
    segment: &str,
) -> backend::Result<entity::actor::Model> {
    let group = super::groups::find_actor(state, segment).await?;
    let role = backend::groups::membership_of(&state.ctx.db, &visitor.principal(), group.id)
        .await?
        .map(|m| m.role);
    if group.kind != entity::ActorKind::Group
        || !group.is_local()
        || !posts::policy::can_write(role)
    {
        return Err(backend::Error::forbidden(
            "only the group's moderators and administrators write its posts",
        ));
    }
    Ok(group)
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
) -> Response {
    if visitor.session.is_none() {
        return see_other(&visitor, &format!("/login?next=/{segment}/posts/new"));
    }
    if let Err(err) = writable_group(&state, &visitor, &segment).await {
        return error_page(visitor, &err);
    }
    let f = PostFields {
        visibility: "public".to_owned(),
        ..PostFields::default()
    };
    let title = t(visitor.locale, "post-write");
    form_page(
        &visitor,
        title,
        format!("/{segment}/posts/new"),
        f,
        Problems::default(),
        None,
    )
}

/// What the picture fields ask for; a picture without a description is a problem.
fn picture_asked(
    locale: backend::i18n::Locale,
    files: &mut super::form::Files,
    f: &PostFields,
    problems: &mut Problems,
) -> Asked {
    match pictures::asked(
        files.take("picture"),
        &f.picture_alt,
        f.remove_picture.is_some(),
        "picture_alt",
        t(locale, "form-picture-alt-needed"),
    ) {
        Ok(asked) => asked,
        Err(_) => {
            problems.add("picture_alt", t(locale, "form-picture-alt-needed"));
            Asked::Keep
        }
    }
}

/// Once the post is saved, its picture; a refused picture leaves the post saved without it
/// and says why on the post's form.
async fn then_picture(
    state: &AppState,
    visitor: &Visitor,
    post: &post_entity::Model,
    asked: Asked,
    f: PostFields,
) -> Response {
    let principal = visitor.principal();
    let uuid = match asked {
        Asked::Keep => None,
        Asked::Remove => Some(None),
        Asked::Replace { file, alt } => {
            match pictures::upload(
                &state.ctx,
                &principal,
                file,
                alt,
                entity::MediaPurpose::Picture,
            )
            .await
            {
                Ok(uuid) => Some(Some(uuid)),
                Err(err) => {
                    let mut problems = Problems::default();
                    let reason = pictures::refusal(visitor.locale, &err);
                    problems.add(
                        "picture",
                        with(visitor.locale, "post-picture-not-saved", "reason", reason),
                    );
                    let title = t(visitor.locale, "post-edit");
                    let action = format!("/p/{}/edit", post.slug);
                    return form_page(visitor, title, action, f, problems, None);
                }
            }
        }
    };
    if let Some(uuid) = uuid
        && let Err(err) =
            backend::media::set_post_picture(&state.ctx, &principal, &post.uuid, uuid.as_deref())
                .await
    {
        return error_page(visitor.clone(), &err);
    }
    see_other(visitor, &format!("/p/{}", post.slug))
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    FormWithFiles(f, mut files): FormWithFiles<PostFields>,
) -> Response {
    if visitor.session.is_none() {
        return see_other(&visitor, "/login");
    }
    let locale = visitor.locale;
    let group = match writable_group(&state, &visitor, &segment).await {
        Ok(group) => group,
        Err(err) => return error_page(visitor, &err),
    };
    let mut problems = Problems::default();
    let asked = picture_asked(locale, &mut files, &f, &mut problems);
    let title = t(locale, "post-write");
    let action = format!("/{segment}/posts/new");
    if !problems.is_empty() {
        return form_page(&visitor, title, action, f, problems, None);
    }
    let new = NewPost {
        group_id: group.id,
        title: f.title.clone(),
        body: Body::Markdown(f.body.clone()),
        draft: f.draft(),
        visibility: f.visibility(),
        language: None,
        tags: Vec::new(),
        identity: None,
        remote: None,
    };
    match posts::create(&state.ctx, &visitor.principal(), new).await {
        Ok(posted) => then_picture(&state, &visitor, posted.post(), asked, f).await,
        Err(err @ backend::Error::Invalid(_)) => {
            problems.add_backend(locale, &err, field_of);
            form_page(&visitor, title, action, f, problems, None)
        }
        Err(err) => error_page(visitor, &err),
    }
}

/// The post of `/p/{slug}/…` when the visitor may change it.
async fn writable_post(
    state: &AppState,
    visitor: &Visitor,
    slug: &str,
) -> backend::Result<post_entity::Model> {
    let principal = visitor.principal();
    let post = posts::find_visible_by_slug(&state.ctx.db, &principal, slug).await?;
    let role = backend::groups::membership_of(&state.ctx.db, &principal, post.group_id)
        .await?
        .map(|m| m.role);
    if !post.local || !posts::policy::can_write(role) {
        return Err(backend::Error::forbidden(
            "only the group's moderators may change its posts",
        ));
    }
    Ok(post)
}

async fn current_picture(
    state: &AppState,
    post: &post_entity::Model,
) -> backend::Result<Option<Picture>> {
    let Some(id) = post.picture_media_id else {
        return Ok(None);
    };
    Ok(backend::media::find_by_id(&state.ctx.db, id)
        .await?
        .and_then(|m| Picture::of(&m, Shown::Card, true)))
}

pub async fn edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Response {
    if visitor.session.is_none() {
        return see_other(&visitor, &format!("/login?next=/p/{slug}/edit"));
    }
    let post = match writable_post(&state, &visitor, &slug).await {
        Ok(post) => post,
        Err(err) => return error_page(visitor, &err),
    };
    let picture = match current_picture(&state, &post).await {
        Ok(picture) => picture,
        Err(err) => return error_page(visitor, &err),
    };
    let title = t(visitor.locale, "post-edit");
    form_page(
        &visitor,
        title,
        format!("/p/{}/edit", post.slug),
        PostFields::of(&post),
        Problems::default(),
        picture,
    )
}

pub async fn edit(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    FormWithFiles(f, mut files): FormWithFiles<PostFields>,
) -> Response {
    if visitor.session.is_none() {
        return see_other(&visitor, "/login");
    }
    let locale = visitor.locale;
    let post = match writable_post(&state, &visitor, &slug).await {
        Ok(post) => post,
        Err(err) => return error_page(visitor, &err),
    };
    let mut problems = Problems::default();
    let asked = picture_asked(locale, &mut files, &f, &mut problems);
    let title = t(locale, "post-edit");
    let action = format!("/p/{}/edit", post.slug);
    if !problems.is_empty() {
        return form_page(&visitor, title, action, f, problems, None);
    }
    let changes = PostChanges {
        title: Some(f.title.clone()),
        body: Some(Body::Markdown(f.body.clone())),
        draft: Some(f.draft()),
        visibility: Some(f.visibility()),
        language: None,
        tags: None,
    };
    let which = PostRef::Uuid(post.uuid.clone());
    match posts::update(&state.ctx, &visitor.principal(), which, changes).await {
        Ok(post) => then_picture(&state, &visitor, &post, asked, f).await,
        Err(err @ backend::Error::Invalid(_)) => {
            problems.add_backend(locale, &err, field_of);
            form_page(&visitor, title, action, f, problems, None)
        }
        Err(err) => error_page(visitor, &err),
    }
}

/// "Delete «Title»?", for those who may.
pub async fn delete_confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Response {
    let locale = visitor.locale;
    let post = match writable_post(&state, &visitor, &slug).await {
        Ok(post) => post,
        Err(err) => return error_page(visitor, &err),
    };
    super::confirm::page(
        visitor,
        super::confirm::Confirmation {
            title: t(locale, "post-delete"),
            question: with(
                locale,
                "confirm-delete-post-question",
                "title",
                post.title.clone(),
            ),
            consequences: vec![t(locale, "confirm-delete-post-after")],
            action: format!("/p/{}/delete", post.slug),
            confirm: t(locale, "confirm-delete-post-button"),
            back: format!("/p/{}", post.slug),
            back_label: t(locale, "confirm-back"),
        },
    )
}

pub async fn delete(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    _: Form<Button>,
) -> Response {
    let principal = visitor.principal();
    let result = async {
        let post = posts::find_visible_by_slug(&state.ctx.db, &principal, &slug).await?;
        let group = backend::actors::find(&state.ctx.db, post.group_id).await?;
        posts::delete(&state.ctx, &principal, PostRef::Uuid(post.uuid)).await?;
        Ok::<_, backend::Error>(group)
    }
    .await;
    match result {
        Ok(group) => see_other(&visitor, &format!("/@{}", backend::actors::handle(&group))),
        Err(err) => error_page(visitor, &err),
    }
}

/// Whether a member with `role` sees the group page's "Write a post".
pub fn may_write(role: Option<MemberRole>) -> bool {
    posts::policy::can_write(role)
}
