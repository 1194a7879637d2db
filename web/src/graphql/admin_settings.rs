//! Mobilizon's `adminSettings` and `saveAdminSettings`: what administrators say about the
//! instance (`backend::about`), its name, description, contact and languages included
//! (`backend::identity`, which falls back to the configuration file).

use async_graphql::{Context, Object, SimpleObject};
use backend::about::{About, AboutChanges, DocumentKind};
use backend::users::registration::{
    self, RegistrationMode as Mode, RegistrationRules, RulesChanges,
};

use super::config::{InstancePrivacyType, InstanceTermsType, document_kind, privacy_kind};
use super::errors::{GqlResult, IntoGql, invalid};
use super::media::MediaInput;
use super::objects::Media;
use super::user_admin::RegistrationMode;
use super::{app, principal};

#[derive(SimpleObject)]
pub struct AdminSettings {
    instance_name: String,
    instance_description: String,
    instance_long_description: Option<String>,
    instance_slogan: Option<String>,
    contact: Option<String>,
    /// The instance's pictures are not set here.
    instance_logo: Option<Media>,
    instance_favicon: Option<Media>,
    default_picture: Option<Media>,
    primary_color: Option<String>,
    secondary_color: Option<String>,
    instance_terms: Option<String>,
    instance_terms_type: InstanceTermsType,
    instance_terms_url: Option<String>,
    instance_privacy_policy: Option<String>,
    instance_privacy_policy_type: InstancePrivacyType,
    instance_privacy_policy_url: Option<String>,
    instance_rules: Option<String>,
    registrations_open: bool,
    instance_languages: Vec<String>,
    /// Convive: who may register.
    registration_mode: RegistrationMode,
    /// Convive: the email domains and addresses that may register in the `ALLOWLIST` mode.
    registration_allowlist: Vec<String>,
    /// Convive: the time zone of accounts that have none (an IANA name).
    default_timezone: String,
}

impl AdminSettings {
    async fn new(ctx: &Context<'_>, about: About, rules: RegistrationRules) -> GqlResult<Self> {
        let instance = app(ctx)?.instance().await.gql()?;
        Ok(Self {
            instance_name: instance.name.clone(),
            instance_description: instance.description.clone(),
            instance_long_description: about.long_description,
            instance_slogan: about.slogan,
            contact: instance.contact_email.clone(),
            instance_logo: None,
            instance_favicon: None,
            default_picture: None,
            primary_color: about.primary_color,
            secondary_color: about.secondary_color,
            instance_terms: about.terms.body,
            instance_terms_type: document_kind(about.terms.kind),
            instance_terms_url: about.terms.url,
            instance_privacy_policy: about.privacy.body,
            instance_privacy_policy_type: privacy_kind(about.privacy.kind),
            instance_privacy_policy_url: about.privacy.url,
            instance_rules: about.rules,
            registrations_open: rules.open_to_all(),
            instance_languages: instance.languages(),
            default_timezone: instance.default_timezone.name().to_owned(),
            registration_mode: rules.mode.into(),
            registration_allowlist: rules.allowlist,
        })
    }
}

fn terms_kind(kind: InstanceTermsType) -> DocumentKind {
    match kind {
        InstanceTermsType::Default => DocumentKind::Default,
        InstanceTermsType::Url => DocumentKind::Url,
        InstanceTermsType::Custom => DocumentKind::Custom,
    }
}

fn policy_kind(kind: InstancePrivacyType) -> DocumentKind {
    match kind {
        InstancePrivacyType::Default => DocumentKind::Default,
        InstancePrivacyType::Url => DocumentKind::Url,
        InstancePrivacyType::Custom => DocumentKind::Custom,
    }
}

#[derive(Default)]
pub struct AdminSettingsQuery;

#[Object]
impl AdminSettingsQuery {
    /// For administrators.
    async fn admin_settings(&self, ctx: &Context<'_>) -> GqlResult<AdminSettings> {
        let app = app(ctx)?;
        let about = backend::about::for_administrators(&app.db, &principal(ctx))
            .await
            .gql()?;
        let rules = registration::rules(app, &app.db).await.gql()?;
        AdminSettings::new(ctx, about, rules).await
    }
}

#[derive(Default)]
pub struct AdminSettingsMutation;

#[Object]
impl AdminSettingsMutation {
    /// Changes what the instance says about itself and who may register (administrators).
    /// The name, description, contact and languages (the first is the default language)
    /// override the configuration file's; the instance's pictures are not set here. `registrationsOpen: false`
    /// closes registrations and `true` opens them to all, unless `registrationMode` says more.
    #[allow(clippy::too_many_arguments)]
    async fn save_admin_settings(
        &self,
        ctx: &Context<'_>,
        instance_name: Option<String>,
        instance_description: Option<String>,
        instance_long_description: Option<String>,
        instance_slogan: Option<String>,
        contact: Option<String>,
        instance_logo: Option<MediaInput>,
        instance_favicon: Option<MediaInput>,
        default_picture: Option<MediaInput>,
        primary_color: Option<String>,
        secondary_color: Option<String>,
        instance_terms: Option<String>,
        instance_terms_type: Option<InstanceTermsType>,
        instance_terms_url: Option<String>,
        instance_privacy_policy: Option<String>,
        instance_privacy_policy_type: Option<InstancePrivacyType>,
        instance_privacy_policy_url: Option<String>,
        instance_rules: Option<String>,
        registrations_open: Option<bool>,
        instance_languages: Option<Vec<Option<String>>>,
        #[graphql(desc = "Convive: who may register.")] registration_mode: Option<RegistrationMode>,
        #[graphql(
            desc = "Convive: the email domains and addresses that may register in the \
                          `ALLOWLIST` mode."
        )]
        registration_allowlist: Option<Vec<String>>,
        #[graphql(desc = "Convive: the time zone of accounts that have none (an IANA name).")]
        default_timezone: Option<String>,
    ) -> GqlResult<AdminSettings> {
        for (field, picture) in [
            ("instanceLogo", &instance_logo),
            ("instanceFavicon", &instance_favicon),
            ("defaultPicture", &default_picture),
        ] {
            if picture.is_some() {
                return Err(invalid(field, "the instance's pictures are not set here"));
            }
        }
        let about = backend::about::save(
            app(ctx)?,
            &principal(ctx),
            AboutChanges {
                slogan: instance_slogan,
                long_description: instance_long_description,
                rules: instance_rules,
                terms_kind: instance_terms_type.map(terms_kind),
                terms_url: instance_terms_url,
                terms_body: instance_terms,
                privacy_kind: instance_privacy_policy_type.map(policy_kind),
                privacy_url: instance_privacy_policy_url,
                privacy_body: instance_privacy_policy,
                primary_color,
                secondary_color,
                name: instance_name,
                description: instance_description,
                contact,
                languages: instance_languages.map(|l| l.into_iter().flatten().collect()),
                timezone: default_timezone,
            },
        )
        .await
        .gql()?;
        let app = app(ctx)?;
        let current = registration::rules(app, &app.db).await.gql()?;
        // Mobilizon's form sends `registrationsOpen` every time: only a change is one.
        let mode = registration_mode.map(Into::into).or_else(|| {
            registrations_open
                .filter(|open| *open != current.open_to_all())
                .map(|open| if open { Mode::Open } else { Mode::Closed })
        });
        let rules = if mode.is_some() || registration_allowlist.is_some() {
            let changes = RulesChanges {
                mode,
                allowlist: registration_allowlist,
            };
            registration::save_rules(app, &principal(ctx), changes)
                .await
                .gql()?
        } else {
            current
        };
        AdminSettings::new(ctx, about, rules).await
    }
}
