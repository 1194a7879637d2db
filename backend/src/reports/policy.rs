//! Who may report, who reviews reports, and when a reporter hears the outcome: pure
//! functions over facts the services gather.

use entity::report::ReportStatus;

use crate::error::Error;

/// Who makes a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reporter {
    /// A local account, as one of its identities.
    Account,
    /// A visitor without an account, with an email address.
    Anonymous,
    /// Another instance, through a `Flag`.
    Peer,
    /// The instance itself (command line, jobs): it has no one to report as.
    Instance,
}

/// Why a report is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Anonymous reports are off (`instance.anonymous_reports`).
    AnonymousReportsOff,
    /// A visitor leaves an address to hear the outcome.
    EmailRequired,
    /// The instance reports nothing to itself.
    NoReporter,
    /// A person does not report themselves.
    SelfReport,
}

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::AnonymousReportsOff => Error::Unauthenticated,
            Refusal::EmailRequired => Error::invalid(
                "email",
                "leave an address to hear what becomes of the report",
            ),
            Refusal::NoReporter => Error::forbidden("the instance has no one to report as"),
            Refusal::SelfReport => Error::invalid("reportedId", "you cannot report yourself"),
        }
    }
}

/// Whether `reporter` may report, and with what it must bring.
pub fn refusal(
    reporter: Reporter,
    anonymous_allowed: bool,
    has_email: bool,
    reports_self: bool,
) -> Option<Refusal> {
    match reporter {
        Reporter::Instance => Some(Refusal::NoReporter),
        Reporter::Anonymous if !anonymous_allowed => Some(Refusal::AnonymousReportsOff),
        Reporter::Anonymous if !has_email => Some(Refusal::EmailRequired),
        _ if reports_self => Some(Refusal::SelfReport),
        _ => None,
    }
}

/// Moderators and administrators review reports; nobody else sees them (a reporter only
/// hears the outcome by mail).
pub fn can_review(instance_moderator: bool) -> bool {
    instance_moderator
}

/// A note is removed by the moderator who wrote it.
pub fn can_delete_note(wrote_it: bool) -> bool {
    wrote_it
}

/// A reporter hears the outcome when a report made here leaves the open state.
pub fn tells_reporter(local: bool, before: ReportStatus, after: ReportStatus) -> bool {
    local && before == ReportStatus::Open && after != ReportStatus::Open
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_may_report_and_with_what() {
        use Refusal::*;
        use Reporter::*;
        let cases = [
            (Account, false, false, false, None),
            (Account, false, false, true, Some(SelfReport)),
            (Anonymous, false, true, false, Some(AnonymousReportsOff)),
            (Anonymous, true, false, false, Some(EmailRequired)),
            (Anonymous, true, true, false, None),
            (Peer, false, false, false, None),
            (Instance, true, true, false, Some(NoReporter)),
        ];
        for (reporter, allowed, email, itself, expected) in cases {
            assert_eq!(
                refusal(reporter, allowed, email, itself),
                expected,
                "{reporter:?} allowed={allowed} email={email} self={itself}"
            );
        }
    }

    #[test]
    fn a_reporter_hears_once_when_a_report_made_here_is_settled() {
        use ReportStatus::*;
        assert!(tells_reporter(true, Open, Resolved));
        assert!(tells_reporter(true, Open, Closed));
        assert!(!tells_reporter(true, Open, Open));
        assert!(!tells_reporter(true, Resolved, Closed));
        assert!(!tells_reporter(false, Open, Resolved));
    }

    #[test]
    fn only_moderators_review_and_only_authors_delete_their_notes() {
        assert!(can_review(true));
        assert!(!can_review(false));
        assert!(can_delete_note(true));
        assert!(!can_delete_note(false));
    }
}
