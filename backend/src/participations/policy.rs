//! The rules of RSVPs, as pure functions tested as tables.

use entity::event::{EventStatus, JoinOptions};
use entity::participant::ParticipantRole;

use crate::error::Error;

/// What decides whether an event takes new participants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JoinFacts {
    pub join_options: JoinOptions,
    pub status: EventStatus,
    pub over: bool,
    pub draft: bool,
}

/// Why an event refuses new participants, if it does; each reason has its own code.
pub fn refusal(event: JoinFacts) -> Option<Error> {
    if event.draft {
        return Some(Error::rule(
            "event_draft",
            "this event is not published yet",
        ));
    }
    if event.status == EventStatus::Cancelled {
        return Some(Error::rule(
            "event_cancelled",
            "this event is cancelled and takes no more participants",
        ));
    }
    if event.over {
        return Some(Error::rule(
            "event_past",
            "this event is over and takes no more participants",
        ));
    }
    if event.join_options == JoinOptions::External {
        return Some(Error::rule(
            "event_external",
            "people register for this event on the organizer's own page",
        ));
    }
    None
}

/// The role a new (confirmed) participant gets.
pub fn role_on_join(join_options: JoinOptions) -> ParticipantRole {
    match join_options {
        JoinOptions::Restricted => ParticipantRole::NotApproved,
        JoinOptions::Free | JoinOptions::External => ParticipantRole::Participant,
    }
}

/// Whether a participant with `from` may be moved to `to` by the event's organizers.
pub fn can_change_role(from: ParticipantRole, to: ParticipantRole) -> bool {
    use ParticipantRole::*;
    match (from, to) {
        (Creator, _) | (NotConfirmed, _) => false,
        (_, Creator) | (_, NotConfirmed) | (_, NotApproved) => false,
        (a, b) if a == b => false,
        (_, Participant | Rejected | Moderator | Administrator) => true,
    }
}

/// Whether the seats are all taken. Only `PARTICIPANT`s take seats: organizers are there by
/// definition, and pending requests are not yet accepted.
pub fn is_full(capacity: Option<i32>, participants: u64) -> bool {
    capacity.is_some_and(|max| participants >= u64::try_from(max).unwrap_or(0))
}

pub fn event_full() -> Error {
    Error::rule("event_full", "this event is full: every seat is taken")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(join_options: JoinOptions, status: EventStatus, over: bool, draft: bool) -> JoinFacts {
        JoinFacts {
            join_options,
            status,
            over,
            draft,
        }
    }

    #[test]
    fn events_refuse_participants_with_a_code_per_reason() {
        use EventStatus::*;
        use JoinOptions::*;
        let cases = [
            (facts(Free, Confirmed, false, false), None),
            (facts(Restricted, Tentative, false, false), None),
            (
                facts(Free, Cancelled, false, false),
                Some("event_cancelled"),
            ),
            (facts(Free, Confirmed, true, false), Some("event_past")),
            (facts(Free, Cancelled, true, false), Some("event_cancelled")),
            (
                facts(External, Confirmed, false, false),
                Some("event_external"),
            ),
            (facts(Free, Confirmed, false, true), Some("event_draft")),
        ];
        for (facts, expected) in cases {
            assert_eq!(refusal(facts).map(|e| e.code()), expected, "{facts:?}");
        }
    }

    #[test]
    fn restricted_events_make_requests_and_free_events_participants() {
        assert_eq!(
            role_on_join(JoinOptions::Free),
            ParticipantRole::Participant
        );
        assert_eq!(
            role_on_join(JoinOptions::Restricted),
            ParticipantRole::NotApproved
        );
    }

    #[test]
    fn organizers_approve_and_reject_but_never_touch_the_creator() {
        use ParticipantRole::*;
        let cases = [
            (NotApproved, Participant, true),
            (NotApproved, Rejected, true),
            (Participant, Rejected, true),
            (Rejected, Participant, true),
            (Participant, Moderator, true),
            (Creator, Rejected, false),
            (Participant, Creator, false),
            (NotConfirmed, Participant, false),
            (Participant, Participant, false),
            (Participant, NotApproved, false),
        ];
        for (from, to, allowed) in cases {
            assert_eq!(can_change_role(from, to), allowed, "{from:?} -> {to:?}");
        }
    }

    #[test]
    fn an_event_is_full_when_participants_reach_its_capacity() {
        assert!(!is_full(None, 1_000));
        assert!(!is_full(Some(2), 1));
        assert!(is_full(Some(2), 2));
        assert!(is_full(Some(0), 0));
    }
}
