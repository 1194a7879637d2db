//! What the instance tells clients about itself (Mobilizon's `config` query).

use async_graphql::{Context, ID, Object, SimpleObject};

use super::app;
use super::errors::{GqlResult, IntoGql};

#[derive(SimpleObject)]
pub struct Config {
    name: String,
    description: String,
    registrations_open: bool,
    /// Languages the instance speaks.
    languages: Vec<String>,
    version: String,
    federating: bool,
    anonymous: AnonymousConfig,
    /// Largest uploads, in bytes.
    upload_limits: super::media::UploadLimits,
}

/// How people take part without an account (Mobilizon's `config.anonymous`).
#[derive(SimpleObject)]
pub struct AnonymousConfig {
    /// The actor that anonymous participations are made as; Mobilizon clients send it as
    /// `joinEvent(actorId)`.
    actor_id: ID,
    participation: AnonymousParticipationConfig,
}

#[derive(SimpleObject)]
pub struct AnonymousParticipationConfig {
    /// Events may allow it one by one (`options.anonymousParticipation`).
    allowed: bool,
    /// A confirmation mail is always required.
    email_confirmation_required: bool,
}

#[derive(Default)]
pub struct ConfigQuery;

#[Object]
impl ConfigQuery {
    async fn config(&self, ctx: &Context<'_>) -> GqlResult<Config> {
        let app = app(ctx)?;
        let settings = &app.settings;
        Ok(Config {
            name: settings.instance.name.clone(),
            description: settings.instance.description.clone(),
            registrations_open: settings.instance.registrations_open,
            languages: backend::i18n::Locale::all_codes()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            federating: settings.federation.enabled,
            upload_limits: super::media::upload_limits(&settings.media),
            anonymous: AnonymousConfig {
                actor_id: ID::from(
                    backend::actors::system::anonymous(&app.db)
                        .await
                        .gql()?
                        .id
                        .to_string(),
                ),
                participation: AnonymousParticipationConfig {
                    allowed: true,
                    email_confirmation_required: true,
                },
            },
        })
    }
}
