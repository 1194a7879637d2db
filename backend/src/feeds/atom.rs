//! Atom 1.0 (RFC 4287) for feed readers: one entry per event, whose title and summary say when
//! and where the event happens, since a reader only shows when an entry was published.
//!
//! The same input always gives the same bytes, like the calendars, so a reader's cached copy can
//! be revalidated.

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use entity::event::EventStatus;

use super::ical::{CalendarEvent, FeedPicture, WrittenEvent};
use super::text::html_to_text;
use super::timezone;

/// What a feed says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct AtomMeta {
    /// A permanent IRI naming the feed.
    pub id: String,
    pub title: String,
    /// Plain text.
    pub subtitle: Option<String>,
    /// Where the feed itself is served (`rel="self"`).
    pub self_url: String,
    /// The page the feed comes from (`rel="alternate"`).
    pub page_url: Option<String>,
    /// Who publishes the feed: entries without an organizer are attributed to them.
    pub author: String,
    /// The newest change of anything in the feed, which readers compare.
    pub updated: DateTime<Utc>,
}

/// The Atom document for `events`, in the order given.
pub fn atom(meta: &AtomMeta, events: &[CalendarEvent]) -> Vec<u8> {
    let written: Vec<WrittenEvent> = events.iter().map(entry).collect();
    atom_around(meta, written.iter())
}

/// The entry of one event.
pub(super) fn entry(event: &CalendarEvent) -> WrittenEvent {
    let mut xml = Xml::default();
    write_entry(&mut xml, event);
    WrittenEvent {
        text: xml.out,
        zone: None,
    }
}

/// The feed around entries already written, in the order given.
pub(super) fn atom_around<'a>(
    meta: &AtomMeta,
    events: impl Iterator<Item = &'a WrittenEvent> + Clone,
) -> Vec<u8> {
    let mut xml = Xml::default();
    xml.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.raw("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    xml.element(1, "id", &meta.id);
    xml.element(1, "title", &meta.title);
    if let Some(subtitle) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        xml.element(1, "subtitle", subtitle);
    }
    xml.element(1, "updated", &rfc3339(meta.updated));
    xml.link(1, "self", "application/atom+xml", &meta.self_url);
    if let Some(page) = meta.page_url.as_deref().filter(|p| !p.is_empty()) {
        xml.link(1, "alternate", "text/html", page);
    }
    xml.person(1, "author", &meta.author, None);
    xml.element(1, "generator", "Convive");
    xml.out
        .reserve(events.clone().map(|e| e.text.len()).sum::<usize>() + 8);
    for event in events {
        xml.raw(&event.text);
    }
    xml.raw("</feed>\n");
    xml.out.into_bytes()
}

/// A group's post as a feed shows it, beside the group's events.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedPost {
    /// Its page, which is also its permanent id.
    pub url: String,
    pub title: String,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub author: String,
    /// Sanitized HTML.
    pub html: String,
}

/// The entry of one post: its text whole, as HTML readers show.
pub(super) fn post_entry(post: &FeedPost) -> WrittenEvent {
    let mut xml = Xml::default();
    xml.raw("  <entry>\n");
    xml.element(2, "id", &post.url);
    xml.element(2, "title", post.title.trim());
    xml.element(2, "updated", &rfc3339(post.updated));
    xml.element(2, "published", &rfc3339(post.published));
    xml.link(2, "alternate", "text/html", &post.url);
    if !post.author.trim().is_empty() {
        xml.person(2, "author", post.author.trim(), None);
    }
    xml.indent(2);
    xml.raw("<content type=\"html\">");
    escape(&post.html, false, &mut xml.out);
    xml.raw("</content>\n");
    xml.raw("  </entry>\n");
    WrittenEvent {
        text: xml.out,
        zone: None,
    }
}

fn write_entry(xml: &mut Xml, event: &CalendarEvent) {
    let zone = timezone::event_zone(&event.timezone);
    xml.raw("  <entry>\n");
    xml.element(2, "id", &event.url);
    xml.element(2, "title", &entry_title(event, zone));
    xml.element(2, "updated", &rfc3339(event.last_modified));
    if let Some(created) = event.created {
        xml.element(2, "published", &rfc3339(created));
    }
    if !event.url.is_empty() {
        xml.link(2, "alternate", "text/html", &event.url);
    }
    if let Some(picture) = &event.picture {
        xml.enclosure(2, picture);
    }
    if let Some((name, uri)) = &event.organizer
        && !name.trim().is_empty()
    {
        xml.person(
            2,
            "author",
            name.trim(),
            Some(uri.as_str()).filter(|u| !u.is_empty()),
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for category in event.categories.iter().map(|c| c.trim()) {
        if !category.is_empty() && !seen.contains(&category) {
            seen.push(category);
            xml.indent(2);
            xml.raw("<category term=\"");
            xml.attribute(category);
            xml.raw("\"/>\n");
        }
    }
    xml.element_typed(2, "summary", &summary(event, zone));
    xml.raw("  </entry>\n");
}

/// "Sat 5 Dec 2026 18:30 (Europe/Paris) — Title": the date readers sort and skim by.
fn entry_title(event: &CalendarEvent, zone: Option<Tz>) -> String {
    let when = format!("{} ({})", local(event.begins_on, zone), zone_name(zone));
    let title = event.title.trim();
    match event.status {
        EventStatus::Cancelled => format!("Cancelled: {when} — {title}"),
        _ => format!("{when} — {title}"),
    }
}

/// When, where, and the description as text.
fn summary(event: &CalendarEvent, zone: Option<Tz>) -> String {
    let mut lines = vec![format!("When: {}", when(event, zone))];
    if let Some(location) = event.location.as_deref().map(str::trim)
        && !location.is_empty()
    {
        lines.push(format!("Where: {location}"));
    }
    if let Some(online) = event.online_address.as_deref().map(str::trim)
        && !online.is_empty()
    {
        lines.push(format!("Online: {online}"));
    }
    match event.status {
        EventStatus::Cancelled => lines.push("Status: cancelled".to_owned()),
        EventStatus::Tentative => lines.push("Status: to be confirmed".to_owned()),
        EventStatus::Confirmed => {}
    }
    let description = html_to_text(&event.description_html);
    if !description.is_empty() {
        lines.push(String::new());
        lines.push(description);
    }
    lines.join("\n")
}

/// The span of the event in its zone; the end shows only its time when on the same day.
fn when(event: &CalendarEvent, zone: Option<Tz>) -> String {
    let begins = local(event.begins_on, zone);
    let Some(ends_on) = event.ends_on.filter(|e| *e > event.begins_on) else {
        return format!("{begins} ({})", zone_name(zone));
    };
    let same_day = match zone {
        Some(tz) => {
            ends_on.with_timezone(&tz).date_naive()
                == event.begins_on.with_timezone(&tz).date_naive()
        }
        None => ends_on.date_naive() == event.begins_on.date_naive(),
    };
    let ends = if same_day {
        match zone {
            Some(tz) => ends_on.with_timezone(&tz).format("%H:%M").to_string(),
            None => ends_on.format("%H:%M").to_string(),
        }
    } else {
        local(ends_on, zone)
    };
    format!("{begins} – {ends} ({})", zone_name(zone))
}

fn local(instant: DateTime<Utc>, zone: Option<Tz>) -> String {
    const FORMAT: &str = "%a %-d %b %Y %H:%M";
    match zone {
        Some(tz) => instant.with_timezone(&tz).format(FORMAT).to_string(),
        None => instant.format(FORMAT).to_string(),
    }
}

fn zone_name(zone: Option<Tz>) -> &'static str {
    zone.map_or("UTC", |tz| tz.name())
}

/// RFC 3339, as Atom's date constructs want it, in UTC.
fn rfc3339(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An XML document being written. Every user string goes through [`escape`].
#[derive(Debug, Default)]
struct Xml {
    out: String,
}

impl Xml {
    fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }

    fn indent(&mut self, depth: usize) {
        self.out.push_str(&"  ".repeat(depth));
    }

    fn element(&mut self, depth: usize, name: &str, text: &str) {
        self.indent(depth);
        self.out.push_str(&format!("<{name}>"));
        escape(text, false, &mut self.out);
        self.out.push_str(&format!("</{name}>\n"));
    }

    /// A text construct that says it is plain text (the default, but readers differ).
    fn element_typed(&mut self, depth: usize, name: &str, text: &str) {
        self.indent(depth);
        self.out.push_str(&format!("<{name} type=\"text\">"));
        escape(text, false, &mut self.out);
        self.out.push_str(&format!("</{name}>\n"));
    }

    fn attribute(&mut self, value: &str) {
        escape(value, true, &mut self.out);
    }

    fn link(&mut self, depth: usize, rel: &str, media_type: &str, href: &str) {
        self.indent(depth);
        self.out.push_str(&format!(
            "<link rel=\"{rel}\" type=\"{media_type}\" href=\""
        ));
        self.attribute(href);
        self.out.push_str("\"/>\n");
    }

    /// RFC 4287 §4.2.7.2: a related resource, with its type and length in bytes.
    fn enclosure(&mut self, depth: usize, picture: &FeedPicture) {
        self.indent(depth);
        self.out.push_str("<link rel=\"enclosure\" type=\"");
        self.attribute(&picture.content_type);
        self.out
            .push_str(&format!("\" length=\"{}\" href=\"", picture.bytes));
        self.attribute(&picture.url);
        self.out.push_str("\"/>\n");
    }

    fn person(&mut self, depth: usize, name: &str, person: &str, uri: Option<&str>) {
        self.indent(depth);
        self.out.push_str(&format!("<{name}>\n"));
        self.element(depth + 1, "name", person);
        if let Some(uri) = uri {
            self.element(depth + 1, "uri", uri);
        }
        self.indent(depth);
        self.out.push_str(&format!("</{name}>\n"));
    }
}

/// Escapes markup characters, and drops what XML 1.0 cannot hold at all (control characters
/// other than tab and line breaks, U+FFFE and U+FFFF): one such character in a title would
/// make strict readers reject the whole feed.
fn escape(text: &str, attribute: bool, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            // Attribute values normalize raw whitespace to spaces; keep line breaks as written.
            '\n' if attribute => out.push_str("&#10;"),
            '\r' if attribute => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\t' | '\n' => out.push(c),
            '\r' => out.push_str("&#13;"),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn meta() -> AtomMeta {
        AtomMeta {
            id: "https://convive.example/@jazz/feed/atom".to_owned(),
            title: "Jazz & <soul>".to_owned(),
            subtitle: Some("Concerts".to_owned()),
            self_url: "https://convive.example/@jazz/feed/atom".to_owned(),
            page_url: Some("https://convive.example/@jazz".to_owned()),
            author: "Jazz club".to_owned(),
            updated: at(2026, 11, 20, 9, 15),
        }
    }

    fn event() -> CalendarEvent {
        CalendarEvent {
            uid: "u@convive.example".to_owned(),
            url: "https://convive.example/events/u".to_owned(),
            title: "Jam session".to_owned(),
            description_html: "<p>Bring your <strong>instrument</strong>.</p>".to_owned(),
            begins_on: at(2026, 12, 5, 17, 30),
            ends_on: Some(at(2026, 12, 5, 20, 0)),
            timezone: "Europe/Paris".to_owned(),
            created: Some(at(2026, 10, 2, 8, 0)),
            last_modified: at(2026, 11, 20, 9, 15),
            sequence: 0,
            status: EventStatus::Confirmed,
            visibility: entity::event::EventVisibility::Public,
            location: Some("Le Caveau, Paris".to_owned()),
            geo: None,
            categories: vec!["Music".to_owned(), "jazz".to_owned(), "Music".to_owned()],
            organizer: Some((
                "Jazz club".to_owned(),
                "https://convive.example/@jazz".to_owned(),
            )),
            online_address: None,
            picture: None,
            repeats: None,
        }
    }

    fn feed(events: &[CalendarEvent]) -> String {
        String::from_utf8(atom(&meta(), events)).unwrap()
    }

    #[test]
    fn entry_titles_say_when_the_event_happens_in_its_zone() {
        let out = feed(&[event()]);
        assert!(
            out.contains("<title>Sat 5 Dec 2026 18:30 (Europe/Paris) — Jam session</title>"),
            "{out}"
        );
        assert!(out.contains("When: Sat 5 Dec 2026 18:30 – 21:00 (Europe/Paris)\nWhere: Le Caveau, Paris\n\nBring your instrument."));
    }

    #[test]
    fn events_over_several_days_show_the_full_end_and_those_without_end_only_the_start() {
        let long = CalendarEvent {
            ends_on: Some(at(2026, 12, 6, 20, 0)),
            ..event()
        };
        assert!(
            feed(&[long])
                .contains("When: Sat 5 Dec 2026 18:30 – Sun 6 Dec 2026 21:00 (Europe/Paris)")
        );
        let open = CalendarEvent {
            ends_on: None,
            timezone: "UTC".to_owned(),
            ..event()
        };
        assert!(feed(&[open]).contains("When: Sat 5 Dec 2026 17:30 (UTC)\n"));
    }

    #[test]
    fn cancelled_events_say_so_in_their_title() {
        let cancelled = CalendarEvent {
            status: EventStatus::Cancelled,
            ..event()
        };
        let out = feed(&[cancelled]);
        assert!(out.contains(
            "<title>Cancelled: Sat 5 Dec 2026 18:30 (Europe/Paris) — Jam session</title>"
        ));
        assert!(out.contains("Status: cancelled"));
    }

    #[test]
    fn markup_in_user_text_is_escaped_and_control_characters_dropped() {
        let out = feed(&[CalendarEvent {
            title: "<b>Rock</b> & \"roll\" \u{1}\u{FFFE}'n'".to_owned(),
            url: "https://convive.example/events/u?a=1&b=\"2\"".to_owned(),
            ..event()
        }]);
        assert!(out.contains("<title>Jazz &amp; &lt;soul&gt;</title>"));
        assert!(
            out.contains("— &lt;b&gt;Rock&lt;/b&gt; &amp; \"roll\" 'n'</title>"),
            "{out}"
        );
        assert!(out.contains("href=\"https://convive.example/events/u?a=1&amp;b=&quot;2&quot;\""));
        assert!(!out.contains('\u{1}') && !out.contains('\u{FFFE}'));
    }

    #[test]
    fn the_feed_names_itself_and_each_entry_its_dates_link_author_and_categories() {
        let out = feed(&[event()]);
        for expected in [
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
            "<id>https://convive.example/@jazz/feed/atom</id>",
            "<updated>2026-11-20T09:15:00Z</updated>",
            "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://convive.example/@jazz/feed/atom\"/>",
            "<link rel=\"alternate\" type=\"text/html\" href=\"https://convive.example/@jazz\"/>",
            "    <id>https://convive.example/events/u</id>",
            "    <published>2026-10-02T08:00:00Z</published>",
            "    <link rel=\"alternate\" type=\"text/html\" href=\"https://convive.example/events/u\"/>",
            "      <uri>https://convive.example/@jazz</uri>",
        ] {
            assert!(out.contains(expected), "missing {expected} in {out}");
        }
        assert_eq!(out.matches("<category term=\"Music\"/>").count(), 1);
        assert!(out.contains("<category term=\"jazz\"/>"));
    }

    #[test]
    fn identical_input_gives_identical_bytes() {
        let events = [
            event(),
            CalendarEvent {
                begins_on: event().begins_on + Duration::days(1),
                ..event()
            },
        ];
        assert_eq!(atom(&meta(), &events), atom(&meta(), &events));
    }

    #[test]
    fn an_events_picture_is_an_enclosure_with_its_type_and_length() {
        let out = feed(&[CalendarEvent {
            picture: Some(FeedPicture {
                url: "https://convive.example/media/ab-banner.jpg?a=1&b=2".to_owned(),
                content_type: "image/jpeg".to_owned(),
                bytes: 48_213,
            }),
            ..event()
        }]);
        assert!(
            out.contains(
                "<link rel=\"enclosure\" type=\"image/jpeg\" length=\"48213\" \
                 href=\"https://convive.example/media/ab-banner.jpg?a=1&amp;b=2\"/>"
            ),
            "{out}"
        );
        assert!(!feed(&[event()]).contains("enclosure"));
    }
}
