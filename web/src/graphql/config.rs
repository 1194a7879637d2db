//! What the instance tells clients about itself (Mobilizon's `config` query).

use async_graphql::{Context, Object, SimpleObject};

use super::app;
use super::errors::GqlResult;

#[derive(SimpleObject)]
pub struct Config {
    name: String,
    description: String,
    registrations_open: bool,
    /// Languages the instance speaks.
    languages: Vec<String>,
    version: String,
    federating: bool,
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
        })
    }
}
