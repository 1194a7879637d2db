//! Who the instance is to people: its name, description, contact address, default language
//! and default time zone. Administrators set them in the administration (`about::save`),
//! kept in `instance_settings` under [`KEY`] so every node reads the same; what they never set
//! comes from the configuration file (`[instance]`), which still starts a new instance.
//!
//! Pages, mails and the API read them through [`AppContext::instance`], which keeps the last
//! read under the database's generation ([`crate::changes`]): no query per use while nothing
//! changed, and a change made on any node is read again on the next use.

use std::sync::{Arc, RwLock};

use chrono_tz::Tz;
use entity::instance_setting;
use sea_orm::{ConnectionTrait, EntityTrait};
use serde::{Deserialize, Serialize};

use crate::context::AppContext;
use crate::error::{Result, Validation};
use crate::i18n::Locale;
use crate::settings::InstanceSettings;

/// The `instance_settings` key of what the administrators chose.
pub const KEY: &str = "identity";
/// Characters of the name.
const MAX_NAME: usize = 100;
/// Characters of the (short) description.
const MAX_DESCRIPTION: usize = 500;

/// The instance's identity as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub description: String,
    pub contact_email: Option<String>,
    pub default_locale: Locale,
    pub default_timezone: Tz,
}

impl Identity {
    /// What the configuration file says alone.
    pub fn of_file(file: &InstanceSettings) -> Self {
        Self {
            name: file.name.clone(),
            description: file.description.clone(),
            contact_email: file.contact_email.clone(),
            default_locale: Locale::parse(&file.default_locale).unwrap_or_default(),
            default_timezone: file.timezone(),
        }
    }

    /// The file's values overridden by what the administrators chose.
    pub fn with(file: &InstanceSettings, chosen: &Chosen) -> Self {
        let mut identity = Self::of_file(file);
        if let Some(name) = &chosen.name {
            identity.name = name.clone();
        }
        if let Some(description) = &chosen.description {
            identity.description = description.clone();
        }
        if let Some(contact) = &chosen.contact_email {
            identity.contact_email = (!contact.is_empty()).then(|| contact.clone());
        }
        if let Some(locale) = chosen.default_locale.as_deref().and_then(Locale::parse) {
            identity.default_locale = locale;
        }
        if let Some(zone) = chosen
            .default_timezone
            .as_deref()
            .and_then(|z| z.parse().ok())
        {
            identity.default_timezone = zone;
        }
        identity
    }

    /// The languages the instance speaks, its default first (Mobilizon's `languages`).
    pub fn languages(&self) -> Vec<String> {
        let mut codes = vec![self.default_locale.code().to_owned()];
        codes.extend(
            Locale::ALL
                .iter()
                .filter(|l| **l != self.default_locale)
                .map(|l| l.code().to_owned()),
        );
        codes
    }
}

/// What the administrators chose; `None` is the file's value. An empty contact means "none",
/// whatever the file says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Chosen {
    pub name: Option<String>,
    pub description: Option<String>,
    pub contact_email: Option<String>,
    pub default_locale: Option<String>,
    pub default_timezone: Option<String>,
}

/// An administrator's changes; `None` leaves a value as it is.
#[derive(Debug, Clone, Default)]
pub struct IdentityChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    /// Empty removes the contact.
    pub contact_email: Option<String>,
    pub default_locale: Option<String>,
    pub default_timezone: Option<String>,
}

impl IdentityChanges {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.description.is_none()
            && self.contact_email.is_none()
            && self.default_locale.is_none()
            && self.default_timezone.is_none()
    }
}

/// What the administrators chose so far (nothing until they choose).
pub async fn chosen(conn: &impl ConnectionTrait) -> Result<Chosen> {
    let Some(row) = instance_setting::Entity::find_by_id(KEY.to_owned())
        .one(conn)
        .await?
    else {
        return Ok(Chosen::default());
    };
    Ok(serde_json::from_str(&row.value).unwrap_or_else(|err| {
        // The file's values still make a working instance; an administrator saving again
        // writes a readable document.
        tracing::error!(error = %err, "unreadable instance identity; using the file's");
        Chosen::default()
    }))
}

/// Applies `changes` to `chosen`, noting every problem (fields named as `saveAdminSettings`
/// names them). A value equal to the file's is kept as chosen: the file may change later,
/// what the administrators said stays.
pub fn apply(chosen: &mut Chosen, changes: IdentityChanges, validation: &mut Validation) {
    if let Some(name) = changes.name {
        let name = name.trim();
        if name.is_empty() {
            validation.add("instanceName", "the instance needs a name");
        } else if name.chars().count() > MAX_NAME {
            validation.add("instanceName", format!("at most {MAX_NAME} characters"));
        } else {
            chosen.name = Some(name.to_owned());
        }
    }
    if let Some(description) = changes.description {
        let description = description.trim();
        if description.chars().count() > MAX_DESCRIPTION {
            validation.add(
                "instanceDescription",
                format!("at most {MAX_DESCRIPTION} characters"),
            );
        } else {
            chosen.description = Some(description.to_owned());
        }
    }
    if let Some(contact) = changes.contact_email {
        let contact = contact.trim();
        if contact.is_empty() {
            chosen.contact_email = Some(String::new());
        } else {
            match crate::users::email::normalize(contact) {
                Ok(email) => chosen.contact_email = Some(email),
                Err(_) => validation.add("contact", "expected an email address"),
            }
        }
    }
    if let Some(locale) = changes.default_locale {
        match Locale::parse(&locale).filter(|l| l.code() == locale.trim().to_lowercase()) {
            Some(locale) => chosen.default_locale = Some(locale.code().to_owned()),
            None => validation.add(
                "instanceLanguages",
                format!("one of {}", Locale::all_codes().join(", ")),
            ),
        }
    }
    if let Some(zone) = changes.default_timezone {
        match zone.trim().parse::<Tz>() {
            Ok(zone) => chosen.default_timezone = Some(zone.name().to_owned()),
            Err(_) => validation.add(
                "defaultTimezone",
                "expected a time zone name such as Europe/Paris",
            ),
        }
    }
}

/// An identity and the generation it was read under.
type ReadAt = (u64, Arc<Identity>);

/// The last identity this node read, under the generation it read it.
#[derive(Debug, Clone, Default)]
pub struct KeptIdentity(Arc<RwLock<Option<ReadAt>>>);

impl AppContext {
    /// The instance's identity now: kept while the database is unchanged, read again after
    /// any change on any node (one query then).
    pub async fn instance(&self) -> Result<Arc<Identity>> {
        self.instance_in(&self.db).await
    }

    /// [`Self::instance`], read again through `conn` when it must be: code inside a
    /// transaction passes it, so as not to wait for a second connection from the pool, which
    /// the transactions waiting behind it may all hold (200 joins at once did).
    pub async fn instance_in(&self, conn: &impl ConnectionTrait) -> Result<Arc<Identity>> {
        // Read before the database: a change committed meanwhile makes a newer generation.
        let generation = self.changes.generation();
        if let Some(generation) = generation
            && let Ok(kept) = self.identity.0.read()
            && let Some((at, identity)) = kept.as_ref()
            && *at == generation
        {
            return Ok(identity.clone());
        }
        let identity = Arc::new(Identity::with(
            &self.settings.instance,
            &chosen(conn).await?,
        ));
        if let Some(generation) = generation
            && let Ok(mut kept) = self.identity.0.write()
        {
            *kept = Some((generation, identity.clone()));
        }
        Ok(identity)
    }

    /// The language of pages and mails when nothing else tells.
    pub async fn default_locale(&self) -> Result<Locale> {
        Ok(self.instance().await?.default_locale)
    }

    /// The configuration file's default language, for the few synchronous places that
    /// need one when a stored language no longer parses (federation's summaries, a
    /// recipient built without a query); everything else uses [`Self::default_locale`].
    pub fn file_default_locale(&self) -> Locale {
        Locale::parse(&self.settings.instance.default_locale).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_administrators_never_set_comes_from_the_file() {
        let file = InstanceSettings {
            name: "Valley".to_owned(),
            contact_email: Some("hello@valley.example".to_owned()),
            default_timezone: "Europe/Paris".to_owned(),
            ..InstanceSettings::default()
        };
        assert_eq!(
            Identity::with(&file, &Chosen::default()),
            Identity::of_file(&file)
        );
        let chosen = Chosen {
            name: Some("Hill".to_owned()),
            contact_email: Some(String::new()),
            default_locale: Some("fr".to_owned()),
            ..Chosen::default()
        };
        let identity = Identity::with(&file, &chosen);
        assert_eq!(identity.name, "Hill");
        assert_eq!(identity.description, file.description);
        assert_eq!(
            identity.contact_email, None,
            "removed by the administrators"
        );
        assert_eq!(identity.default_locale, Locale::Fr);
        assert_eq!(identity.default_timezone, chrono_tz::Europe::Paris);
        assert_eq!(identity.languages(), ["fr", "en"]);
    }

    #[test]
    fn bad_values_are_all_refused_and_nothing_is_changed() {
        let mut chosen = Chosen::default();
        let mut validation = Validation::new();
        apply(
            &mut chosen,
            IdentityChanges {
                name: Some("  ".to_owned()),
                description: Some("x".repeat(MAX_DESCRIPTION + 1)),
                contact_email: Some("not an address".to_owned()),
                default_locale: Some("tlh".to_owned()),
                default_timezone: Some("Mars/Olympus".to_owned()),
            },
            &mut validation,
        );
        assert_eq!(chosen, Chosen::default());
        let message = format!("{:?}", validation.finish().expect_err("refused"));
        for field in [
            "instanceName",
            "instanceDescription",
            "contact",
            "instanceLanguages",
            "defaultTimezone",
        ] {
            assert!(message.contains(field), "{field}: {message}");
        }
    }

    #[test]
    fn good_values_are_kept_in_their_canonical_form() {
        let mut chosen = Chosen::default();
        let mut validation = Validation::new();
        apply(
            &mut chosen,
            IdentityChanges {
                name: Some(" Hill ".to_owned()),
                contact_email: Some("Team@Hill.Example".to_owned()),
                default_locale: Some("FR".to_owned()),
                default_timezone: Some("America/Montreal".to_owned()),
                ..IdentityChanges::default()
            },
            &mut validation,
        );
        assert!(validation.finish().is_ok());
        assert_eq!(chosen.name.as_deref(), Some("Hill"));
        assert_eq!(chosen.contact_email.as_deref(), Some("team@hill.example"));
        assert_eq!(chosen.default_locale.as_deref(), Some("fr"));
        assert_eq!(chosen.default_timezone.as_deref(), Some("America/Montreal"));
    }
}
