//! Who writes to an event's participants, who answers in a conversation, and who is written
//! to. Pure functions, tested as tables.

use entity::participant::ParticipantRole;

use crate::error::Error;

/// Why a message is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Only those who run the event (its organizer, its group's moderators) write to all of
    /// its participants.
    NotOrganizer,
    /// The sender named is neither the event's organizer nor its group, as the caller.
    NotASender,
    /// Nobody has the roles picked.
    NoRecipients,
    /// The caller takes no part in this conversation.
    NotInConversation,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::NotOrganizer | Refusal::NotASender | Refusal::NotInConversation => "forbidden",
            Refusal::NoRecipients => "no_recipients",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Refusal::NotOrganizer => "only the event's organizers write to its participants",
            Refusal::NotASender => {
                "write as the event's organizer or as its group, if you moderate it"
            }
            Refusal::NoRecipients => "no participant has the roles you picked",
            Refusal::NotInConversation => "you take no part in this conversation",
        }
    }
}

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::NoRecipients => Error::rule(refusal.code(), refusal.message()),
            Refusal::NotInConversation => Error::not_found("conversation"),
            _ => Error::forbidden(refusal.message()),
        }
    }
}

/// Writing to an event's participants: those who run it, nobody else.
pub fn may_write_to_participants(runs_event: bool) -> Result<(), Refusal> {
    if runs_event {
        Ok(())
    } else {
        Err(Refusal::NotOrganizer)
    }
}

/// Answering in a conversation: those who speak for one of its two sides (the person written
/// to, or the sender, a group speaking through its moderators).
pub fn may_answer(speaks_for_a_side: bool) -> Result<(), Refusal> {
    if speaks_for_a_side {
        Ok(())
    } else {
        Err(Refusal::NotInConversation)
    }
}

/// Roles written to when the organizers pick none: everyone who asked to take part, going,
/// waiting or declined, but not those who never confirmed their address (nobody knows it is
/// theirs) nor the event's creator (who writes).
pub const ALL_RECIPIENT_ROLES: [ParticipantRole; 6] = [
    ParticipantRole::Administrator,
    ParticipantRole::Moderator,
    ParticipantRole::Participant,
    ParticipantRole::NotApproved,
    ParticipantRole::Waitlisted,
    ParticipantRole::Rejected,
];

/// The roles written to for the roles picked (Mobilizon's `roles`, all when empty); an
/// unconfirmed participation is never written to, and the creator writes rather than reads.
pub fn recipient_roles(picked: &[ParticipantRole]) -> Vec<ParticipantRole> {
    if picked.is_empty() {
        return ALL_RECIPIENT_ROLES.to_vec();
    }
    let mut roles: Vec<ParticipantRole> = picked
        .iter()
        .copied()
        .filter(|r| ALL_RECIPIENT_ROLES.contains(r))
        .collect();
    roles.sort_by_key(sea_orm::ActiveEnum::to_value);
    roles.dedup();
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_those_who_run_the_event_write_to_its_participants() {
        assert_eq!(may_write_to_participants(true), Ok(()));
        assert_eq!(may_write_to_participants(false), Err(Refusal::NotOrganizer));
    }

    #[test]
    fn only_the_two_sides_of_a_conversation_answer_in_it() {
        assert_eq!(may_answer(true), Ok(()));
        assert_eq!(may_answer(false), Err(Refusal::NotInConversation));
    }

    #[test]
    fn picking_no_role_writes_to_everyone_who_asked_to_take_part() {
        let all = recipient_roles(&[]);
        assert!(all.contains(&ParticipantRole::Participant));
        assert!(all.contains(&ParticipantRole::NotApproved));
        assert!(all.contains(&ParticipantRole::Rejected));
        assert!(!all.contains(&ParticipantRole::NotConfirmed));
        assert!(!all.contains(&ParticipantRole::Creator));
    }

    #[test]
    fn picked_roles_are_kept_but_unconfirmed_people_and_the_creator_are_never_written_to() {
        use ParticipantRole::*;
        let cases: [(&[ParticipantRole], &[ParticipantRole]); 4] = [
            (&[Participant], &[Participant]),
            (&[Rejected, Rejected], &[Rejected]),
            (&[NotConfirmed], &[]),
            (&[Creator, NotApproved], &[NotApproved]),
        ];
        for (picked, expected) in cases {
            assert_eq!(recipient_roles(picked), expected.to_vec(), "{picked:?}");
        }
    }
}
