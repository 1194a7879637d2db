//! `/admin/settings`, for administrators: the instance's name, description, contact, default
//! language and time zone, and what it says about itself (slogan, long description, rules,
//! terms, privacy policy, colours), saved through `backend::about` as `saveAdminSettings` is,
//! so it lives in the database and every node shows it at once. Who may register is set on
//! `/admin/users`.
//!
//! The texts are typed as in the event form (line breaks kept, Markdown works) and stored as
//! the sanitized HTML Mobilizon's clients read; the form shows them back as text.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use backend::about::{About, AboutChanges, Document, DocumentKind};
use backend::events::description;
use backend::i18n::Locale;
use backend::identity::Identity;
use serde::Deserialize;

use super::super::form::Form;
use super::super::form_problems::Problems;
use super::super::i18n::t;
use super::super::{Frame, Visitor, render, see_other};
use super::{Nav, Section, refused};
use crate::state::AppState;

/// The form's fields, in their order on the page.
const FIELDS: [&str; 16] = [
    "name",
    "description",
    "contact",
    "language",
    "timezone",
    "slogan",
    "long_description",
    "rules",
    "terms_kind",
    "terms_url",
    "terms",
    "privacy_kind",
    "privacy_url",
    "privacy",
    "primary_color",
    "secondary_color",
];

/// The form's field for the backend's (the API's) name of one.
fn field_of(api: &str) -> Option<&'static str> {
    Some(match api {
        "instanceName" => "name",
        "instanceDescription" => "description",
        "contact" => "contact",
        "instanceLanguages" => "language",
        "defaultTimezone" => "timezone",
        "instanceSlogan" => "slogan",
        "instanceLongDescription" => "long_description",
        "instanceRules" => "rules",
        "instanceTermsType" => "terms_kind",
        "instanceTermsUrl" => "terms_url",
        "instanceTerms" => "terms",
        "instancePrivacyPolicyType" => "privacy_kind",
        "instancePrivacyPolicyUrl" => "privacy_url",
        "instancePrivacyPolicy" => "privacy",
        "primaryColor" => "primary_color",
        "secondaryColor" => "secondary_color",
        _ => return None,
    })
}

/// What the page sends, as typed. The instance's identity is left as it is when a field is
/// not sent at all (an empty contact is sent, and removes the address).
#[derive(Deserialize, Default)]
pub struct SettingsForm {
    name: Option<String>,
    description: Option<String>,
    contact: Option<String>,
    language: Option<String>,
    timezone: Option<String>,
    #[serde(default)]
    slogan: String,
    #[serde(default)]
    long_description: String,
    #[serde(default)]
    rules: String,
    #[serde(default)]
    terms_kind: String,
    #[serde(default)]
    terms_url: String,
    #[serde(default)]
    terms: String,
    #[serde(default)]
    privacy_kind: String,
    #[serde(default)]
    privacy_url: String,
    #[serde(default)]
    privacy: String,
    #[serde(default)]
    primary_color: String,
    #[serde(default)]
    secondary_color: String,
}

fn kind_code(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Default => "default",
        DocumentKind::Url => "url",
        DocumentKind::Custom => "custom",
    }
}

fn kind_of(code: &str) -> Option<DocumentKind> {
    match code {
        "default" => Some(DocumentKind::Default),
        "url" => Some(DocumentKind::Url),
        "custom" => Some(DocumentKind::Custom),
        _ => None,
    }
}

/// Sanitized HTML as the form shows it: text.
fn as_text(html: Option<&str>) -> String {
    html.map(description::source_of_html).unwrap_or_default()
}

/// Text typed in the form as the HTML the backend keeps (empty stays empty: it clears).
fn as_html(text: &str) -> String {
    let text = description::normalized(text);
    if text.is_empty() {
        text
    } else {
        description::to_html(&text)
    }
}

impl SettingsForm {
    fn of(about: &About, instance: &Identity) -> Self {
        let document = |d: &Document| {
            (
                kind_code(d.kind).to_owned(),
                d.url.clone().unwrap_or_default(),
                as_text(d.body.as_deref()),
            )
        };
        let (terms_kind, terms_url, terms) = document(&about.terms);
        let (privacy_kind, privacy_url, privacy) = document(&about.privacy);
        Self {
            name: Some(instance.name.clone()),
            description: Some(instance.description.clone()),
            contact: Some(instance.contact_email.clone().unwrap_or_default()),
            language: Some(instance.default_locale.code().to_owned()),
            timezone: Some(instance.default_timezone.name().to_owned()),
            slogan: about.slogan.clone().unwrap_or_default(),
            long_description: as_text(about.long_description.as_deref()),
            rules: as_text(about.rules.as_deref()),
            terms_kind,
            terms_url,
            terms,
            privacy_kind,
            privacy_url,
            privacy,
            primary_color: about.primary_color.clone().unwrap_or_default(),
            secondary_color: about.secondary_color.clone().unwrap_or_default(),
        }
    }

    /// The changes for the backend, or the problems of fields the page itself reads.
    fn changes(&self, locale: backend::i18n::Locale) -> Result<AboutChanges, Problems> {
        let mut problems = Problems::of_form("settings");
        // None chosen (the page always checks one) leaves it as it is.
        let mut kind = |field: &'static str, code: &str| {
            if code.is_empty() {
                return None;
            }
            let kind = kind_of(code);
            if kind.is_none() {
                let words = problems
                    .words(locale, "error", field)
                    .unwrap_or_else(|| t(locale, "form-error-other"));
                problems.add(field, words);
            }
            kind
        };
        let terms_kind = kind("terms_kind", &self.terms_kind);
        let privacy_kind = kind("privacy_kind", &self.privacy_kind);
        if !problems.is_empty() {
            return Err(problems);
        }
        // The default language first, then the others Convive speaks.
        let languages = self.language.as_deref().map(str::trim).map(|first| {
            let mut languages = vec![first.to_owned()];
            languages.extend(
                Locale::all_codes()
                    .into_iter()
                    .filter(|code| *code != first)
                    .map(str::to_owned),
            );
            languages
        });
        Ok(AboutChanges {
            name: self.name.clone(),
            description: self.description.clone(),
            contact: self.contact.clone(),
            languages,
            timezone: self.timezone.clone(),
            slogan: Some(self.slogan.clone()),
            long_description: Some(as_html(&self.long_description)),
            rules: Some(as_html(&self.rules)),
            terms_kind,
            terms_url: Some(self.terms_url.clone()),
            terms_body: Some(as_html(&self.terms)),
            privacy_kind,
            privacy_url: Some(self.privacy_url.clone()),
            privacy_body: Some(as_html(&self.privacy)),
            primary_color: Some(self.primary_color.clone()),
            secondary_color: Some(self.secondary_color.clone()),
        })
    }
}

#[derive(Template)]
#[template(path = "admin_settings.html")]
struct SettingsPage {
    frame: Frame,
    nav: Nav,
    problems: Problems,
    problems_title: String,
    form: SettingsForm,
    /// (code, name) of the languages Convive speaks.
    languages: Vec<(&'static str, String)>,
    /// (value, label) of the choices for the terms and the privacy policy.
    kinds: Vec<(&'static str, String)>,
}

#[derive(Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Response {
    let about = match backend::about::for_administrators(&state.ctx.db, &visitor.principal()).await
    {
        Ok(about) => about,
        Err(err) => return refused(visitor, "/admin/settings", &err),
    };
    let notice = (done.done == "saved").then(|| t(visitor.locale, "admin-settings-saved"));
    let form = SettingsForm::of(&about, &visitor.instance);
    page(&state, visitor, form, Problems::of_form("settings"), notice)
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<SettingsForm>,
) -> Response {
    let locale = visitor.locale;
    let changes = match form.changes(locale) {
        Ok(changes) => changes,
        Err(problems) => return page(&state, visitor, form, problems, None),
    };
    match backend::about::save(&state.ctx, &visitor.principal(), changes).await {
        Ok(_) => see_other(&visitor, "/admin/settings?done=saved"),
        Err(err @ (backend::Error::Invalid(_) | backend::Error::Rule { .. })) => {
            let mut problems = Problems::of_form("settings");
            problems.add_backend(locale, &err, field_of);
            page(&state, visitor, form, problems, None)
        }
        Err(err) => refused(visitor, "/admin/settings", &err),
    }
}

fn page(
    _state: &AppState,
    visitor: Visitor,
    form: SettingsForm,
    problems: Problems,
    notice: Option<String>,
) -> Response {
    let locale = visitor.locale;
    let languages = Locale::ALL
        .iter()
        // Each in its own language, as the footer's switch names them.
        .map(|l| (l.code(), l.native_name().to_owned()))
        .collect();
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let view = SettingsPage {
        frame: Frame {
            title: t(locale, "admin-settings-title"),
            visitor: visitor.clone(),
            notice,
        },
        nav: Nav::new(locale, Section::Settings, true),
        problems_title: problems.title(locale),
        problems: problems.sorted(&FIELDS),
        form,
        languages,
        kinds: ["default", "url", "custom"]
            .into_iter()
            .map(|k| (k, t(locale, &format!("admin-settings-kind-{k}"))))
            .collect(),
    };
    render(&visitor, status, &view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_the_backend_names_has_its_place_on_the_form() {
        for api in [
            "instanceName",
            "instanceDescription",
            "contact",
            "instanceLanguages",
            "defaultTimezone",
            "instanceSlogan",
            "instanceLongDescription",
            "instanceRules",
            "instanceTermsType",
            "instanceTermsUrl",
            "instanceTerms",
            "instancePrivacyPolicyType",
            "instancePrivacyPolicyUrl",
            "instancePrivacyPolicy",
            "primaryColor",
            "secondaryColor",
        ] {
            let field = field_of(api).unwrap_or_else(|| panic!("{api}"));
            assert!(FIELDS.contains(&field), "{api}");
        }
        assert_eq!(field_of("instanceLogo"), None);
    }

    #[test]
    fn text_typed_becomes_html_and_comes_back_as_the_same_text() {
        let typed = "Be kind.\nNo ads.\n\n- one\n- two";
        let html = as_html(typed);
        assert!(html.contains("<br"), "{html}");
        assert!(html.contains("<li>"), "{html}");
        assert_eq!(as_html(" \r\n "), "");
        let again = as_html(&as_text(Some(&html)));
        assert_eq!(again, html);
    }
}
