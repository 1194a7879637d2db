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

/// Why an event does not take someone. Each reason has the stable code clients branch on
/// (the README's error table) and the message they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Draft,
    Cancelled,
    Past,
    /// People register on the organizer's own page (FEP-8a8e: other instances are told
    /// `Ignore`, not `Reject`).
    External,
    Full,
    /// The event takes participants with an account only (or is another instance's, which
    /// cannot mail someone without an account there).
    AnonymousParticipationDisabled,
    /// The event is another instance's, whose software takes no RSVPs over ActivityPub
    /// (Gancio, Mastodon…: `instances::software::answers_join`).
    OriginTakesNoRsvp,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Draft => "event_draft",
            Refusal::Cancelled => "event_cancelled",
            Refusal::Past => "event_past",
            Refusal::External => "event_external",
            Refusal::Full => "event_full",
            Refusal::AnonymousParticipationDisabled => "anonymous_participation_disabled",
            Refusal::OriginTakesNoRsvp => "event_rsvp_not_federated",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Refusal::Draft => "this event is not published yet",
            Refusal::Cancelled => "this event is cancelled and takes no more participants",
            Refusal::Past => "this event is over and takes no more participants",
            Refusal::External => "people register for this event on the organizer's own page",
            Refusal::Full => "this event is full: every seat is taken",
            Refusal::AnonymousParticipationDisabled => {
                "this event only takes participants with an account"
            }
            Refusal::OriginTakesNoRsvp => {
                "this event's instance takes no RSVPs from other instances: see the event on its own site"
            }
        }
    }

    /// Whether another instance is told nothing about its person's RSVP here (`Ignore`)
    /// rather than `Reject`: the event takes no RSVPs on any instance.
    pub fn is_ignored_elsewhere(self) -> bool {
        self == Refusal::External
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Self {
        Error::rule(refusal.code(), refusal.message())
    }
}

/// Why an event refuses new participants, if it does.
pub fn refusal(event: JoinFacts) -> Option<Refusal> {
    if event.draft {
        return Some(Refusal::Draft);
    }
    if event.status == EventStatus::Cancelled {
        return Some(Refusal::Cancelled);
    }
    if event.over {
        return Some(Refusal::Past);
    }
    if event.join_options == JoinOptions::External {
        return Some(Refusal::External);
    }
    None
}

/// Whether an event takes participants by email, without an account: only when its
/// organizers allow it and the event is ours (another instance cannot mail them).
pub fn takes_anonymous_participants(local: bool, anonymous_participation: bool) -> bool {
    local && anonymous_participation
}

/// The role a new (confirmed) participant gets. On invitation is Mobilizon's
/// (`get_default_participant_role`): without invitation objects for events, the organizers
/// approve each request, as on a restricted event.
pub fn role_on_join(join_options: JoinOptions) -> ParticipantRole {
    match join_options {
        JoinOptions::Restricted | JoinOptions::Invite => ParticipantRole::NotApproved,
        JoinOptions::Free | JoinOptions::External => ParticipantRole::Participant,
    }
}

/// What decides where a new (confirmed) participant goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeatFacts {
    pub join_options: JoinOptions,
    pub capacity: Option<i32>,
    /// Whether the event keeps a waitlist.
    pub waitlist: bool,
    pub line: super::waitlist::Line,
}

/// A seat (or a request to the organizers) while one is free and nobody waits; otherwise a
/// place in line, or `Full` when the event keeps no waitlist. Nobody passes those waiting.
pub fn place_on_join(facts: SeatFacts) -> Result<ParticipantRole, Refusal> {
    let full = is_full(facts.capacity, facts.line.participants);
    if !full && facts.line.waiting == 0 {
        return Ok(role_on_join(facts.join_options));
    }
    if facts.waitlist && facts.capacity.is_some() {
        return Ok(ParticipantRole::Waitlisted);
    }
    if full {
        return Err(Refusal::Full);
    }
    Ok(role_on_join(facts.join_options))
}

/// How many of those waiting may move up now: the seats neither taken nor, where the
/// organizers approve each request (restricted, on invitation), claimed by a request they
/// have not answered yet. All of them when the
/// event no longer has a capacity.
pub fn seats_for_waiting(
    join_options: JoinOptions,
    capacity: Option<i32>,
    line: super::waitlist::Line,
) -> u64 {
    let Some(capacity) = capacity else {
        return line.waiting;
    };
    let claimed = match role_on_join(join_options) {
        ParticipantRole::NotApproved => line.participants + line.not_approved,
        _ => line.participants,
    };
    u64::try_from(capacity)
        .unwrap_or(0)
        .saturating_sub(claimed)
        .min(line.waiting)
}

/// Whether a participant with `from` may be moved to `to` by the event's organizers.
pub fn can_change_role(from: ParticipantRole, to: ParticipantRole) -> bool {
    use ParticipantRole::*;
    match (from, to) {
        (Creator, _) | (NotConfirmed, _) => false,
        (_, Creator) | (_, NotConfirmed) | (_, NotApproved) | (_, Waitlisted) => false,
        (a, b) if a == b => false,
        (_, Participant | Rejected | Moderator | Administrator) => true,
    }
}

/// What the participants page offers organizers about someone with `role`: letting them in,
/// declining them. Only those who asked to take part are decided on, never the organizers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Decisions {
    pub approve: bool,
    pub reject: bool,
}

pub fn decisions(role: ParticipantRole) -> Decisions {
    use ParticipantRole::*;
    let asked = matches!(role, NotApproved | Participant | Rejected | Waitlisted);
    Decisions {
        approve: asked && can_change_role(role, Participant),
        reject: asked && can_change_role(role, Rejected),
    }
}

/// Whether the seats are all taken. Only `PARTICIPANT`s take seats: organizers are there by
/// definition, and pending requests are not yet accepted.
pub fn is_full(capacity: Option<i32>, participants: u64) -> bool {
    capacity.is_some_and(|max| participants >= u64::try_from(max).unwrap_or(0))
}

/// Why a participant cannot leave, if they cannot: the creator cancels or deletes the event
/// instead.
pub fn leave_refusal(role: ParticipantRole) -> Option<Error> {
    (role == ParticipantRole::Creator).then(|| {
        Error::rule(
            "creator_cannot_leave",
            "the organizer cannot leave their own event: cancel or delete it instead",
        )
    })
}

/// Who owns an event, as far as answering joins goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owners {
    pub local: bool,
    pub organizer_id: i64,
    pub group_id: Option<i64>,
}

/// Whether `sender`, a remote actor, may answer (`Accept`/`Reject`) a join of the event: only
/// its organizer or its group, and only for an event another instance runs.
pub fn may_answer_join(event: Owners, sender_id: i64) -> bool {
    !event.local && (event.organizer_id == sender_id || event.group_id == Some(sender_id))
}

/// What decides what an event page offers someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferFacts {
    pub event: JoinFacts,
    /// Every seat is taken.
    pub full: bool,
    /// A newcomer would be put in line: the event keeps a waitlist, and it is full or people
    /// already wait.
    pub waitlist: bool,
    /// Whether the event takes participants by email ([`takes_anonymous_participants`]).
    pub takes_anonymous: bool,
    /// The person's participation, if they have one.
    pub role: Option<ParticipantRole>,
    /// Whether they are logged in.
    pub signed_in: bool,
    /// Whether the event's instance takes RSVPs (ours does; another's by its software).
    pub origin_takes_rsvps: bool,
}

/// What an event page offers someone about taking part. The service checks the same rules
/// again when they act.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Offer {
    /// Why the event takes nobody (more), when it does not; `External` points to the
    /// organizer's own page.
    pub closed: Option<Refusal>,
    /// RSVP with their account.
    pub join: bool,
    /// Log in first to RSVP.
    pub log_in_to_join: bool,
    /// RSVP by email, without an account.
    pub join_by_email: bool,
    /// A request waits for the organizers.
    pub needs_approval: bool,
    /// Joining puts them in line (the event is full).
    pub joins_waitlist: bool,
    pub leave: bool,
}

pub fn offer(facts: OfferFacts) -> Offer {
    let closed = refusal(facts.event)
        .or_else(|| (!facts.origin_takes_rsvps).then_some(Refusal::OriginTakesNoRsvp))
        .or_else(|| {
            // Someone who takes part keeps their seat however full the event is.
            (facts.role.is_none() && facts.full && !facts.waitlist).then_some(Refusal::Full)
        });
    let may_ask = facts.role.is_none() && closed.is_none();
    Offer {
        closed,
        join: may_ask && facts.signed_in,
        log_in_to_join: may_ask && !facts.signed_in,
        join_by_email: may_ask && !facts.signed_in && facts.takes_anonymous,
        needs_approval: role_on_join(facts.event.join_options) == ParticipantRole::NotApproved,
        joins_waitlist: may_ask && facts.waitlist,
        // A declined person has nothing to leave; withdrawing would only hide the decision.
        leave: facts
            .role
            .is_some_and(|role| leave_refusal(role).is_none() && role != ParticipantRole::Rejected),
    }
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
            (facts(Invite, Confirmed, false, false), None),
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
            assert_eq!(refusal(facts).map(Refusal::code), expected, "{facts:?}");
        }
    }

    #[test]
    fn every_refusal_keeps_the_code_and_message_clients_know() {
        let cases = [
            (Refusal::Draft, "event_draft"),
            (Refusal::Cancelled, "event_cancelled"),
            (Refusal::Past, "event_past"),
            (Refusal::External, "event_external"),
            (Refusal::Full, "event_full"),
            (
                Refusal::AnonymousParticipationDisabled,
                "anonymous_participation_disabled",
            ),
            (Refusal::OriginTakesNoRsvp, "event_rsvp_not_federated"),
        ];
        for (refusal, code) in cases {
            let error = Error::from(refusal);
            assert_eq!(error.code(), code);
            assert_eq!(error.to_string(), refusal.message());
        }
        assert_eq!(
            Refusal::Full.to_string(),
            "this event is full: every seat is taken"
        );
    }

    #[test]
    fn only_external_events_are_ignored_rather_than_rejected_elsewhere() {
        assert!(Refusal::External.is_ignored_elsewhere());
        for refusal in [
            Refusal::Full,
            Refusal::Cancelled,
            Refusal::Past,
            Refusal::Draft,
            Refusal::OriginTakesNoRsvp,
        ] {
            assert!(!refusal.is_ignored_elsewhere(), "{refusal:?}");
        }
    }

    #[test]
    fn only_local_events_that_allow_it_take_participants_by_email() {
        assert!(takes_anonymous_participants(true, true));
        assert!(!takes_anonymous_participants(true, false));
        assert!(!takes_anonymous_participants(false, true));
    }

    #[test]
    fn the_creator_alone_cannot_leave() {
        use ParticipantRole::*;
        for role in [
            Administrator,
            Moderator,
            Participant,
            NotApproved,
            NotConfirmed,
            Rejected,
        ] {
            assert!(leave_refusal(role).is_none(), "{role:?}");
        }
        assert_eq!(
            leave_refusal(Creator).map(|e| e.code()),
            Some("creator_cannot_leave")
        );
    }

    #[test]
    fn only_the_organizer_or_group_of_a_remote_event_answers_its_joins() {
        let remote = Owners {
            local: false,
            organizer_id: 1,
            group_id: Some(2),
        };
        let cases = [
            (remote, 1, true),
            (remote, 2, true),
            (remote, 3, false),
            (
                Owners {
                    group_id: None,
                    ..remote
                },
                2,
                false,
            ),
            (
                Owners {
                    local: true,
                    ..remote
                },
                1,
                false,
            ),
        ];
        for (owners, sender, allowed) in cases {
            assert_eq!(
                may_answer_join(owners, sender),
                allowed,
                "{owners:?} by {sender}"
            );
        }
    }

    /// (facts, role, signed in, full, takes anonymous) -> (closed, join, log in, by email, leave)
    #[test]
    fn the_event_page_offers_what_the_rules_allow() {
        use JoinOptions::{External, Free};
        use ParticipantRole::*;
        let open = facts(Free, EventStatus::Confirmed, false, false);
        let cancelled = facts(Free, EventStatus::Cancelled, false, false);
        let external = facts(External, EventStatus::Confirmed, false, false);
        #[allow(clippy::type_complexity)]
        let cases: [(
            JoinFacts,
            Option<ParticipantRole>,
            bool,
            bool,
            bool,
            (Option<Refusal>, bool, bool, bool, bool),
        ); 10] = [
            (
                open,
                None,
                true,
                false,
                false,
                (None, true, false, false, false),
            ),
            (
                open,
                None,
                false,
                false,
                true,
                (None, false, true, true, false),
            ),
            (
                open,
                None,
                false,
                false,
                false,
                (None, false, true, false, false),
            ),
            (
                open,
                None,
                true,
                true,
                false,
                (Some(Refusal::Full), false, false, false, false),
            ),
            (
                open,
                Some(Participant),
                true,
                true,
                false,
                (None, false, false, false, true),
            ),
            (
                open,
                Some(NotApproved),
                true,
                false,
                false,
                (None, false, false, false, true),
            ),
            (
                open,
                Some(Creator),
                true,
                false,
                false,
                (None, false, false, false, false),
            ),
            (
                open,
                Some(Rejected),
                true,
                false,
                false,
                (None, false, false, false, false),
            ),
            (
                cancelled,
                Some(Participant),
                true,
                false,
                false,
                (Some(Refusal::Cancelled), false, false, false, true),
            ),
            (
                external,
                None,
                false,
                false,
                true,
                (Some(Refusal::External), false, false, false, false),
            ),
        ];
        for (event, role, signed_in, full, takes_anonymous, expected) in cases {
            let offer = offer(OfferFacts {
                event,
                full,
                waitlist: false,
                takes_anonymous,
                role,
                signed_in,
                origin_takes_rsvps: true,
            });
            assert_eq!(
                (
                    offer.closed,
                    offer.join,
                    offer.log_in_to_join,
                    offer.join_by_email,
                    offer.leave
                ),
                expected,
                "{event:?} {role:?} signed in: {signed_in} full: {full}"
            );
        }
    }

    #[test]
    fn requests_to_restricted_events_wait_for_the_organizers_on_the_page_too() {
        let restricted = facts(
            JoinOptions::Restricted,
            EventStatus::Confirmed,
            false,
            false,
        );
        let offer = offer(OfferFacts {
            event: restricted,
            full: false,
            waitlist: false,
            takes_anonymous: false,
            role: None,
            signed_in: true,
            origin_takes_rsvps: true,
        });
        assert!(offer.needs_approval && offer.join);
    }

    #[test]
    fn an_event_whose_instance_takes_no_rsvps_offers_none_but_lets_a_participant_leave() {
        let open = facts(JoinOptions::Free, EventStatus::Confirmed, false, false);
        let page = |role| {
            offer(OfferFacts {
                event: open,
                full: false,
                waitlist: false,
                takes_anonymous: false,
                role,
                signed_in: true,
                origin_takes_rsvps: false,
            })
        };
        let newcomer = page(None);
        assert_eq!(newcomer.closed, Some(Refusal::OriginTakesNoRsvp));
        assert!(!newcomer.join && !newcomer.log_in_to_join);
        // A cancelled or past event says so first.
        let cancelled = offer(OfferFacts {
            event: facts(JoinOptions::Free, EventStatus::Cancelled, false, false),
            ..OfferFacts {
                event: open,
                full: false,
                waitlist: false,
                takes_anonymous: false,
                role: None,
                signed_in: true,
                origin_takes_rsvps: false,
            }
        });
        assert_eq!(cancelled.closed, Some(Refusal::Cancelled));
        assert!(page(Some(ParticipantRole::NotApproved)).leave);
    }

    #[test]
    fn restricted_and_invitation_events_make_requests_and_free_events_participants() {
        use JoinOptions::*;
        use ParticipantRole::*;
        for (options, role) in [
            (Free, Participant),
            (Restricted, NotApproved),
            (Invite, NotApproved),
        ] {
            assert_eq!(role_on_join(options), role, "{options:?}");
        }
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
    fn organizers_decide_on_those_who_asked_and_never_on_organizers() {
        use ParticipantRole::*;
        let cases = [
            (NotApproved, true, true),
            (Participant, false, true),
            (Rejected, true, false),
            (NotConfirmed, false, false),
            (Moderator, false, false),
            (Administrator, false, false),
            (Creator, false, false),
        ];
        for (role, approve, reject) in cases {
            assert_eq!(decisions(role), Decisions { approve, reject }, "{role:?}");
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
