//! Who may write a group's posts and who sees them. Pure functions of the post's state and
//! the caller's role in its group, tested as tables.

use entity::MemberRole;
use entity::post::PostVisibility;

/// Writing, changing and deleting a group's posts: its moderators and administrators.
pub fn can_write(role: Option<MemberRole>) -> bool {
    role.is_some_and(MemberRole::is_moderator)
}

/// What decides whether someone sees a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostFacts {
    pub visibility: PostVisibility,
    pub draft: bool,
}

/// Drafts and members-only posts are seen by the group's members (and instance moderators);
/// public and unlisted ones by everyone who has the link.
pub fn can_view(facts: PostFacts, role: Option<MemberRole>, instance_moderator: bool) -> bool {
    if instance_moderator || role.is_some_and(MemberRole::is_member) {
        return true;
    }
    !facts.draft && facts.visibility != PostVisibility::Private
}

/// Which posts a group's list shows someone: members see every post, drafts included;
/// others the published public ones (unlisted ones are reached by their link only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    All,
    PublicOnly,
}

pub fn listed(role: Option<MemberRole>, instance_moderator: bool) -> Listed {
    if instance_moderator || role.is_some_and(MemberRole::is_member) {
        Listed::All
    } else {
        Listed::PublicOnly
    }
}

/// Whether the group's followers elsewhere hear of the post: published, and not for members
/// only.
pub fn federates(facts: PostFacts) -> bool {
    !facts.draft && facts.visibility != PostVisibility::Private
}

/// Whether a remote actor speaks for a remote group's posts: the group itself, or an actor
/// of the group's own instance (Mobilizon sends a post from its author, a member there).
pub fn remote_may_write(sender_is_group: bool, same_instance: bool, group_is_local: bool) -> bool {
    !group_is_local && (sender_is_group || same_instance)
}

#[cfg(test)]
mod tests {
    use super::*;
    use MemberRole::*;
    use PostVisibility::*;

    #[test]
    fn moderators_and_administrators_write_and_members_do_not() {
        let cases = [
            (None, false),
            (Some(Invited), false),
            (Some(NotApproved), false),
            (Some(Member), false),
            (Some(Moderator), true),
            (Some(Administrator), true),
            (Some(Creator), true),
            (Some(Rejected), false),
        ];
        for (role, expected) in cases {
            assert_eq!(can_write(role), expected, "{role:?}");
        }
    }

    #[test]
    fn drafts_and_members_only_posts_are_seen_by_members_alone() {
        let cases = [
            (Public, false, None, true),
            (Unlisted, false, None, true),
            (Private, false, None, false),
            (Public, true, None, false),
            (Private, false, Some(Invited), false),
            (Private, false, Some(NotApproved), false),
            (Private, false, Some(Member), true),
            (Public, true, Some(Member), true),
            (Private, true, Some(Moderator), true),
        ];
        for (visibility, draft, role, expected) in cases {
            let facts = PostFacts { visibility, draft };
            assert_eq!(
                can_view(facts, role, false),
                expected,
                "{visibility:?} draft={draft} {role:?}"
            );
        }
        let hidden = PostFacts {
            visibility: Private,
            draft: true,
        };
        assert!(can_view(hidden, None, true), "instance moderators see all");
    }

    #[test]
    fn lists_show_members_everything_and_others_the_public_posts() {
        assert_eq!(listed(Some(Member), false), Listed::All);
        assert_eq!(listed(None, true), Listed::All);
        assert_eq!(listed(None, false), Listed::PublicOnly);
        assert_eq!(listed(Some(NotApproved), false), Listed::PublicOnly);
    }

    #[test]
    fn only_published_posts_not_for_members_only_federate() {
        let cases = [
            (Public, false, true),
            (Unlisted, false, true),
            (Private, false, false),
            (Public, true, false),
        ];
        for (visibility, draft, expected) in cases {
            assert_eq!(federates(PostFacts { visibility, draft }), expected);
        }
    }

    #[test]
    fn a_remote_group_or_an_actor_of_its_instance_writes_its_posts_and_never_ours() {
        assert!(remote_may_write(true, true, false));
        assert!(remote_may_write(false, true, false));
        assert!(!remote_may_write(false, false, false));
        assert!(!remote_may_write(true, true, true));
    }
}
