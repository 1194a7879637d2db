//! Countries' names in the languages of the pages, for the towns the binary carries (their
//! table names a country by its ISO code, which people do not read as a name: "FR").
//! Built by `backend/data/build_countries.py`.

use std::collections::HashMap;
use std::sync::LazyLock;

/// (English, French) by ISO 3166-1 alpha-2 code.
static NAMES: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> = LazyLock::new(|| {
    include_str!("../../data/countries.tsv")
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let code = fields.next()?;
            let english = fields.next()?;
            let french = fields.next()?;
            Some((code, (english, french)))
        })
        .collect()
});

/// The name of the country of `code` in `language` (a code such as `fr`), in English for the
/// languages it has no names in; `None` for a code it does not know.
pub fn name(code: &str, language: &str) -> Option<&'static str> {
    let (english, french) = NAMES.get(code.to_ascii_uppercase().as_str())?;
    Some(match language.get(..2) {
        Some("fr") => french,
        _ => english,
    })
}

#[cfg(test)]
mod tests {
    use super::name;

    #[test]
    fn a_country_is_named_in_the_language_asked_and_in_english_otherwise() {
        assert_eq!(name("DE", "fr"), Some("Allemagne"));
        assert_eq!(name("de", "en"), Some("Germany"));
        assert_eq!(name("DE", "it"), Some("Germany"));
        assert_eq!(name("ZZ", "fr"), None);
    }
}
