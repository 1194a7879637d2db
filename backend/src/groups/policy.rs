//! Who may do what in a group. Pure functions of roles, tested as tables.

use entity::MemberRole;
use entity::actor::Openness;

/// What joining does, by the group's openness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinOutcome {
    Member,
    AwaitApproval,
    Refused,
}

pub fn join_outcome(openness: Openness) -> JoinOutcome {
    match openness {
        Openness::Open => JoinOutcome::Member,
        Openness::Moderated => JoinOutcome::AwaitApproval,
        Openness::InviteOnly => JoinOutcome::Refused,
    }
}

/// Changing the group's profile, visibility and openness.
pub fn can_update_group(role: Option<MemberRole>) -> bool {
    role.is_some_and(MemberRole::is_administrator)
}

/// Deleting the group (and its events): its administrators, or instance moderators.
pub fn can_delete_group(role: Option<MemberRole>, instance_moderator: bool) -> bool {
    instance_moderator || role.is_some_and(MemberRole::is_administrator)
}

pub fn can_invite(role: Option<MemberRole>) -> bool {
    role.is_some_and(MemberRole::is_moderator)
}

/// Approving or rejecting a request to join.
pub fn can_decide_requests(role: Option<MemberRole>) -> bool {
    role.is_some_and(MemberRole::is_moderator)
}

/// Seeing who follows the group and approving or refusing pending followers.
pub fn can_manage_followers(role: Option<MemberRole>) -> bool {
    role.is_some_and(MemberRole::is_moderator)
}

/// Giving a member another role: administrators only, among member, moderator, administrator.
pub fn can_change_role(role: Option<MemberRole>, from: MemberRole, to: MemberRole) -> bool {
    role.is_some_and(MemberRole::is_administrator)
        && from.is_member()
        && matches!(
            to,
            MemberRole::Member | MemberRole::Moderator | MemberRole::Administrator
        )
}

/// Removing someone: moderators remove plain members and pending people; administrators
/// remove anyone.
pub fn can_remove(role: Option<MemberRole>, target: MemberRole) -> bool {
    match role {
        Some(r) if r.is_administrator() => true,
        Some(r) if r.is_moderator() => !target.is_moderator(),
        _ => false,
    }
}

/// Seeing the members list and the group's private events.
pub fn can_see_members(role: Option<MemberRole>, instance_moderator: bool) -> bool {
    instance_moderator || role.is_some_and(MemberRole::is_member)
}

/// Creating or editing events in the group's name.
pub fn can_organize_events(role: Option<MemberRole>) -> bool {
    role.is_some_and(MemberRole::is_moderator)
}

#[cfg(test)]
mod tests {
    use super::*;
    use MemberRole::*;

    const NOBODY: Option<MemberRole> = None;

    #[test]
    fn joining_depends_on_openness() {
        assert_eq!(join_outcome(Openness::Open), JoinOutcome::Member);
        assert_eq!(
            join_outcome(Openness::Moderated),
            JoinOutcome::AwaitApproval
        );
        assert_eq!(join_outcome(Openness::InviteOnly), JoinOutcome::Refused);
    }

    /// (role, update, delete, invite, decide, see members, organize events)
    #[test]
    fn group_permissions_by_role() {
        let table = [
            (NOBODY, false, false, false, false, false, false),
            (Some(Invited), false, false, false, false, false, false),
            (Some(NotApproved), false, false, false, false, false, false),
            (Some(Rejected), false, false, false, false, false, false),
            (Some(Member), false, false, false, false, true, false),
            (Some(Moderator), false, false, true, true, true, true),
            (Some(Administrator), true, true, true, true, true, true),
            (Some(Creator), true, true, true, true, true, true),
        ];
        for (role, update, delete, invite, decide, see, organize) in table {
            assert_eq!(can_update_group(role), update, "update {role:?}");
            assert_eq!(can_delete_group(role, false), delete, "delete {role:?}");
            assert_eq!(can_invite(role), invite, "invite {role:?}");
            assert_eq!(can_decide_requests(role), decide, "decide {role:?}");
            assert_eq!(can_see_members(role, false), see, "see {role:?}");
            assert_eq!(can_organize_events(role), organize, "organize {role:?}");
        }
    }

    #[test]
    fn instance_moderators_may_delete_groups_and_see_members() {
        assert!(can_delete_group(NOBODY, true));
        assert!(can_see_members(NOBODY, true));
    }

    #[test]
    fn only_administrators_change_roles_and_only_among_member_roles() {
        assert!(can_change_role(Some(Administrator), Member, Moderator));
        assert!(can_change_role(Some(Creator), Moderator, Administrator));
        assert!(!can_change_role(Some(Moderator), Member, Moderator));
        assert!(!can_change_role(Some(Member), Member, Moderator));
        assert!(!can_change_role(Some(Administrator), Member, Creator));
        assert!(!can_change_role(Some(Administrator), Invited, Moderator));
        assert!(!can_change_role(Some(Administrator), Member, Rejected));
    }

    #[test]
    fn moderators_remove_members_but_not_other_moderators() {
        assert!(can_remove(Some(Moderator), Member));
        assert!(can_remove(Some(Moderator), NotApproved));
        assert!(!can_remove(Some(Moderator), Moderator));
        assert!(!can_remove(Some(Moderator), Administrator));
        assert!(can_remove(Some(Administrator), Moderator));
        assert!(can_remove(Some(Creator), Administrator));
        assert!(!can_remove(Some(Member), Member));
        assert!(!can_remove(NOBODY, Member));
    }
}
