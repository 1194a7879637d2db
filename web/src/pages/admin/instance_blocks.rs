//! Blocking and unblocking another instance from `/admin/instances`. The block form there
//! leads to a page saying what the block takes away (`domain_blocks::preview`, checked as the
//! block is, so a refusal is said beside the form's fields before anything is asked); only
//! that page's red button blocks (`domain_blocks::block`, as GraphQL's `blockDomain`).

use axum::extract::{Query, State};
use axum::response::Response;
use backend::domain_blocks;
use serde::Deserialize;

use super::super::confirm::{self, Confirmation, Fields};
use super::super::form::Form;
use super::super::i18n::{count, t, with};
use super::super::{Visitor, see_other};
use super::instances::{Typed, refused_form};
use super::refused;
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct BlockForm {
    #[serde(default)]
    domain: String,
    #[serde(default)]
    reason: String,
}

impl BlockForm {
    fn reason(&self) -> Option<&str> {
        Some(self.reason.as_str()).filter(|r| !r.trim().is_empty())
    }

    /// A refusal of the form, beside its fields on the instances page.
    async fn refused(self, state: &AppState, visitor: Visitor, err: backend::Error) -> Response {
        let typed = Typed {
            block_domain: self.domain,
            block_reason: self.reason,
            ..Typed::default()
        };
        let field = |api: &str| match api {
            "reason" => Some("block_reason"),
            _ => Some("block_domain"),
        };
        refused_form(state, visitor, err, field, typed).await
    }
}

/// "Block far.example?": what goes, with the red button and a way back.
pub async fn confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(form): Query<BlockForm>,
) -> Response {
    let locale = visitor.locale;
    let principal = visitor.principal();
    let preview =
        match domain_blocks::preview(&state.ctx, &principal, &form.domain, form.reason()).await {
            Ok(preview) => preview,
            Err(err) => return form.refused(&state, visitor, err).await,
        };
    let consequences = vec![
        t(locale, "admin-block-cut"),
        count(locale, "admin-block-follows", preview.follows),
        count(locale, "admin-block-actors", preview.actors),
        count(locale, "admin-block-events", preview.events),
        t(locale, "admin-block-undo"),
    ];
    let question = with(
        locale,
        "admin-block-question",
        "domain",
        preview.domain.clone(),
    );
    confirm::page_with_fields(
        visitor,
        Confirmation {
            title: t(locale, "admin-instances-block-title"),
            question,
            consequences,
            action: "/admin/instances/block".to_owned(),
            confirm: t(locale, "admin-instances-block"),
            back: "/admin/instances#blocks".to_owned(),
            back_label: t(locale, "admin-block-back"),
        },
        t(locale, "admin-instances-block-reason"),
        Fields {
            reason: preview.reason.unwrap_or_default(),
            hidden: vec![("domain".to_owned(), preview.domain)],
        },
    )
}

/// The confirmation page's red button.
pub async fn block(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<BlockForm>,
) -> Response {
    let principal = visitor.principal();
    match domain_blocks::block(&state.ctx, &principal, &form.domain, form.reason()).await {
        Ok(_) => see_other(&visitor, "/admin/instances?done=blocked"),
        Err(err) => form.refused(&state, visitor, err).await,
    }
}

#[derive(Deserialize)]
pub struct UnblockForm {
    #[serde(default)]
    domain: String,
}

pub async fn unblock(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<UnblockForm>,
) -> Response {
    match domain_blocks::unblock(&state.ctx, &visitor.principal(), &form.domain).await {
        Ok(()) => see_other(&visitor, "/admin/instances?done=unblocked"),
        Err(err) => refused(visitor, "/admin/instances", &err),
    }
}
