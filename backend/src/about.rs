//! What an instance's administrators tell about it beyond its configuration file (Mobilizon's
//! admin settings): a slogan, a long description, rules, terms of service, a privacy policy
//! and two colours for clients' themes. Kept as one document in `instance_settings`, so every
//! node reads the same; everyone reads it through `config`, administrators change it.
//!
//! The name, description, contact, default language and time zone are saved here too, in a
//! document of their own ([`crate::identity`], which falls back to the configuration file);
//! who may register is `users::registration`'s. The instance's pictures (logo, favicon,
//! default picture) are not set here.

use entity::action_log::{ActionLogAction, ObjectKind};
use entity::instance_setting;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use serde::{Deserialize, Serialize};

use crate::action_log::{self, Object};
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result, Validation};
use crate::events::sanitize;
use crate::i18n::Locale;
use crate::identity::{self, Identity, IdentityChanges};
use crate::principal::Principal;

const KEY: &str = "about";
/// Characters of the slogan.
const MAX_SHORT: usize = 255;
/// Characters of the long description and the rules.
const MAX_TEXT: usize = 20_000;
/// Characters of the terms and the privacy policy.
const MAX_DOCUMENT: usize = 100_000;
/// Characters of an address.
const MAX_URL: usize = 2_000;

/// Where the terms or the privacy policy are (Mobilizon's `InstanceTermsType`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentKind {
    /// None of the instance's own: Mobilizon shows its generic text; nothing is published
    /// here.
    #[default]
    Default,
    /// Published elsewhere, at `url`.
    Url,
    /// Written here (`body`, sanitized HTML).
    Custom,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Document {
    pub kind: DocumentKind,
    pub url: Option<String>,
    pub body: Option<String>,
}

impl Document {
    /// Whether there is something to show.
    pub fn is_published(&self) -> bool {
        match self.kind {
            DocumentKind::Default => false,
            DocumentKind::Url => self.url.is_some(),
            DocumentKind::Custom => self.body.is_some(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct About {
    pub slogan: Option<String>,
    /// Sanitized HTML.
    pub long_description: Option<String>,
    /// Sanitized HTML.
    pub rules: Option<String>,
    pub terms: Document,
    pub privacy: Document,
    /// `#rrggbb`.
    pub primary_color: Option<String>,
    pub secondary_color: Option<String>,
}

/// Changes from an administrator; `None` leaves a part as it is, an empty text clears it.
#[derive(Debug, Clone, Default)]
pub struct AboutChanges {
    pub slogan: Option<String>,
    pub long_description: Option<String>,
    pub rules: Option<String>,
    pub terms_kind: Option<DocumentKind>,
    pub terms_url: Option<String>,
    pub terms_body: Option<String>,
    pub privacy_kind: Option<DocumentKind>,
    pub privacy_url: Option<String>,
    pub privacy_body: Option<String>,
    pub primary_color: Option<String>,
    pub secondary_color: Option<String>,
    /// The identity ([`crate::identity`]): what is not set here stays the file's.
    pub name: Option<String>,
    pub description: Option<String>,
    /// Empty removes the contact address.
    pub contact: Option<String>,
    /// The first is the default language.
    pub languages: Option<Vec<String>>,
    /// An IANA name.
    pub timezone: Option<String>,
}

/// What the administrators said (all empty until they say something).
pub async fn get(conn: &impl ConnectionTrait) -> Result<About> {
    let Some(row) = instance_setting::Entity::find_by_id(KEY.to_owned())
        .one(conn)
        .await?
    else {
        return Ok(About::default());
    };
    Ok(serde_json::from_str(&row.value).unwrap_or_else(|err| {
        tracing::error!(error = %err, "unreadable instance description");
        About::default()
    }))
}

/// What the administrators said, for an administrator about to change it (Mobilizon's
/// `adminSettings`); everyone reads the published parts through [`get`].
pub async fn for_administrators(
    conn: &impl ConnectionTrait,
    principal: &Principal,
) -> Result<About> {
    principal.require_admin("only administrators see the instance's settings")?;
    get(conn).await
}

/// Applies an administrator's changes, all or none, and puts them in the action log.
pub async fn save(ctx: &AppContext, principal: &Principal, changes: AboutChanges) -> Result<About> {
    principal.require_admin("only administrators change what the instance says about itself")?;
    let mut validation = Validation::new();
    let identity_changes = identity_changes(&changes, &mut validation);
    let mut chosen = identity::chosen(&ctx.db).await?;
    let changes_identity = !identity_changes.is_empty();
    identity::apply(&mut chosen, identity_changes, &mut validation);
    let mut about = get(&ctx.db).await?;
    apply(&mut about, changes, &mut validation);
    validation.finish()?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    keep(&tx, KEY, &about, now).await?;
    if changes_identity {
        keep(&tx, identity::KEY, &chosen, now).await?;
    }
    let moderator = action_log::moderator_of(&tx, principal).await?;
    let object = Object {
        kind: ObjectKind::Instance,
        id: 0,
        label: Identity::with(&ctx.settings.instance, &chosen).name,
    };
    let action = ActionLogAction::InstanceSettingsChange;
    action_log::record(&tx, now, moderator, action, object, None).await?;
    tx.commit().await?;
    tracing::info!("the instance's description was changed");
    Ok(about)
}

/// The identity part of an administrator's changes. Mobilizon's `instanceLanguages` lists the
/// languages the instance speaks: Convive speaks all of its translations, and the first
/// listed becomes the default language.
fn identity_changes(changes: &AboutChanges, validation: &mut Validation) -> IdentityChanges {
    let default_locale = changes.languages.as_ref().and_then(|languages| {
        let known = |code: &String| Locale::parse(code).is_some_and(|l| l.code() == code.trim());
        if languages.is_empty() || !languages.iter().all(known) {
            validation.add(
                "instanceLanguages",
                format!("one or more of {}", Locale::all_codes().join(", ")),
            );
            return None;
        }
        languages.first().cloned()
    });
    IdentityChanges {
        name: changes.name.clone(),
        description: changes.description.clone(),
        contact_email: changes.contact.clone(),
        default_locale,
        default_timezone: changes.timezone.clone(),
    }
}

/// Writes one document of `instance_settings`, replacing what was under its key.
async fn keep(
    conn: &impl ConnectionTrait,
    key: &str,
    document: &impl Serialize,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let value = serde_json::to_string(document).map_err(Error::internal)?;
    instance_setting::Entity::insert(instance_setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(instance_setting::Column::Key)
            .update_columns([
                instance_setting::Column::Value,
                instance_setting::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

fn apply(about: &mut About, changes: AboutChanges, validation: &mut Validation) {
    if let Some(slogan) = changes.slogan {
        about.slogan = text(&slogan, "instanceSlogan", MAX_SHORT, validation);
    }
    if let Some(long) = changes.long_description {
        about.long_description = text(&long, "instanceLongDescription", MAX_TEXT, validation)
            .map(|html| sanitize::description(&html));
    }
    if let Some(rules) = changes.rules {
        about.rules =
            text(&rules, "instanceRules", MAX_TEXT, validation).map(|h| sanitize::description(&h));
    }
    document(
        &mut about.terms,
        (changes.terms_kind, changes.terms_url, changes.terms_body),
        ["instanceTermsType", "instanceTermsUrl", "instanceTerms"],
        validation,
    );
    document(
        &mut about.privacy,
        (
            changes.privacy_kind,
            changes.privacy_url,
            changes.privacy_body,
        ),
        [
            "instancePrivacyPolicyType",
            "instancePrivacyPolicyUrl",
            "instancePrivacyPolicy",
        ],
        validation,
    );
    if let Some(color) = changes.primary_color {
        about.primary_color = color_of(&color, "primaryColor", validation);
    }
    if let Some(color) = changes.secondary_color {
        about.secondary_color = color_of(&color, "secondaryColor", validation);
    }
}

/// Applies the changes to the terms or the privacy policy; `fields` names the type, the
/// address and the text, in that order.
fn document(
    document: &mut Document,
    (kind, url, body): (Option<DocumentKind>, Option<String>, Option<String>),
    fields: [&str; 3],
    validation: &mut Validation,
) {
    if let Some(kind) = kind {
        document.kind = kind;
    }
    if let Some(url) = url {
        document.url = text(&url, fields[1], MAX_URL, validation);
        if let Some(address) = &document.url
            && !matches!(url::Url::parse(address), Ok(u) if matches!(u.scheme(), "http" | "https"))
        {
            validation.add(fields[1], "expected an http(s) address");
        }
    }
    if let Some(body) = body {
        document.body =
            text(&body, fields[2], MAX_DOCUMENT, validation).map(|h| sanitize::description(&h));
    }
    match document.kind {
        DocumentKind::Url if document.url.is_none() => {
            validation.add(fields[1], "the address where it is published is needed");
        }
        DocumentKind::Custom if document.body.is_none() => {
            validation.add(fields[2], "the text is needed");
        }
        _ => {}
    }
}

fn text(value: &str, field: &str, max: usize, validation: &mut Validation) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.chars().count() > max {
        validation.add(field, format!("at most {max} characters"));
        return None;
    }
    Some(value.to_owned())
}

/// `#rgb` or `#rrggbb`, kept as `#rrggbb` in lowercase; empty clears it.
fn color_of(raw: &str, field: &str, validation: &mut Validation) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let digits = raw.strip_prefix('#').unwrap_or("");
    let full = match digits.len() {
        3 => digits.chars().flat_map(|c| [c, c]).collect(),
        6 => digits.to_owned(),
        _ => String::new(),
    };
    if full.is_empty() || !full.chars().all(|c| c.is_ascii_hexdigit()) {
        validation.add(field, "expected a colour such as #1e7d97");
        return None;
    }
    Some(format!("#{}", full.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use entity::user::UserRole;

    use super::*;
    use crate::testing::TestContext;

    #[test]
    fn colours_are_checked_and_written_in_full() {
        let mut validation = Validation::new();
        assert_eq!(
            color_of("#1E7", "primaryColor", &mut validation).as_deref(),
            Some("#11ee77")
        );
        assert_eq!(color_of(" ", "primaryColor", &mut validation), None);
        assert!(validation.finish().is_ok());
        for bad in ["red", "#12345", "#gggggg", "123456"] {
            let mut validation = Validation::new();
            assert_eq!(color_of(bad, "primaryColor", &mut validation), None);
            assert!(validation.finish().is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn an_administrator_publishes_terms_rules_and_colours_and_others_may_not() {
        let t = TestContext::new().await;
        let admin = t.person_with("rosa", UserRole::Administrator, |_| {}).await;
        let alice = t.person("alice").await;
        assert_eq!(get(&t.ctx.db).await.expect("read"), About::default());
        let changes = AboutChanges {
            slogan: Some("Events of the valley".to_owned()),
            rules: Some("<p>Be kind</p><script>x()</script>".to_owned()),
            terms_kind: Some(DocumentKind::Url),
            terms_url: Some("https://example.org/terms".to_owned()),
            privacy_kind: Some(DocumentKind::Custom),
            privacy_body: Some("<p>We keep little</p>".to_owned()),
            primary_color: Some("#1e7d97".to_owned()),
            // Sent again unchanged, as Mobilizon's form does.
            name: Some(t.ctx.settings.instance.name.clone()),
            ..AboutChanges::default()
        };
        let refused = save(&t.ctx, &alice.principal(), changes.clone())
            .await
            .expect_err("not an admin");
        assert_eq!(refused.code(), "forbidden");
        let saved = save(&t.ctx, &admin.principal(), changes)
            .await
            .expect("saved");
        assert_eq!(get(&t.ctx.db).await.expect("read"), saved);
        assert_eq!(saved.slogan.as_deref(), Some("Events of the valley"));
        assert!(!saved.rules.as_deref().unwrap_or("").contains("script"));
        assert!(saved.terms.is_published() && saved.privacy.is_published());
        assert_eq!(saved.primary_color.as_deref(), Some("#1e7d97"));
        let log = crate::action_log::list(&t.ctx.db, &admin.principal(), Default::default())
            .await
            .expect("log");
        assert_eq!(log.total, 1);
        assert_eq!(
            log.elements[0].action,
            ActionLogAction::InstanceSettingsChange
        );
        assert_eq!(log.elements[0].actor_id, Some(admin.actor.id));

        // A nameless instance, or a document without its content, is refused whole, field
        // by field.
        let err = save(
            &t.ctx,
            &admin.principal(),
            AboutChanges {
                slogan: Some("Changed".to_owned()),
                name: Some(" ".to_owned()),
                terms_kind: Some(DocumentKind::Custom),
                ..AboutChanges::default()
            },
        )
        .await
        .expect_err("refused");
        let message = format!("{err:?}");
        assert!(message.contains("instanceName") && message.contains("instanceTerms"));
        assert_eq!(
            get(&t.ctx.db).await.expect("read").slogan.as_deref(),
            Some("Events of the valley"),
            "nothing was saved"
        );
        // The default terms are none of the instance's own: nothing is published.
        let saved = save(
            &t.ctx,
            &admin.principal(),
            AboutChanges {
                terms_kind: Some(DocumentKind::Default),
                ..AboutChanges::default()
            },
        )
        .await
        .expect("default terms");
        assert!(!saved.terms.is_published());
    }

    #[tokio::test]
    async fn a_renamed_instance_is_seen_at_once_and_the_rest_stays_the_files() {
        let t = TestContext::new().await;
        let admin = t.person_with("rosa", UserRole::Administrator, |_| {}).await;
        let file = &t.ctx.settings.instance;
        let before = t.ctx.instance().await.expect("identity");
        assert_eq!(*before, Identity::of_file(file), "nothing set: the file's");
        save(
            &t.ctx,
            &admin.principal(),
            AboutChanges {
                name: Some("Hill events".to_owned()),
                contact: Some("team@hill.example".to_owned()),
                languages: Some(vec!["fr".to_owned(), "en".to_owned()]),
                timezone: Some("America/Montreal".to_owned()),
                ..AboutChanges::default()
            },
        )
        .await
        .expect("saved");
        let after = t.ctx.instance().await.expect("identity");
        assert_eq!(after.name, "Hill events");
        assert_eq!(after.description, file.description);
        assert_eq!(after.contact_email.as_deref(), Some("team@hill.example"));
        assert_eq!(after.default_locale, Locale::Fr);
        assert_eq!(after.default_timezone, chrono_tz::America::Montreal);
        assert_eq!(t.ctx.default_locale().await.expect("locale"), Locale::Fr);
        let log = crate::action_log::list(&t.ctx.db, &admin.principal(), Default::default())
            .await
            .expect("log");
        assert_eq!(
            log.elements[0].action,
            ActionLogAction::InstanceSettingsChange
        );

        // Unknown languages and zones are refused with the rest, and nothing changes.
        let err = save(
            &t.ctx,
            &admin.principal(),
            AboutChanges {
                name: Some("Other".to_owned()),
                languages: Some(vec!["tlh".to_owned()]),
                timezone: Some("Nowhere/Town".to_owned()),
                contact: Some("nobody".to_owned()),
                ..AboutChanges::default()
            },
        )
        .await
        .expect_err("refused");
        let message = format!("{err:?}");
        for field in ["instanceLanguages", "defaultTimezone", "contact"] {
            assert!(message.contains(field), "{field}: {message}");
        }
        assert_eq!(
            t.ctx.instance().await.expect("identity").name,
            "Hill events"
        );
    }
}
