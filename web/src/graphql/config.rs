//! What the instance tells clients about itself (Mobilizon's `config` query). Every field
//! gives this instance's true value; a capability Convive does not have (maps, geocoding,
//! web push, analytics, OAuth, LDAP, the global search, anonymous event creation) says so
//! with `false`, an empty list or `null`, never with an invented value.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use backend::about::DocumentKind;
use backend::events::categories;

use super::app;
use super::errors::{GqlResult, IntoGql};
use super::objects::Media;

/// The instance as clients see it.
pub struct Config;

#[derive(SimpleObject)]
pub struct EventCategoryOption {
    /// The category's GraphQL name (`BOOK_CLUBS`).
    id: String,
    label: String,
}

#[derive(SimpleObject)]
pub struct Lonlat {
    longitude: f64,
    latitude: f64,
}

#[derive(SimpleObject)]
pub struct Geocoding {
    /// `addok`, `photon` or `nominatim` (the administrator's server), `geonames` (the towns
    /// Convive carries).
    provider: Option<String>,
    autocomplete: bool,
}

#[derive(SimpleObject)]
pub struct Maps {
    tiles: Tiles,
    routing: Routing,
}

/// No tile server: pages load nothing from another origin, so no map is drawn.
#[derive(SimpleObject)]
pub struct Tiles {
    endpoint: Option<String>,
    attribution: Option<String>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "RoutingType")]
pub enum RoutingType {
    Openstreetmap,
    GoogleMaps,
}

#[derive(SimpleObject)]
pub struct Routing {
    #[graphql(name = "type")]
    kind: Option<RoutingType>,
}

/// How people take part without an account (Mobilizon's `config.anonymous`).
#[derive(SimpleObject)]
#[graphql(name = "Anonymous")]
pub struct AnonymousConfig {
    /// The actor that anonymous participations are made as; Mobilizon clients send it as
    /// `joinEvent(actorId)`.
    actor_id: ID,
    participation: AnonymousParticipationConfig,
    event_creation: AnonymousEventCreation,
    reports: AnonymousReports,
}

#[derive(SimpleObject)]
#[graphql(name = "AnonymousParticipation")]
pub struct AnonymousParticipationConfig {
    /// Events may allow it one by one (`options.anonymousParticipation`).
    allowed: bool,
    validation: AnonymousParticipationValidation,
}

#[derive(SimpleObject)]
pub struct AnonymousParticipationValidation {
    email: AnonymousParticipationValidationEmail,
    captcha: AnonymousParticipationValidationCaptcha,
}

#[derive(SimpleObject)]
pub struct AnonymousParticipationValidationEmail {
    enabled: bool,
    /// A confirmation mail is always required.
    confirmation_required: bool,
}

#[derive(SimpleObject)]
pub struct AnonymousParticipationValidationCaptcha {
    enabled: bool,
}

/// Events are created with an account only.
#[derive(SimpleObject)]
pub struct AnonymousEventCreation {
    allowed: bool,
    validation: AnonymousEventCreationValidation,
}

#[derive(SimpleObject)]
pub struct AnonymousEventCreationValidation {
    email: AnonymousEventCreationValidationEmail,
    captcha: AnonymousEventCreationValidationCaptcha,
}

#[derive(SimpleObject)]
pub struct AnonymousEventCreationValidationEmail {
    enabled: bool,
    confirmation_required: bool,
}

#[derive(SimpleObject)]
pub struct AnonymousEventCreationValidationCaptcha {
    enabled: bool,
}

/// Whether visitors without an account may report (`instance.anonymous_reports`).
#[derive(SimpleObject)]
pub struct AnonymousReports {
    allowed: bool,
}

#[derive(SimpleObject)]
pub struct ResourceProvider {
    #[graphql(name = "type")]
    kind: String,
    endpoint: String,
    software: String,
}

#[derive(SimpleObject)]
pub struct Features {
    groups: bool,
    event_creation: bool,
    /// Events may send people elsewhere to register (`externalParticipationUrl`).
    event_external: bool,
    antispam: bool,
}

#[derive(SimpleObject)]
pub struct Restrictions {
    only_admin_can_create_groups: bool,
    only_groups_can_create_events: bool,
}

#[derive(SimpleObject)]
pub struct Auth {
    ldap: bool,
    database_login: bool,
    oauth_providers: Vec<OauthProvider>,
}

#[derive(SimpleObject)]
pub struct OauthProvider {
    id: String,
    label: String,
}

/// The instance's calendars of all its public events (`/feed/instance/ics`, `…/atom`).
#[derive(SimpleObject)]
pub struct InstanceFeeds {
    enabled: bool,
}

#[derive(SimpleObject)]
pub struct WebPush {
    enabled: bool,
    public_key: Option<String>,
}

#[derive(SimpleObject)]
pub struct ExportFormats {
    /// The formats of `exportEventParticipants`.
    event_participants: Vec<String>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "AnalyticsConfigurationType")]
pub enum AnalyticsConfigurationType {
    String,
    Integer,
    Boolean,
    Float,
}

#[derive(SimpleObject)]
pub struct AnalyticsConfiguration {
    key: String,
    value: String,
    #[graphql(name = "type")]
    kind: AnalyticsConfigurationType,
}

#[derive(SimpleObject)]
pub struct Analytics {
    id: String,
    enabled: bool,
    configuration: Vec<AnalyticsConfiguration>,
}

#[derive(SimpleObject)]
#[graphql(name = "SearchSettings")]
pub struct SearchSettings {
    global: GlobalSearchSettings,
}

/// Mobilizon's search across instances (search.joinmobilizon.org); searches here cover this
/// instance and what it federates with.
#[derive(SimpleObject)]
pub struct GlobalSearchSettings {
    is_enabled: bool,
    is_default: bool,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "InstanceTermsType")]
pub enum InstanceTermsType {
    Url,
    Default,
    Custom,
}

#[derive(SimpleObject)]
pub struct Terms {
    url: Option<String>,
    #[graphql(name = "type")]
    kind: Option<InstanceTermsType>,
    body_html: Option<String>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "InstancePrivacyType")]
pub enum InstancePrivacyType {
    Url,
    Default,
    Custom,
}

#[derive(SimpleObject)]
pub struct Privacy {
    url: Option<String>,
    #[graphql(name = "type")]
    kind: Option<InstancePrivacyType>,
    body_html: Option<String>,
}

#[Object]
impl Config {
    async fn name(&self, ctx: &Context<'_>) -> GqlResult<String> {
        Ok(app(ctx)?.instance().await.gql()?.name.clone())
    }

    async fn description(&self, ctx: &Context<'_>) -> GqlResult<String> {
        Ok(app(ctx)?.instance().await.gql()?.description.clone())
    }

    /// Sanitized HTML, as an administrator wrote it (`saveAdminSettings`).
    async fn long_description(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        Ok(about(ctx).await?.long_description)
    }

    async fn slogan(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        Ok(about(ctx).await?.slogan)
    }

    /// The instance's contact address, when set (by administrators, else
    /// `instance.contact_email`).
    async fn contact(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        Ok(app(ctx)?.instance().await.gql()?.contact_email.clone())
    }

    /// Languages the instance speaks, its default first.
    async fn languages(&self, ctx: &Context<'_>) -> GqlResult<Vec<String>> {
        Ok(app(ctx)?.instance().await.gql()?.languages())
    }

    async fn event_categories(&self) -> Vec<EventCategoryOption> {
        categories::CATEGORIES
            .iter()
            .map(|id| EventCategoryOption {
                id: (*id).to_owned(),
                label: categories::label(id),
            })
            .collect()
    }

    /// Whether anyone may sign up (maybe to wait for a moderator's approval).
    async fn registrations_open(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        let app = app(ctx)?;
        let rules = backend::users::registration::rules(app, &app.db)
            .await
            .gql()?;
        Ok(rules.open_to_all())
    }

    /// Whether, registrations being closed to others, some domains and addresses may.
    async fn registrations_allowlist(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        let app = app(ctx)?;
        let rules = backend::users::registration::rules(app, &app.db)
            .await
            .gql()?;
        Ok(rules.mode == backend::users::registration::RegistrationMode::Allowlist)
    }

    /// Convive: who may register.
    async fn registration_mode(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<super::user_admin::RegistrationMode> {
        let app = app(ctx)?;
        let rules = backend::users::registration::rules(app, &app.db)
            .await
            .gql()?;
        Ok(rules.mode.into())
    }

    async fn demo_mode(&self) -> bool {
        false
    }

    /// Whether long events are told apart (`instance.duration_of_long_event` above 0).
    async fn long_events(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        Ok(app(ctx)?.settings.instance.duration_of_long_event > 0)
    }

    /// In whole days: events lasting longer are long events.
    async fn duration_of_long_event(&self, ctx: &Context<'_>) -> GqlResult<i64> {
        Ok(i64::from(
            app(ctx)?.settings.instance.duration_of_long_event,
        ))
    }

    async fn country_code(&self) -> Option<String> {
        None
    }

    /// Where the visitor is: never guessed here (no address is looked up).
    async fn location(&self) -> Option<Lonlat> {
        None
    }

    /// Addresses are looked up (`searchAddress`) by the administrator's server, or else by
    /// the towns Convive carries (`geonames`); either answers while people type.
    async fn geocoding(&self, ctx: &Context<'_>) -> GqlResult<Geocoding> {
        let provider = match app(ctx)?.settings.geocoding.server() {
            Some((backend::settings::GeocoderKind::Addok, _)) => "addok",
            Some((backend::settings::GeocoderKind::Photon, _)) => "photon",
            Some((backend::settings::GeocoderKind::Nominatim, _)) => "nominatim",
            None => "geonames",
        };
        Ok(Geocoding {
            provider: Some(provider.to_owned()),
            autocomplete: true,
        })
    }

    async fn maps(&self) -> Maps {
        Maps {
            tiles: Tiles {
                endpoint: None,
                attribution: None,
            },
            routing: Routing { kind: None },
        }
    }

    async fn anonymous(&self, ctx: &Context<'_>) -> GqlResult<AnonymousConfig> {
        let actor = backend::actors::system::anonymous(&app(ctx)?.db)
            .await
            .gql()?;
        Ok(AnonymousConfig {
            actor_id: ID::from(actor.id.to_string()),
            participation: AnonymousParticipationConfig {
                allowed: true,
                validation: AnonymousParticipationValidation {
                    email: AnonymousParticipationValidationEmail {
                        enabled: true,
                        confirmation_required: true,
                    },
                    captcha: AnonymousParticipationValidationCaptcha { enabled: false },
                },
            },
            event_creation: AnonymousEventCreation {
                allowed: false,
                validation: AnonymousEventCreationValidation {
                    email: AnonymousEventCreationValidationEmail {
                        enabled: false,
                        confirmation_required: false,
                    },
                    captcha: AnonymousEventCreationValidationCaptcha { enabled: false },
                },
            },
            reports: AnonymousReports {
                allowed: app(ctx)?.settings.instance.anonymous_reports,
            },
        })
    }

    async fn resource_providers(&self) -> Vec<ResourceProvider> {
        Vec::new()
    }

    /// Largest uploads, in bytes.
    async fn upload_limits(&self, ctx: &Context<'_>) -> GqlResult<super::media::UploadLimits> {
        Ok(super::media::upload_limits(&app(ctx)?.settings.media))
    }

    /// The time zones events and accounts may use (IANA names).
    async fn timezones(&self) -> Vec<&'static str> {
        chrono_tz::TZ_VARIANTS
            .iter()
            .map(|zone| zone.name())
            .collect()
    }

    async fn features(&self) -> Features {
        Features {
            groups: true,
            event_creation: true,
            event_external: true,
            antispam: false,
        }
    }

    async fn restrictions(&self) -> Restrictions {
        Restrictions {
            only_admin_can_create_groups: false,
            only_groups_can_create_events: false,
        }
    }

    async fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    async fn federating(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        Ok(app(ctx)?.settings.federation.enabled)
    }

    /// The terms of service, when an administrator published some (here or at an address).
    async fn terms(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "locale",
            desc = "Ignored: the terms are in the language their administrator wrote them in."
        )]
        _locale: Option<String>,
    ) -> GqlResult<Option<Terms>> {
        let terms = about(ctx).await?.terms;
        Ok(terms.is_published().then(|| Terms {
            kind: Some(document_kind(terms.kind)),
            url: terms.url,
            body_html: terms.body,
        }))
    }

    /// The privacy policy, when an administrator published one.
    async fn privacy(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "locale",
            desc = "Ignored: the policy is in the language its administrator wrote it in."
        )]
        _locale: Option<String>,
    ) -> GqlResult<Option<Privacy>> {
        let privacy = about(ctx).await?.privacy;
        Ok(privacy.is_published().then(|| Privacy {
            kind: Some(privacy_kind(privacy.kind)),
            url: privacy.url,
            body_html: privacy.body,
        }))
    }

    /// Sanitized HTML.
    async fn rules(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        Ok(about(ctx).await?.rules)
    }

    async fn instance_logo(&self) -> Option<Media> {
        None
    }

    async fn default_picture(&self) -> Option<Media> {
        None
    }

    /// For clients' themes, as an administrator chose it (`#rrggbb`).
    async fn primary_color(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        Ok(about(ctx).await?.primary_color)
    }

    async fn secondary_color(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        Ok(about(ctx).await?.secondary_color)
    }

    async fn auth(&self) -> Auth {
        Auth {
            ldap: false,
            database_login: true,
            oauth_providers: Vec::new(),
        }
    }

    async fn instance_feeds(&self) -> InstanceFeeds {
        InstanceFeeds { enabled: true }
    }

    async fn web_push(&self) -> WebPush {
        WebPush {
            enabled: false,
            public_key: None,
        }
    }

    async fn export_formats(&self) -> ExportFormats {
        ExportFormats {
            event_participants: backend::participations::export::ExportFormat::ALL
                .iter()
                .map(|f| f.extension().to_owned())
                .collect(),
        }
    }

    async fn analytics(&self) -> Vec<Analytics> {
        Vec::new()
    }

    async fn search(&self) -> SearchSettings {
        SearchSettings {
            global: GlobalSearchSettings {
                is_enabled: false,
                is_default: false,
            },
        }
    }
}

/// What the administrators said about the instance.
async fn about(ctx: &Context<'_>) -> GqlResult<backend::about::About> {
    backend::about::get(&app(ctx)?.db).await.gql()
}

pub fn document_kind(kind: DocumentKind) -> InstanceTermsType {
    match kind {
        DocumentKind::Default => InstanceTermsType::Default,
        DocumentKind::Url => InstanceTermsType::Url,
        DocumentKind::Custom => InstanceTermsType::Custom,
    }
}

pub fn privacy_kind(kind: DocumentKind) -> InstancePrivacyType {
    match kind {
        DocumentKind::Default => InstancePrivacyType::Default,
        DocumentKind::Url => InstancePrivacyType::Url,
        DocumentKind::Custom => InstancePrivacyType::Custom,
    }
}

#[derive(Default)]
pub struct ConfigQuery;

#[Object]
impl ConfigQuery {
    async fn config(&self) -> Config {
        Config
    }
}
