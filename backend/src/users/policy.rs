//! Who may administer accounts and who may register: pure rules, tested as tables.
//! Following Mobilizon, moderators see accounts, delete them and (here) approve and invite;
//! only administrators change an account's role, address, confirmation or disabling.

use entity::user::UserRole;

use crate::error::Error;

use super::registration::RegistrationMode;

/// Moderators and administrators see accounts (`users`, `user`).
pub fn can_see_accounts(role: Option<UserRole>) -> bool {
    matches!(role, Some(UserRole::Moderator | UserRole::Administrator))
}

/// Only administrators change an account (`adminUpdateUser`), and never their own through
/// it: an administrator cannot take away their own role or lock themselves out.
pub fn can_change_account(role: Option<UserRole>, own_account: bool) -> bool {
    role == Some(UserRole::Administrator) && !own_account
}

/// Moderators delete accounts (Mobilizon's `deleteAccount(userId)`), but not their own
/// this way (that asks for the password) nor, unless they are one, an administrator's.
pub fn can_delete_account(role: Option<UserRole>, own_account: bool, target: UserRole) -> bool {
    can_see_accounts(role)
        && !own_account
        && (target != UserRole::Administrator || role == Some(UserRole::Administrator))
}

/// Moderators approve registrations waiting for approval and make invitations.
pub fn can_admit(role: Option<UserRole>) -> bool {
    can_see_accounts(role)
}

/// What registering gives, when it is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// The account may log in once its address is confirmed.
    Admitted,
    /// It also waits for a moderator's approval.
    AwaitingApproval,
}

/// Why registering is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Closed,
    NotOnAllowlist,
    InvitationNeeded,
    /// The invitation brought was used already, or has expired.
    InvitationInvalid,
}

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Closed => Error::rule(
                "registrations_closed",
                "registrations are closed on this instance",
            ),
            Refusal::NotOnAllowlist => Error::rule(
                "registration_not_allowed",
                "registrations are only open to some email addresses, and this one is not among them",
            ),
            Refusal::InvitationNeeded => Error::rule(
                "invitation_required",
                "registrations on this instance need an invitation from its moderators",
            ),
            Refusal::InvitationInvalid => Error::invalid(
                "invitation",
                "this invitation is not valid: it was used already, or has expired",
            ),
        }
    }
}

/// Whether someone may register in `mode`, given whether their address is on the allowlist
/// and whether they bring a valid invitation (an invitation admits in every mode but closed).
pub fn admission(
    mode: RegistrationMode,
    allowlisted: bool,
    invited: bool,
) -> Result<Admission, Refusal> {
    match mode {
        RegistrationMode::Closed => Err(Refusal::Closed),
        _ if invited => Ok(Admission::Admitted),
        RegistrationMode::Open => Ok(Admission::Admitted),
        RegistrationMode::Approval => Ok(Admission::AwaitingApproval),
        RegistrationMode::Allowlist if allowlisted => Ok(Admission::Admitted),
        RegistrationMode::Allowlist => Err(Refusal::NotOnAllowlist),
        RegistrationMode::Invitation => Err(Refusal::InvitationNeeded),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RegistrationMode::*;

    #[test]
    fn each_mode_admits_whom_it_says_and_an_invitation_opens_all_but_a_closed_door() {
        let cases = [
            ((Open, false, false), Ok(Admission::Admitted)),
            ((Approval, false, false), Ok(Admission::AwaitingApproval)),
            ((Approval, false, true), Ok(Admission::Admitted)),
            ((Allowlist, true, false), Ok(Admission::Admitted)),
            ((Allowlist, false, false), Err(Refusal::NotOnAllowlist)),
            ((Allowlist, false, true), Ok(Admission::Admitted)),
            ((Invitation, true, false), Err(Refusal::InvitationNeeded)),
            ((Invitation, false, true), Ok(Admission::Admitted)),
            ((Closed, true, true), Err(Refusal::Closed)),
        ];
        for ((mode, allowlisted, invited), expected) in cases {
            assert_eq!(
                admission(mode, allowlisted, invited),
                expected,
                "{mode:?} {allowlisted} {invited}"
            );
        }
    }

    #[test]
    fn moderators_see_and_delete_accounts_and_administrators_change_them() {
        use UserRole::*;
        for (role, see, change) in [
            (None, false, false),
            (Some(User), false, false),
            (Some(Moderator), true, false),
            (Some(Administrator), true, true),
        ] {
            assert_eq!(can_see_accounts(role), see, "{role:?}");
            assert_eq!(can_admit(role), see, "{role:?}");
            assert_eq!(can_change_account(role, false), change, "{role:?}");
            assert!(!can_change_account(role, true), "{role:?} own account");
        }
        assert!(can_delete_account(Some(Moderator), false, User));
        assert!(!can_delete_account(Some(Moderator), false, Administrator));
        assert!(can_delete_account(
            Some(Administrator),
            false,
            Administrator
        ));
        assert!(!can_delete_account(
            Some(Administrator),
            true,
            Administrator
        ));
        assert!(!can_delete_account(Some(User), false, User));
        assert!(!can_delete_account(None, false, User));
    }
}
