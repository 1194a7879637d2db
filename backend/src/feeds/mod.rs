//! What Convive publishes for other software to read: iCalendar for mail attachments and
//! calendar subscriptions, and the plain text those (and Atom feeds) make of event
//! descriptions.
//!
//! Everything here is pure: plain data in, bytes or text out. Loading events, checking who may
//! see them and serving the result belong to the callers.

mod content_line;
mod ical;
mod text;
mod timezone;

pub use ical::{CalendarEvent, CalendarMeta, PRODID, calendar};
pub use text::html_to_text;
