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
}
