//! Who reads and writes a group's discussions. Pure functions of the caller's role in the
//! group and of their part in the discussion, tested as tables.
//!
//! Discussions are the members' own: nobody else reads them, not even the instance's
//! moderators (who read what is reported to them). Mobilizon lets any member rename or
//! delete a discussion; here its creator and the group's moderators do, so that one member
//! cannot wipe the others' words.

use entity::MemberRole;

/// Reading a group's discussions, starting one and answering: its members.
pub fn can_take_part(role: Option<MemberRole>) -> bool {
    role.is_some_and(MemberRole::is_member)
}

/// Renaming or deleting a whole discussion: its creator (still a member) and the group's
/// moderators.
pub fn can_manage(role: Option<MemberRole>, creator: bool) -> bool {
    match role {
        Some(role) if role.is_moderator() => true,
        Some(role) => creator && role.is_member(),
        None => false,
    }
}

/// Changing a comment's text: its author, while a member.
pub fn can_edit_comment(role: Option<MemberRole>, author: bool) -> bool {
    author && can_take_part(role)
}

/// Deleting a comment: its author while a member, and the group's moderators.
pub fn can_delete_comment(role: Option<MemberRole>, author: bool) -> bool {
    can_manage(role, author)
}

/// Whether other instances hear of a change to a comment: every change in a discussion of one
/// of our groups (its members elsewhere), and what was written here in a copy of another
/// instance's discussion (the group's instance).
pub fn federates(group_is_local: bool, comment_is_local: bool) -> bool {
    group_is_local || comment_is_local
}

/// Whether a remote sender speaks for a group's discussions, as kept here in copies: the
/// group itself, or an actor of its instance (Mobilizon sends a discussion's start from its
/// creator, a member there); never for one of our groups.
pub fn speaks_for_copy(sender_is_group: bool, same_instance: bool, group_is_local: bool) -> bool {
    !group_is_local && (sender_is_group || same_instance)
}

/// Whether a discussion starts here: in our groups only (another instance's group starts its
/// discussions there; members here answer them).
pub fn starts_here(group_is_local: bool) -> bool {
    group_is_local
}

/// Whether another instance reads the comments of a group's discussion (fetching their
/// `Note`s): the group's own instance, or one where a member of the group lives.
pub fn instance_reads(of_group_instance: bool, member_there: bool) -> bool {
    of_group_instance || member_there
}

#[cfg(test)]
mod tests {
    use super::*;
    use MemberRole::*;

    const ROLES: [Option<MemberRole>; 8] = [
        None,
        Some(Invited),
        Some(NotApproved),
        Some(Rejected),
        Some(Member),
        Some(Moderator),
        Some(Administrator),
        Some(Creator),
    ];

    #[test]
    fn members_take_part_and_the_invited_the_pending_and_outsiders_do_not() {
        let expected = [false, false, false, false, true, true, true, true];
        for (role, expected) in ROLES.into_iter().zip(expected) {
            assert_eq!(can_take_part(role), expected, "{role:?}");
        }
    }

    #[test]
    fn the_creator_and_moderators_rename_or_delete_a_discussion_and_other_members_do_not() {
        let by_creator = [false, false, false, false, true, true, true, true];
        let by_other = [false, false, false, false, false, true, true, true];
        for ((role, creator), other) in ROLES.into_iter().zip(by_creator).zip(by_other) {
            assert_eq!(can_manage(role, true), creator, "creator {role:?}");
            assert_eq!(can_manage(role, false), other, "other {role:?}");
        }
    }

    #[test]
    fn authors_edit_their_comments_and_moderators_delete_anyones() {
        assert!(can_edit_comment(Some(Member), true));
        assert!(!can_edit_comment(Some(Member), false));
        assert!(!can_edit_comment(Some(Moderator), false));
        assert!(
            !can_edit_comment(None, true),
            "a former member edits nothing"
        );
        assert!(can_delete_comment(Some(Member), true));
        assert!(!can_delete_comment(Some(Member), false));
        assert!(can_delete_comment(Some(Moderator), false));
        assert!(!can_delete_comment(None, true));
    }

    #[test]
    fn changes_federate_from_our_groups_and_from_here_in_copies() {
        assert!(federates(true, true));
        assert!(
            federates(true, false),
            "a member's answer from elsewhere is relayed"
        );
        assert!(
            federates(false, true),
            "an answer here goes to the group's instance"
        );
        assert!(!federates(false, false), "a copy is never sent back");
    }

    #[test]
    fn only_a_remote_group_or_its_instance_speaks_for_the_copy_of_its_discussions() {
        assert!(speaks_for_copy(true, true, false));
        assert!(speaks_for_copy(false, true, false));
        assert!(!speaks_for_copy(false, false, false), "a third instance");
        assert!(!speaks_for_copy(true, true, true), "never for our groups");
        assert!(!speaks_for_copy(false, true, true));
    }

    #[test]
    fn discussions_start_in_our_groups_only() {
        assert!(starts_here(true));
        assert!(!starts_here(false));
    }

    #[test]
    fn the_groups_instance_and_its_members_instances_read_its_discussions_and_no_other() {
        assert!(instance_reads(true, false));
        assert!(instance_reads(false, true));
        assert!(!instance_reads(false, false));
    }
}
