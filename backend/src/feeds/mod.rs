//! What Convive publishes for other software to read: iCalendar for mail attachments and
//! calendar subscriptions, Atom for feed readers, and the plain text those make of event
//! descriptions; then the feeds themselves (`sources`) and the tokens of private feeds.
//!
//! The writers (`ical`, `atom`, `text`) are pure: plain data in, bytes or text out. `sources`
//! decides what each feed holds and who may read it; serving the bytes belongs to `web`.

mod atom;
mod content_line;
mod dates;
mod ical;
pub mod sources;
mod text;
mod timezone;
pub mod tokens;

pub use atom::{AtomMeta, atom};
pub use ical::{CalendarEvent, CalendarMeta, FeedPicture, PRODID, Repeats, WrittenEvent, calendar};
pub use sources::{Feed, Format, Rendered, Source, Validator};
pub use text::html_to_text;

/// Events as feeds write them, kept by format and version (see `sources`).
#[derive(Clone, Debug)]
pub struct WrittenEvents(crate::kept::Kept<std::sync::Arc<WrittenEvent>>);

impl WrittenEvents {
    pub fn new(budget: usize) -> Self {
        Self(crate::kept::Kept::new(budget, |written| written.size()))
    }
}

#[cfg(test)]
mod tests;
