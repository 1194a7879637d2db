//! Who may see, edit, delete and manage an event. Pure functions of the caller's relation to
//! the event, tested as tables.

use entity::event::{self, EventVisibility};
use entity::{MemberRole, ParticipantRole};

/// How the caller relates to one event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Access {
    /// One of the caller's identities organizes the event.
    pub organizer: bool,
    /// The caller's strongest role in the group the event belongs to.
    pub group_role: Option<MemberRole>,
    /// The caller's participation, if any.
    pub participant_role: Option<ParticipantRole>,
    pub instance_moderator: bool,
    /// The event's organizer or group is suspended: only moderators see it.
    pub owner_suspended: bool,
}

/// The facts about an event that decide access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventFacts {
    pub visibility: EventVisibility,
    pub draft: bool,
    pub in_group: bool,
}

/// Running the event: the organizer, or the group's moderators for a group's event.
pub fn can_edit(event: EventFacts, access: Access) -> bool {
    access.organizer || (event.in_group && access.group_role.is_some_and(MemberRole::is_moderator))
}

/// Deleting: whoever may edit, and instance moderators (moderation).
pub fn can_delete(event: EventFacts, access: Access) -> bool {
    can_edit(event, access) || access.instance_moderator
}

/// Approving, rejecting and listing participants: whoever may edit, and participants the
/// organizer made moderators or administrators of the event.
pub fn can_manage_participants(event: EventFacts, access: Access) -> bool {
    can_edit(event, access)
        || access.participant_role.is_some_and(|r| {
            matches!(
                r,
                ParticipantRole::Administrator | ParticipantRole::Moderator
            )
        })
}

/// Seeing the event at all. A suspended organizer's or group's: only instance moderators.
/// Drafts: only those who may edit. Private events: the group's
/// members and the event's participants. Restricted events (Mobilizon's "visible only after
/// a moderator accepted"): the group's members and the participants the organizers accepted,
/// not those still waiting for an answer or in line. Instance moderators see everything
/// (moderation).
pub fn can_view(event: EventFacts, access: Access) -> bool {
    if access.owner_suspended && !access.instance_moderator {
        return false;
    }
    if can_edit(event, access) || access.instance_moderator {
        return true;
    }
    if event.draft {
        return false;
    }
    let group_member = event.in_group && access.group_role.is_some_and(MemberRole::is_member);
    match event.visibility {
        EventVisibility::Public | EventVisibility::Unlisted => true,
        EventVisibility::Restricted => {
            group_member
                || access
                    .participant_role
                    .is_some_and(ParticipantRole::is_going)
        }
        EventVisibility::Private => {
            group_member
                || access
                    .participant_role
                    .is_some_and(|r| r != ParticipantRole::Rejected)
        }
    }
}

/// Whether anyone with the event's address may see it: Mobilizon's `@public_visibility`
/// (public and unlisted). Restricted and private events are seen only by those [`can_view`]
/// lets in, never by strangers or other instances.
pub fn open_to_anyone(visibility: EventVisibility) -> bool {
    matches!(
        visibility,
        EventVisibility::Public | EventVisibility::Unlisted
    )
}

/// Creating an event in a group's name.
pub fn can_organize_for_group(group_role: Option<MemberRole>) -> bool {
    group_role.is_some_and(MemberRole::is_moderator)
}

/// Whether other instances hear about this event: local, published, public or unlisted. As
/// in Mobilizon, whose event documents are served for those two only, restricted and private
/// events never leave the instance: another one could not tell who may see them.
pub fn federates(event: &event::Model) -> bool {
    event.local && !event.draft && open_to_anyone(event.visibility)
}

/// Keeping an event of another instance: only public and unlisted ones (we could not tell who
/// else may see a private one).
pub fn keeps_remote(visibility: EventVisibility) -> bool {
    open_to_anyone(visibility)
}

/// The series link an event of another instance carries (`convive:series`), kept only when it
/// is an http(s) address of the event's own instance (an event cannot join a series another
/// instance speaks for) and of a bounded length.
pub fn keeps_series_link(event_ap_id: &str, series_url: &str) -> bool {
    const MAX_LEN: usize = 2048;
    let (Ok(event), Ok(series)) = (url::Url::parse(event_ap_id), url::Url::parse(series_url))
    else {
        return false;
    };
    series_url.len() <= MAX_LEN
        && matches!(series.scheme(), "http" | "https")
        && series.scheme() == event.scheme()
        && series.host_str().is_some()
        && series.host_str() == event.host_str()
        && series.port_or_known_default() == event.port_or_known_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_link_is_kept_only_when_it_is_on_the_events_own_instance() {
        let event = "https://a.example/events/1";
        let cases = [
            ("https://a.example/series/9", true),
            ("https://b.example/series/9", false),
            ("http://a.example/series/9", false),
            ("https://a.example:8443/series/9", false),
            ("urn:uuid:9", false),
            ("not an address", false),
        ];
        for (series, kept) in cases {
            assert_eq!(keeps_series_link(event, series), kept, "{series}");
        }
        let long = format!("https://a.example/{}", "x".repeat(2100));
        assert!(!keeps_series_link(event, &long), "bounded");
    }

    const PUBLIC: EventFacts = EventFacts {
        visibility: EventVisibility::Public,
        draft: false,
        in_group: true,
    };
    const PRIVATE: EventFacts = EventFacts {
        visibility: EventVisibility::Private,
        draft: false,
        in_group: true,
    };
    const RESTRICTED: EventFacts = EventFacts {
        visibility: EventVisibility::Restricted,
        draft: false,
        in_group: true,
    };
    const DRAFT: EventFacts = EventFacts {
        visibility: EventVisibility::Public,
        draft: true,
        in_group: true,
    };

    fn anonymous() -> Access {
        Access::default()
    }
    fn unrelated() -> Access {
        Access::default()
    }
    fn member() -> Access {
        Access {
            group_role: Some(MemberRole::Member),
            ..Access::default()
        }
    }
    fn moderator() -> Access {
        Access {
            group_role: Some(MemberRole::Moderator),
            ..Access::default()
        }
    }
    fn group_admin() -> Access {
        Access {
            group_role: Some(MemberRole::Administrator),
            ..Access::default()
        }
    }
    fn organizer() -> Access {
        Access {
            organizer: true,
            participant_role: Some(ParticipantRole::Creator),
            ..Access::default()
        }
    }
    fn instance_admin() -> Access {
        Access {
            instance_moderator: true,
            ..Access::default()
        }
    }
    fn participant() -> Access {
        Access {
            participant_role: Some(ParticipantRole::Participant),
            ..Access::default()
        }
    }

    /// (who, view public, view private, view draft, edit, delete, manage participants)
    #[test]
    fn event_permissions_by_relation() {
        let table: [(&str, Access, [bool; 6]); 8] = [
            (
                "anonymous",
                anonymous(),
                [true, false, false, false, false, false],
            ),
            (
                "unrelated user",
                unrelated(),
                [true, false, false, false, false, false],
            ),
            (
                "participant",
                participant(),
                [true, true, false, false, false, false],
            ),
            (
                "group member",
                member(),
                [true, true, false, false, false, false],
            ),
            (
                "group moderator",
                moderator(),
                [true, true, true, true, true, true],
            ),
            (
                "group administrator",
                group_admin(),
                [true, true, true, true, true, true],
            ),
            (
                "organizer",
                organizer(),
                [true, true, true, true, true, true],
            ),
            (
                "instance admin",
                instance_admin(),
                [true, true, true, false, true, false],
            ),
        ];
        for (who, access, expected) in table {
            let got = [
                can_view(PUBLIC, access),
                can_view(PRIVATE, access),
                can_view(DRAFT, access),
                can_edit(PUBLIC, access),
                can_delete(PUBLIC, access),
                can_manage_participants(PUBLIC, access),
            ];
            assert_eq!(got, expected, "{who}");
        }
    }

    #[test]
    fn group_roles_do_not_count_for_events_outside_the_group() {
        let personal = EventFacts {
            in_group: false,
            ..PUBLIC
        };
        assert!(!can_edit(personal, moderator()));
        assert!(can_edit(personal, organizer()));
        let private_personal = EventFacts {
            in_group: false,
            ..PRIVATE
        };
        assert!(!can_view(private_personal, member()));
        assert!(can_view(private_personal, participant()));
    }

    #[test]
    fn rejected_participants_do_not_see_private_events() {
        let rejected = Access {
            participant_role: Some(ParticipantRole::Rejected),
            ..Access::default()
        };
        assert!(!can_view(PRIVATE, rejected));
    }

    fn with_role(role: ParticipantRole) -> Access {
        Access {
            participant_role: Some(role),
            ..Access::default()
        }
    }

    #[test]
    fn a_restricted_event_is_seen_by_its_group_and_the_participants_the_organizers_accepted() {
        use ParticipantRole::*;
        let cases = [
            ("anonymous", anonymous(), false),
            ("unrelated user", unrelated(), false),
            ("group member", member(), true),
            ("group moderator", moderator(), true),
            ("organizer", organizer(), true),
            ("instance admin", instance_admin(), true),
            ("accepted participant", with_role(Participant), true),
            ("event moderator", with_role(Moderator), true),
            ("event administrator", with_role(Administrator), true),
            ("request not answered yet", with_role(NotApproved), false),
            ("email not confirmed yet", with_role(NotConfirmed), false),
            ("in line for a seat", with_role(Waitlisted), false),
            ("declined", with_role(Rejected), false),
        ];
        for (who, access, sees) in cases {
            assert_eq!(can_view(RESTRICTED, access), sees, "{who}");
        }
        let personal = EventFacts {
            in_group: false,
            ..RESTRICTED
        };
        assert!(!can_view(personal, member()), "no group, no members");
        let draft = EventFacts {
            draft: true,
            ..RESTRICTED
        };
        assert!(
            !can_view(draft, with_role(Participant)),
            "drafts: editors only"
        );
    }

    #[test]
    fn only_public_and_unlisted_events_are_open_to_anyone_and_federate() {
        for (visibility, open) in [
            (EventVisibility::Public, true),
            (EventVisibility::Unlisted, true),
            (EventVisibility::Restricted, false),
            (EventVisibility::Private, false),
        ] {
            assert_eq!(open_to_anyone(visibility), open, "{visibility:?}");
            assert_eq!(keeps_remote(visibility), open, "{visibility:?}");
        }
    }

    #[test]
    fn only_group_moderators_organize_in_its_name() {
        for (role, allowed) in [
            (None, false),
            (Some(MemberRole::Invited), false),
            (Some(MemberRole::Member), false),
            (Some(MemberRole::Moderator), true),
            (Some(MemberRole::Administrator), true),
            (Some(MemberRole::Creator), true),
        ] {
            assert_eq!(can_organize_for_group(role), allowed, "{role:?}");
        }
    }
}
