//! Languages Convive speaks (English and French), how a language is chosen, and dates written
//! the way each language writes them. Each crate keeps its own Fluent strings; this module
//! holds the backend's (mail) and the shared `Locale` type.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, TimeZone};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use serde::{Deserialize, Serialize};

fluent_templates::static_loader! {
    static MAIL_STRINGS = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks around arguments show up as garbage in plain-text mail.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    Fr,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
        }
    }

    /// Name of the language in itself, for language switches.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Fr => "Français",
        }
    }

    /// Accepts `fr`, `fr-FR`, `fr_CA`, `EN`…
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            "fr" => Some(Locale::Fr),
            _ => None,
        }
    }

    pub fn is_supported(tag: &str) -> bool {
        Self::parse(tag).is_some()
    }

    pub fn all_codes() -> Vec<&'static str> {
        Self::ALL.iter().map(|l| l.code()).collect()
    }

    /// The preferred supported language of an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut candidates: Vec<(f32, usize, Locale)> = header
            .split(',')
            .enumerate()
            .filter_map(|(position, part)| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                if quality <= 0.0 {
                    return None;
                }
                Some((quality, position, Locale::parse(tag)?))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        candidates.first().map(|c| c.2)
    }

    pub fn langid(self) -> LanguageIdentifier {
        match self {
            Locale::En => fluent_templates::langid!("en"),
            Locale::Fr => fluent_templates::langid!("fr"),
        }
    }

    fn chrono_locale(self) -> chrono::Locale {
        match self {
            Locale::En => chrono::Locale::en_GB,
            Locale::Fr => chrono::Locale::fr_FR,
        }
    }

    /// "Tuesday 24 November 2026, 18:30" / "mardi 24 novembre 2026, 18:30".
    pub fn format_datetime<Tz: TimeZone>(self, at: &DateTime<Tz>) -> String
    where
        Tz::Offset: std::fmt::Display,
    {
        let pattern = match self {
            Locale::En => "%A %-d %B %Y, %H:%M",
            Locale::Fr => "%A %-d %B %Y, %H:%M",
        };
        at.format_localized(pattern, self.chrono_locale())
            .to_string()
    }

    /// "Tuesday 24 November 2026" / "mardi 24 novembre 2026".
    pub fn format_date<Tz: TimeZone>(self, at: &DateTime<Tz>) -> String
    where
        Tz::Offset: std::fmt::Display,
    {
        at.format_localized("%A %-d %B %Y", self.chrono_locale())
            .to_string()
    }

    /// A day as `pattern` writes it in this language (`%B %Y`: "December 2026" /
    /// "décembre 2026"; `%a`: "Tue" / "mar.").
    pub fn format_day(self, day: chrono::NaiveDate, pattern: &str) -> String {
        day.format_localized(pattern, self.chrono_locale())
            .to_string()
    }

    /// "18:30".
    pub fn format_time<Tz: TimeZone>(self, at: &DateTime<Tz>) -> String
    where
        Tz::Offset: std::fmt::Display,
    {
        at.format_localized("%H:%M", self.chrono_locale())
            .to_string()
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Arguments of a translated string.
pub type Args = HashMap<Cow<'static, str>, FluentValue<'static>>;

/// Builds [`Args`] from pairs.
pub fn args<const N: usize>(pairs: [(&'static str, String); N]) -> Args {
    pairs
        .into_iter()
        .map(|(k, v)| (Cow::Borrowed(k), FluentValue::from(v)))
        .collect()
}

/// Adds a number argument, so that plural forms (`[one]`, `[other]`) are chosen by it.
pub fn with_count(mut args: Args, count: usize) -> Args {
    args.insert(
        Cow::Borrowed("count"),
        FluentValue::from(i64::try_from(count).unwrap_or(i64::MAX)),
    );
    args
}

/// A place in a line, in words of `locale`: "1st", "2nd", "3rd", "11th" in English; "1er",
/// "2e" in French.
pub fn ordinal(locale: Locale, n: u64) -> String {
    match locale {
        Locale::En => {
            let suffix = match (n % 10, n % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{n}{suffix}")
        }
        Locale::Fr if n == 1 => "1er".to_owned(),
        Locale::Fr => format!("{n}e"),
    }
}

/// A backend string (mail) in `locale`.
pub fn text(locale: Locale, key: &str) -> String {
    MAIL_STRINGS.lookup(&locale.langid(), key)
}

/// A backend string with arguments.
pub fn text_with(locale: Locale, key: &str, args: &Args) -> String {
    MAIL_STRINGS.lookup_with_args(&locale.langid(), key, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_in_line_read_as_ordinals_in_both_languages() {
        let cases = [
            (Locale::En, 1, "1st"),
            (Locale::En, 2, "2nd"),
            (Locale::En, 3, "3rd"),
            (Locale::En, 4, "4th"),
            (Locale::En, 11, "11th"),
            (Locale::En, 12, "12th"),
            (Locale::En, 13, "13th"),
            (Locale::En, 21, "21st"),
            (Locale::En, 112, "112th"),
            (Locale::Fr, 1, "1er"),
            (Locale::Fr, 3, "3e"),
        ];
        for (locale, n, expected) in cases {
            assert_eq!(ordinal(locale, n), expected, "{locale:?} {n}");
        }
    }

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(
            Locale::from_accept_language("de-DE,fr;q=0.8,en;q=0.5"),
            Some(Locale::Fr)
        );
        assert_eq!(
            Locale::from_accept_language("en-US,en;q=0.9,fr;q=0.8"),
            Some(Locale::En)
        );
        assert_eq!(Locale::from_accept_language("de, es"), None);
        assert_eq!(Locale::from_accept_language("fr;q=0, en"), Some(Locale::En));
    }

    #[test]
    fn dates_are_written_in_the_language_of_the_reader() {
        let at = chrono::Utc
            .with_ymd_and_hms(2026, 11, 24, 17, 30, 0)
            .single()
            .expect("valid date");
        assert_eq!(
            Locale::Fr.format_datetime(&at),
            "mardi 24 novembre 2026, 17:30"
        );
        assert_eq!(
            Locale::En.format_datetime(&at),
            "Tuesday 24 November 2026, 17:30"
        );
    }

    #[test]
    fn plural_forms_follow_the_count() {
        let one = text_with(
            Locale::En,
            "reminder-day-subject",
            &with_count(Args::new(), 1),
        );
        let three = text_with(
            Locale::En,
            "reminder-day-subject",
            &with_count(Args::new(), 3),
        );
        assert_eq!(one, "Today: your event");
        assert_eq!(three, "Today: your 3 events");
        let trois = text_with(
            Locale::Fr,
            "reminder-day-subject",
            &with_count(Args::new(), 3),
        );
        assert_eq!(trois, "Aujourd’hui : vos 3 événements");
    }

    #[test]
    fn every_mail_string_exists_in_every_language() {
        let en = include_str!("../locales/en/mail.ftl");
        let fr = include_str!("../locales/fr/mail.ftl");
        let keys = |source: &str| -> Vec<String> {
            source
                .lines()
                .filter(|l| !l.starts_with([' ', '#', '\t']) && l.contains(" ="))
                .filter_map(|l| l.split(" =").next().map(|k| k.trim().to_owned()))
                .collect()
        };
        let (mut en_keys, mut fr_keys) = (keys(en), keys(fr));
        en_keys.sort();
        fr_keys.sort();
        assert_eq!(en_keys, fr_keys);
    }
}
