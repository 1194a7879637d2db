//! A profile's summary (a person's or a group's "about"), as pages show it and as its form
//! shows it back. Mobilizon's API and other instances send HTML; our forms send text. A page
//! must neither show HTML's tags as text nor trust them: HTML is sanitized, text keeps its
//! line breaks and gets its addresses linked, the way event descriptions are.

use crate::events::{description, sanitize};

/// Whether a stored summary is HTML rather than text someone typed ("Venez <3" is text).
fn is_html(summary: &str) -> bool {
    let trimmed = summary.trim();
    trimmed.starts_with('<')
        && trimmed.ends_with('>')
        && (trimmed.contains("</") || trimmed.contains("<br"))
}

/// The summary as safe HTML for a page.
pub fn to_html(summary: &str) -> String {
    if is_html(summary) {
        sanitize::description(summary)
    } else {
        description::to_html(summary)
    }
}

/// The summary as text for its form: HTML is turned back into the text that makes it.
pub fn to_text(summary: &str) -> String {
    if is_html(summary) {
        description::source_of_html(summary)
    } else {
        summary.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_html_summary_is_shown_sanitized_and_given_back_as_text() {
        let html = "<p>Un apéro par mois au bord du canal.</p><script>x()</script>";
        let shown = to_html(html);
        assert!(
            shown.contains("<p>Un apéro par mois au bord du canal.</p>"),
            "{shown}"
        );
        assert!(!shown.contains("script"), "{shown}");
        assert_eq!(to_text(html).trim(), "Un apéro par mois au bord du canal.");
    }

    #[test]
    fn a_typed_summary_keeps_its_words_and_its_angle_brackets() {
        let typed = "Venez nombreux <3\nhttps://example.org";
        let shown = to_html(typed);
        assert!(shown.contains("Venez nombreux &lt;3"), "{shown}");
        assert!(shown.contains("href=\"https://example.org\""), "{shown}");
        assert!(!shown.contains("<3"), "{shown}");
        assert_eq!(to_text(typed), typed);
    }
}
