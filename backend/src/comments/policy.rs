//! Who may comment an event, and edit or delete a comment. Pure functions of the event's
//! state and the caller's relation to it, tested as tables.

use crate::error::Error;
use crate::events::details::CommentModeration;

/// What decides whether someone may write under an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommentFacts {
    pub moderation: Option<CommentModeration>,
    pub cancelled: bool,
    pub draft: bool,
    /// The caller runs the event (its organizer, or a moderator of its group).
    pub runs_event: bool,
    /// The caller asks for an announcement (Mobilizon's `isAnnouncement`).
    pub announcement: bool,
    /// The comment can reach the event's instance: ours, or another whose software takes
    /// replies from elsewhere. A comment that arrives from elsewhere always has.
    pub reaches_origin: bool,
}

/// Why a comment is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Cancelled,
    Draft,
    /// The organizers closed comments.
    Closed,
    /// The organizers hold comments for moderation, which this instance does not offer: only
    /// they may write.
    Moderated,
    /// Only those who run the event make announcements.
    AnnouncementByOrganizers,
    /// The event's instance takes no comments from elsewhere (Gancio's).
    OriginTakesNoComments,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Cancelled => "event_cancelled",
            Refusal::Draft => "event_draft",
            Refusal::Closed => "comments_closed",
            Refusal::Moderated => "comments_moderated",
            Refusal::AnnouncementByOrganizers => "announcement_by_organizers",
            Refusal::OriginTakesNoComments => "comments_not_federated",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Refusal::Cancelled => "this event is cancelled: it takes no more comments",
            Refusal::Draft => "this event is a draft: it takes no comments yet",
            Refusal::Closed => "the organizers closed the comments of this event",
            Refusal::Moderated => {
                "the organizers moderate the comments of this event: only they may write"
            }
            Refusal::AnnouncementByOrganizers => "only the organizers make announcements",
            Refusal::OriginTakesNoComments => {
                "this event's instance takes no comments from other instances: comment on its own site"
            }
        }
    }
}

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Self {
        Error::rule(refusal.code(), refusal.message())
    }
}

/// Why this comment may not be written, if it may not.
pub fn refusal(facts: CommentFacts) -> Option<Refusal> {
    if facts.draft {
        return Some(Refusal::Draft);
    }
    if facts.cancelled {
        return Some(Refusal::Cancelled);
    }
    if !facts.reaches_origin {
        return Some(Refusal::OriginTakesNoComments);
    }
    if facts.announcement && !facts.runs_event {
        return Some(Refusal::AnnouncementByOrganizers);
    }
    if facts.runs_event {
        return None;
    }
    match facts.moderation {
        Some(CommentModeration::Closed) => Some(Refusal::Closed),
        Some(CommentModeration::Moderated) => Some(Refusal::Moderated),
        Some(CommentModeration::AllowAll) | None => None,
    }
}

/// Whether peers may offer replies to the event (the `commentsEnabled` of its document).
pub fn open_to_everyone(moderation: Option<CommentModeration>) -> bool {
    matches!(moderation, None | Some(CommentModeration::AllowAll))
}

/// Editing a comment: its author only.
pub fn can_edit(author: bool) -> bool {
    author
}

/// Deleting a comment: its author, those who run the event, and instance moderators.
pub fn can_delete(author: bool, runs_event: bool, instance_moderator: bool) -> bool {
    author || runs_event || instance_moderator
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> CommentFacts {
        CommentFacts {
            moderation: None,
            cancelled: false,
            draft: false,
            runs_event: false,
            announcement: false,
            reaches_origin: true,
        }
    }

    #[test]
    fn anyone_comments_an_open_event_and_only_organizers_a_closed_or_moderated_one() {
        use CommentModeration::*;
        let cases = [
            (None, false, None),
            (Some(AllowAll), false, None),
            (Some(Closed), false, Some(Refusal::Closed)),
            (Some(Closed), true, None),
            (Some(Moderated), false, Some(Refusal::Moderated)),
            (Some(Moderated), true, None),
        ];
        for (moderation, runs_event, expected) in cases {
            let f = CommentFacts {
                moderation,
                runs_event,
                ..facts()
            };
            assert_eq!(refusal(f), expected, "{moderation:?} runs={runs_event}");
        }
    }

    #[test]
    fn nobody_comments_a_cancelled_event_or_a_draft_not_even_its_organizers() {
        for runs_event in [false, true] {
            let cancelled = CommentFacts {
                cancelled: true,
                runs_event,
                ..facts()
            };
            assert_eq!(refusal(cancelled), Some(Refusal::Cancelled));
            let draft = CommentFacts {
                draft: true,
                runs_event,
                ..facts()
            };
            assert_eq!(refusal(draft), Some(Refusal::Draft));
        }
    }

    #[test]
    fn nobody_here_comments_an_event_whose_instance_takes_no_comments_from_elsewhere() {
        for runs_event in [false, true] {
            let unreachable = CommentFacts {
                reaches_origin: false,
                runs_event,
                ..facts()
            };
            assert_eq!(refusal(unreachable), Some(Refusal::OriginTakesNoComments));
        }
    }

    #[test]
    fn only_organizers_make_announcements() {
        let by_participant = CommentFacts {
            announcement: true,
            ..facts()
        };
        assert_eq!(
            refusal(by_participant),
            Some(Refusal::AnnouncementByOrganizers)
        );
        let by_organizer = CommentFacts {
            announcement: true,
            runs_event: true,
            ..facts()
        };
        assert_eq!(refusal(by_organizer), None);
    }

    #[test]
    fn authors_edit_and_authors_organizers_and_moderators_delete() {
        assert!(can_edit(true));
        assert!(!can_edit(false));
        let cases = [
            (true, false, false, true),
            (false, true, false, true),
            (false, false, true, true),
            (false, false, false, false),
        ];
        for (author, runs, moderator, expected) in cases {
            assert_eq!(can_delete(author, runs, moderator), expected);
        }
    }

    #[test]
    fn peers_offer_replies_only_when_comments_are_open_to_everyone() {
        assert!(open_to_everyone(None));
        assert!(open_to_everyone(Some(CommentModeration::AllowAll)));
        assert!(!open_to_everyone(Some(CommentModeration::Closed)));
        assert!(!open_to_everyone(Some(CommentModeration::Moderated)));
    }
}
