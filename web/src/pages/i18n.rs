//! The strings of the pages, in English and French (web/locales).

use std::borrow::Cow;
use std::collections::HashMap;

use backend::i18n::Locale;
use fluent_templates::Loader;
use fluent_templates::fluent_bundle::FluentValue;

fluent_templates::static_loader! {
    static PAGE_STRINGS = {
        locales: "./locales",
        fallback_language: "en",
        // Isolation marks would end up inside attributes and copied text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

pub fn t(locale: Locale, key: &str) -> String {
    PAGE_STRINGS.lookup(&locale.langid(), key)
}

/// The string of `key`, if the pages have one.
pub fn try_t(locale: Locale, key: &str) -> Option<String> {
    PAGE_STRINGS.try_lookup(&locale.langid(), key)
}

pub fn count(locale: Locale, key: &str, n: u64) -> String {
    let mut args: HashMap<Cow<'static, str>, FluentValue<'static>> = HashMap::new();
    args.insert(
        Cow::Borrowed("count"),
        FluentValue::from(i64::try_from(n).unwrap_or(i64::MAX)),
    );
    PAGE_STRINGS.lookup_with_args(&locale.langid(), key, &args)
}

/// A string with several numbers; `count` (if among them) picks the plural.
pub fn counts(locale: Locale, key: &str, numbers: &[(&'static str, u64)]) -> String {
    let mut args: HashMap<Cow<'static, str>, FluentValue<'static>> = HashMap::new();
    for (name, n) in numbers {
        args.insert(
            Cow::Borrowed(*name),
            FluentValue::from(i64::try_from(*n).unwrap_or(i64::MAX)),
        );
    }
    PAGE_STRINGS.lookup_with_args(&locale.langid(), key, &args)
}

pub fn with(locale: Locale, key: &str, name: &'static str, value: String) -> String {
    let mut args: HashMap<Cow<'static, str>, FluentValue<'static>> = HashMap::new();
    args.insert(Cow::Borrowed(name), FluentValue::from(value));
    PAGE_STRINGS.lookup_with_args(&locale.langid(), key, &args)
}

/// A string with one text argument and a `count` (which picks the plural).
pub fn with_count(locale: Locale, key: &str, name: &'static str, value: String, n: u64) -> String {
    let mut args: HashMap<Cow<'static, str>, FluentValue<'static>> = HashMap::new();
    args.insert(Cow::Borrowed(name), FluentValue::from(value));
    args.insert(
        Cow::Borrowed("count"),
        FluentValue::from(i64::try_from(n).unwrap_or(i64::MAX)),
    );
    PAGE_STRINGS.lookup_with_args(&locale.langid(), key, &args)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    fn keys(text: &str) -> BTreeSet<String> {
        text.lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#'))
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_owned()))
            .collect()
    }

    #[test]
    fn every_page_string_exists_in_every_language() {
        let en = keys(include_str!("../../locales/en/pages.ftl"));
        let fr = keys(include_str!("../../locales/fr/pages.ftl"));
        assert_eq!(en, fr);
        let en = keys(include_str!("../../locales/en/places.ftl"));
        let fr = keys(include_str!("../../locales/fr/places.ftl"));
        assert_eq!(en, fr);
        let en = keys(include_str!("../../locales/en/account.ftl"));
        let fr = keys(include_str!("../../locales/fr/account.ftl"));
        assert_eq!(en, fr);
        let en = keys(include_str!("../../locales/en/maps.ftl"));
        let fr = keys(include_str!("../../locales/fr/maps.ftl"));
        assert_eq!(en, fr);
        let en = keys(include_str!("../../locales/en/admin.ftl"));
        let fr = keys(include_str!("../../locales/fr/admin.ftl"));
        assert_eq!(en, fr);
    }
}
