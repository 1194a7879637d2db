//! The content-line syntax of RFC 5545 §3.1: TEXT escaping, parameter quoting, folding and CRLF.
//!
//! Every byte of a calendar is written through [`ContentLines`], and every user string that
//! reaches it loses its control characters, so no title, address or name can end a line early
//! and smuggle in a property of its own.

/// RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.
const MAX_OCTETS: usize = 75;
const CRLF: &str = "\r\n";

/// A calendar being written, one content line at a time.
#[derive(Debug, Default)]
pub(super) struct ContentLines {
    out: String,
}

impl ContentLines {
    pub(super) fn begin(&mut self, component: &str) {
        self.write("BEGIN", &[], component);
    }

    pub(super) fn end(&mut self, component: &str) {
        self.write("END", &[], component);
    }

    /// A property of type TEXT (RFC 5545 §3.3.11).
    pub(super) fn text(&mut self, name: &str, text: &str) {
        self.write(name, &[], &escape_text(text));
    }

    /// A multi-valued TEXT property (CATEGORIES): each value is escaped, so a comma inside one
    /// does not split it in two.
    pub(super) fn text_list(&mut self, name: &str, values: &[&str]) {
        let escaped: Vec<String> = values.iter().map(|value| escape_text(value)).collect();
        self.write(name, &[], &escaped.join(","));
    }

    /// A property whose value type has no escaping (dates, durations, numbers, URIs).
    pub(super) fn value(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        self.write(name, params, &without_controls(value));
    }

    /// Lines written earlier by another `ContentLines`, as they are.
    pub(super) fn written(&mut self, lines: &str) {
        self.out.push_str(lines);
    }

    pub(super) fn into_string(self) -> String {
        self.out
    }

    fn write(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        let mut line = String::from(name);
        for (key, param) in params {
            line.push(';');
            line.push_str(key);
            line.push('=');
            line.push_str(&param_value(param));
        }
        line.push(':');
        line.push_str(value);
        fold_into(&line, &mut self.out);
    }
}

/// Escapes a TEXT value: backslash, semicolon and comma get a backslash, every kind of line
/// break becomes `\n`, tabs become spaces and other control characters are dropped.
pub(super) fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                escaped.push_str("\\n");
            }
            '\n' => escaped.push_str("\\n"),
            '\t' => escaped.push(' '),
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// A parameter value (RFC 5545 §3.2): it cannot hold a DQUOTE or a control character at all,
/// and needs quotes when it holds one of the delimiters `:`, `;` or `,`.
pub(super) fn param_value(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

fn without_controls(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

/// Writes one logical line, folded so that no physical line exceeds 75 octets: continuation
/// lines start with a space, which counts toward their 75.
fn fold_into(line: &str, out: &mut String) {
    let mut rest = line;
    let mut limit = MAX_OCTETS;
    while rest.len() > limit {
        let cut = fold_point(rest, limit);
        out.push_str(&rest[..cut]);
        out.push_str(CRLF);
        out.push(' ');
        rest = &rest[cut..];
        limit = MAX_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str(CRLF);
}

/// Where to cut `rest` so its first part fits in `limit` octets. The cut never falls inside a
/// UTF-8 sequence (RFC 5545 says multi-octet characters must stay contiguous), and moves before
/// any whitespace that would otherwise end the physical line: some parsers, the `ical` crate
/// among them, trim physical lines before unfolding and would lose it.
fn fold_point(rest: &str, limit: usize) -> usize {
    let mut cut = limit;
    while !rest.is_char_boundary(cut) {
        cut -= 1;
    }
    let kept = rest[..cut].trim_end_matches(char::is_whitespace).len();
    if kept > 0 { kept } else { cut }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(line: &str) -> String {
        let mut out = String::new();
        fold_into(line, &mut out);
        out
    }

    fn unfold(folded: &str) -> String {
        folded.trim_end_matches(CRLF).replace("\r\n ", "")
    }

    #[test]
    fn long_lines_fold_without_splitting_characters() {
        // Characters of 1 to 4 octets, shifted by every offset, so that each width meets the
        // 75-octet boundary in every possible position.
        for filler in ["é", "€", "😀", "a"] {
            for shift in 0..4 {
                let line = format!("DESCRIPTION:{}{}", "x".repeat(shift), filler.repeat(200));
                let out = folded(&line);
                for physical in out.split(CRLF).filter(|l| !l.is_empty()) {
                    assert!(physical.len() <= MAX_OCTETS, "{} octets", physical.len());
                }
                assert_eq!(unfold(&out), line);
            }
        }
    }

    #[test]
    fn continuation_lines_start_with_one_space_and_count_it() {
        let out = folded(&format!("SUMMARY:{}", "a".repeat(200)));
        let lines: Vec<&str> = out.split(CRLF).filter(|l| !l.is_empty()).collect();
        assert_eq!(lines[0].len(), 75);
        assert!(lines[1].starts_with(' ') && !lines[1].starts_with("  "));
        assert_eq!(lines[1].len(), 75);
        assert!(out.ends_with(CRLF));
    }

    #[test]
    fn short_lines_are_left_whole() {
        assert_eq!(folded("VERSION:2.0"), "VERSION:2.0\r\n");
        let exact = format!("SUMMARY:{}", "a".repeat(67));
        assert_eq!(folded(&exact), format!("{exact}\r\n"));
    }

    #[test]
    fn folds_never_leave_whitespace_at_the_end_of_a_physical_line() {
        let line = format!("SUMMARY:{}end", "word ".repeat(60));
        let out = folded(&line);
        for physical in out.split(CRLF).filter(|l| !l.is_empty()) {
            assert!(!physical.ends_with(' '), "{physical:?}");
        }
        assert_eq!(unfold(&out), line);
    }

    #[test]
    fn text_escapes_delimiters_and_line_breaks() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng"
        );
    }

    #[test]
    fn text_loses_control_characters_but_keeps_other_characters() {
        assert_eq!(escape_text("a\u{0}b\u{7}c\u{7f}d\te 🎉:"), "abcd e 🎉:");
    }

    #[test]
    fn parameters_are_quoted_only_when_they_hold_delimiters() {
        assert_eq!(param_value("Alice"), "Alice");
        assert_eq!(param_value("Doe, Jane"), "\"Doe, Jane\"");
        assert_eq!(param_value("a:b;c"), "\"a:b;c\"");
        assert_eq!(param_value("Say \"hi\"\r\nnow"), "Say hinow");
    }

    #[test]
    fn no_value_can_break_out_of_its_line() {
        let mut lines = ContentLines::default();
        lines.value(
            "URL",
            &[("X-NAME", "a\r\nEVIL:1")],
            "https://e.org/\r\nEVIL:2",
        );
        lines.text("SUMMARY", "x\r\nEVIL:3");
        let out = lines.into_string();
        assert_eq!(out.matches(CRLF).count(), 2, "{out:?}");
        assert!(!out.contains("\nEVIL"), "{out:?}");
    }
}
