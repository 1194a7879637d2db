//! Who may do what in a group, and who may follow whom. Pure functions of roles, tested as
//! tables.

use entity::MemberRole;
use entity::actor::{ActorKind, Openness};

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

/// The facts about a followed actor that decide following it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Followed {
    pub id: i64,
    pub kind: ActorKind,
    pub local: bool,
    pub suspended: bool,
    pub manually_approves_followers: bool,
}

/// The facts about a follower that decide what it may follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Follower {
    pub kind: ActorKind,
    pub local: bool,
}

/// Whether `follower` may follow `target`. People here follow groups, ours or another
/// instance's; our instance actor follows other instances' actors, and theirs follow our
/// groups, people and instance actor (Mobilizon's relays).
pub fn can_follow(target: Followed, follower: Follower) -> bool {
    if target.suspended {
        return false;
    }
    match (follower.local, follower.kind) {
        (true, ActorKind::Application) => !target.local && target.kind == ActorKind::Application,
        (true, _) => target.kind == ActorKind::Group,
        (false, _) => {
            target.local
                && matches!(
                    target.kind,
                    ActorKind::Group | ActorKind::Person | ActorKind::Application
                )
        }
    }
}

/// Whether someone may speak for our instance actor: make it follow another instance or stop,
/// and accept or refuse an instance that asks to follow it. Administrators may (and the
/// instance itself, from the command line).
pub fn may_speak_for_instance(instance_admin: bool) -> bool {
    instance_admin
}

/// Whether a new follow is approved at once. Our groups and people take followers at once
/// unless they approve them by hand; an instance following ours waits for an administrator;
/// another instance's actor answers for itself (`Accept`).
pub fn approves_at_once(target: Followed) -> bool {
    target.local && !target.manually_approves_followers && target.kind != ActorKind::Application
}

/// Who answers a follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowAnswerer {
    /// Another instance's actor, answering with `Accept` or `Reject`.
    Remote { actor_id: i64 },
    /// Someone here, with their role in the followed group and whether they administer the
    /// instance.
    Local {
        group_role: Option<MemberRole>,
        instance_admin: bool,
    },
}

/// Whether `answerer` may approve or refuse a follow of `followed`: only the followed actor
/// answers for itself when it is another instance's; a group's moderators answer for ours, and
/// administrators for our instance actor ([`may_speak_for_instance`]).
pub fn may_answer_follow(followed: Followed, answerer: FollowAnswerer) -> bool {
    match answerer {
        FollowAnswerer::Remote { actor_id } => !followed.local && followed.id == actor_id,
        FollowAnswerer::Local {
            group_role,
            instance_admin,
        } => {
            followed.local
                && if followed.kind == ActorKind::Application {
                    may_speak_for_instance(instance_admin)
                } else {
                    can_manage_followers(group_role)
                }
        }
    }
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

/// What a group's page offers someone with `role` in it (none: they are not in it). The
/// services check the same rules again when they act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer {
    /// Joining, and what it would do; only to people logged in and not in the group yet.
    pub join: Option<JoinOutcome>,
    /// Leaving: members and those waiting; not the declined, nor the invited (who have not
    /// answered yet).
    pub leave: bool,
    pub organize: bool,
    pub edit: bool,
}

pub fn offer(role: Option<MemberRole>, openness: Openness, signed_in: bool) -> Offer {
    Offer {
        join: (role.is_none() && signed_in).then(|| join_outcome(openness)),
        leave: role.is_some_and(|r| r != MemberRole::Rejected && r != MemberRole::Invited),
        organize: can_organize_events(role),
        edit: can_update_group(role),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MemberRole::*;

    const NOBODY: Option<MemberRole> = None;

    #[test]
    fn a_groups_page_offers_joining_to_outsiders_and_leaving_to_those_inside() {
        let outsider = offer(NOBODY, Openness::Moderated, true);
        assert_eq!(outsider.join, Some(JoinOutcome::AwaitApproval));
        assert!(!outsider.leave && !outsider.organize && !outsider.edit);
        assert_eq!(
            offer(NOBODY, Openness::Open, false).join,
            None,
            "log in first"
        );
        assert_eq!(
            offer(NOBODY, Openness::InviteOnly, true).join,
            Some(JoinOutcome::Refused)
        );
        let cases = [
            (Invited, false, false, false),
            (NotApproved, true, false, false),
            (Rejected, false, false, false),
            (Member, true, false, false),
            (Moderator, true, true, false),
            (Administrator, true, true, true),
            (Creator, true, true, true),
        ];
        for (role, leave, organize, edit) in cases {
            let offered = offer(Some(role), Openness::Open, true);
            assert_eq!(offered.join, None, "{role:?} is in the group already");
            assert_eq!(
                (offered.leave, offered.organize, offered.edit),
                (leave, organize, edit),
                "{role:?}"
            );
        }
    }

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

    fn followed(kind: ActorKind, local: bool) -> Followed {
        Followed {
            id: 7,
            kind,
            local,
            suspended: false,
            manually_approves_followers: false,
        }
    }

    /// (target kind, target local, follower kind, follower local) -> may follow
    #[test]
    fn people_here_follow_groups_and_instances_follow_each_other_through_their_actors() {
        use ActorKind::*;
        let cases = [
            (Group, true, Person, true, true),
            (Group, false, Person, true, true),
            (Person, true, Person, true, false),
            (Person, false, Person, true, false),
            (Application, false, Person, true, false),
            (Application, false, Application, true, true),
            (Application, true, Application, true, false),
            (Group, false, Application, true, false),
            (Person, false, Application, true, false),
            (Group, true, Person, false, true),
            (Person, true, Person, false, true),
            (Application, true, Application, false, true),
            (Group, false, Person, false, false),
        ];
        for (kind, local, follower_kind, follower_local, allowed) in cases {
            let follower = Follower {
                kind: follower_kind,
                local: follower_local,
            };
            assert_eq!(
                can_follow(followed(kind, local), follower),
                allowed,
                "{kind:?} local: {local}, by {follower:?}"
            );
        }
        let suspended = Followed {
            suspended: true,
            ..followed(Group, true)
        };
        for local in [true, false] {
            let follower = Follower {
                kind: Person,
                local,
            };
            assert!(!can_follow(suspended, follower));
        }
    }

    #[test]
    fn only_administrators_speak_for_the_instance_actor() {
        assert!(may_speak_for_instance(true));
        assert!(!may_speak_for_instance(false));
    }

    #[test]
    fn follows_are_approved_at_once_unless_someone_must_decide() {
        use ActorKind::*;
        assert!(approves_at_once(followed(Group, true)));
        assert!(approves_at_once(followed(Person, true)));
        let by_hand = Followed {
            manually_approves_followers: true,
            ..followed(Group, true)
        };
        assert!(!approves_at_once(by_hand));
        assert!(
            !approves_at_once(followed(Application, true)),
            "an admin decides"
        );
        assert!(
            !approves_at_once(followed(Group, false)),
            "its instance answers"
        );
    }

    #[test]
    fn only_the_followed_actor_our_groups_moderators_or_our_administrators_answer_a_follow() {
        use ActorKind::{Application, Group};
        let remote = followed(Group, false);
        let ours = followed(Group, true);
        let instance = followed(Application, true);
        let local = |group_role, instance_admin| FollowAnswerer::Local {
            group_role,
            instance_admin,
        };
        let cases = [
            (remote, FollowAnswerer::Remote { actor_id: 7 }, true),
            (remote, FollowAnswerer::Remote { actor_id: 8 }, false),
            (ours, FollowAnswerer::Remote { actor_id: 7 }, false),
            (ours, local(Some(Moderator), false), true),
            (ours, local(Some(Member), false), false),
            (ours, local(None, false), false),
            (ours, local(None, true), false),
            (remote, local(Some(Administrator), false), false),
            (instance, local(None, true), true),
            (instance, local(None, false), false),
            (instance, local(Some(Administrator), false), false),
            (instance, FollowAnswerer::Remote { actor_id: 7 }, false),
        ];
        for (target, answerer, allowed) in cases {
            assert_eq!(
                may_answer_follow(target, answerer),
                allowed,
                "{target:?} by {answerer:?}"
            );
        }
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
