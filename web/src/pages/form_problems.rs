//! What was wrong with a submitted form, field by field, in the visitor's language: every
//! problem at once, each next to its field and tied to it for assistive technology
//! (`aria-invalid`, `aria-describedby`), the first one focused when the page loads (`autofocus`,
//! which also scrolls it into view, without JavaScript). The backend names fields as the API
//! does (`beginsOn`, `options.timezone`); a person only ever sees the form's own labels.

use backend::i18n::Locale;

use super::i18n::t;

/// One problem: the form field it belongs to (its `id`; empty for the form as a whole) and
/// what to tell the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

/// The problems of one submitted form, in the order of the form's fields.
#[derive(Debug, Clone, Default)]
pub struct Problems {
    list: Vec<Problem>,
    /// The form's name, when its fields share ids with other forms' but are told of in
    /// other words (`email` on the sign-up form and on the report form): its words are
    /// looked for first under `form-error-{form}-{field}`.
    form: &'static str,
}

impl Problems {
    /// The problems of the form `form` (see [`Problems::form`]).
    pub fn of_form(form: &'static str) -> Self {
        Self {
            list: Vec::new(),
            form,
        }
    }

    /// The words of a problem of `field` of the kind `kind` (`error`, `taken`): the form's
    /// own, else those every form shares.
    pub fn words(&self, locale: Locale, kind: &str, field: &str) -> Option<String> {
        let own = (!self.form.is_empty())
            .then(|| super::i18n::try_t(locale, &format!("form-{kind}-{}-{field}", self.form)))
            .flatten();
        own.or_else(|| super::i18n::try_t(locale, &format!("form-{kind}-{field}")))
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn all(&self) -> &[Problem] {
        &self.list
    }

    /// What the list above the form says first: how many things to fix.
    pub fn title(&self, locale: Locale) -> String {
        super::i18n::count(locale, "form-errors-title", self.list.len() as u64)
    }

    /// Adds the problems found by another step of reading the same form.
    pub fn extend(&mut self, other: Problems) {
        for p in other.list {
            self.add(p.field, p.message);
        }
    }

    /// A problem found by the page itself, already in words.
    pub fn add(&mut self, field: &'static str, message: String) {
        if !self
            .list
            .iter()
            .any(|p| p.field == field && p.message == message)
        {
            self.list.push(Problem { field, message });
        }
    }

    /// The backend's problems, each put beside the field that `field_of` names for its API
    /// name and told in the words of [`Problems::words`] (`form-error-{field}`, or
    /// `form-taken-{field}` for a name or an address taken already); one the form has no
    /// field for is told above the form, in general words.
    pub fn add_backend(
        &mut self,
        locale: Locale,
        err: &backend::Error,
        field_of: impl Fn(&str) -> Option<&'static str>,
    ) {
        match err {
            backend::Error::Invalid(errors) => {
                for error in errors {
                    match field_of(&error.field) {
                        Some(field) => {
                            let message = self
                                .words(locale, "error", field)
                                .unwrap_or_else(|| t(locale, "form-error-other"));
                            self.add(field, message)
                        }
                        None => {
                            tracing::debug!(field = %error.field, "a form problem without a field");
                            self.add("", t(locale, "form-error-other"));
                        }
                    }
                }
            }
            // Taken already (a username, an address): said beside the field, when the form
            // has one and the pages have words for it.
            backend::Error::Conflict {
                field: Some(api), ..
            } if field_of(api).is_some_and(|f| self.words(locale, "taken", f).is_some()) => {
                if let Some(field) = field_of(api)
                    && let Some(message) = self.words(locale, "taken", field)
                {
                    self.add(field, message);
                }
            }
            other => {
                let told = match other {
                    backend::Error::Rule { code, .. } => {
                        super::i18n::try_t(locale, &format!("rule-{code}"))
                    }
                    _ => None,
                };
                let message =
                    told.unwrap_or_else(|| format!("{} {other}", t(locale, "form-error-refused")));
                self.add("", message);
            }
        }
    }

    /// Puts the problems in the order of the form's fields (`order`, by id), the general ones
    /// first.
    pub fn sorted(mut self, order: &[&str]) -> Self {
        self.list.sort_by_key(|p| {
            if p.field.is_empty() {
                0
            } else {
                order
                    .iter()
                    .position(|f| *f == p.field)
                    .map_or(order.len() + 1, |i| i + 1)
            }
        });
        self
    }

    /// What to say next to a field.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.list
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.as_str())
    }

    /// The problems above the form, not tied to a field.
    pub fn general(&self) -> impl Iterator<Item = &str> {
        self.list
            .iter()
            .filter(|p| p.field.is_empty())
            .map(|p| p.message.as_str())
    }

    /// The fields with a problem, once each, in order, for the summary's links.
    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        let mut seen = Vec::new();
        for p in &self.list {
            if !p.field.is_empty() && !seen.iter().any(|(f, _)| *f == p.field) {
                seen.push((p.field, p.message.as_str()));
            }
        }
        seen
    }

    /// The message shown under a field, tied to it by its id (`{field}-error`), escaped.
    pub fn note(&self, field: &str) -> String {
        match self.get(field) {
            Some(message) => format!(
                "<p class=\"field-error\" id=\"{field}-error\">{}</p>",
                escaped(message)
            ),
            None => String::new(),
        }
    }

    /// The attributes of a field's input: marked invalid and described by its message (and by
    /// its hint, when it has one), focused when it is the first. Only our own ids go in.
    pub fn attrs(&self, field: &str, hint: &str) -> String {
        let mut described: Vec<String> = Vec::new();
        let mut attrs = String::new();
        if self.get(field).is_some() {
            attrs.push_str(" aria-invalid=\"true\"");
            described.push(format!("{field}-error"));
            if self.fields().first().is_some_and(|(f, _)| *f == field) {
                attrs.push_str(" autofocus");
            }
        }
        if !hint.is_empty() {
            described.push(hint.to_owned());
        }
        if !described.is_empty() {
            attrs.push_str(&format!(" aria-describedby=\"{}\"", described.join(" ")));
        }
        attrs
    }
}

/// Text made safe to put in HTML.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(api: &str) -> Option<&'static str> {
        match api {
            "title" => Some("title"),
            "beginsOn" => Some("begins"),
            _ => None,
        }
    }

    #[test]
    fn the_backends_problems_are_told_in_the_visitors_words_beside_the_form_fields() {
        let err = backend::Error::Invalid(vec![
            backend::error::FieldError {
                field: "beginsOn".into(),
                message: "out of range".into(),
            },
            backend::error::FieldError {
                field: "title".into(),
                message: "too short".into(),
            },
            backend::error::FieldError {
                field: "mystery".into(),
                message: "x".into(),
            },
        ]);
        let mut problems = Problems::default();
        problems.add_backend(Locale::Fr, &err, field_of);
        let problems = problems.sorted(&["title", "begins"]);
        let fields: Vec<&str> = problems.fields().iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["title", "begins"]);
        assert_eq!(problems.general().count(), 1);
        let title = problems.get("title").unwrap();
        assert!(
            !title.contains("title") && !title.contains("too short"),
            "{title}"
        );
        assert!(!problems.get("begins").unwrap().contains("beginsOn"));
    }

    #[test]
    fn only_the_first_field_is_focused_and_every_one_is_described_by_its_message() {
        let mut problems = Problems::default();
        problems.add("title", "A".into());
        problems.add("begins", "B".into());
        assert_eq!(
            problems.attrs("title", ""),
            " aria-invalid=\"true\" autofocus aria-describedby=\"title-error\""
        );
        assert_eq!(
            problems.attrs("begins", "begins-hint"),
            " aria-invalid=\"true\" aria-describedby=\"begins-error begins-hint\""
        );
        assert_eq!(
            problems.attrs("ends", "ends-hint"),
            " aria-describedby=\"ends-hint\""
        );
        assert_eq!(problems.attrs("ends", ""), "");
    }

    #[test]
    fn a_note_is_escaped_and_names_its_field() {
        let mut problems = Problems::default();
        problems.add("title", "<b>&</b>".into());
        assert_eq!(
            problems.note("title"),
            "<p class=\"field-error\" id=\"title-error\">&lt;b&gt;&amp;&lt;/b&gt;</p>"
        );
        assert_eq!(problems.note("begins"), "");
    }
}
