//! Signing up on the form: an account and its first identity in one step. Every problem of
//! the form is found before anything is written, and all are told at once (a person who has
//! not ticked the terms, chose a reserved name and types on a closed instance learns all three
//! from one try), each as a typed problem the pages put beside its field.

use entity::{actor, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{NewPerson, register, username};
use crate::context::AppContext;
use crate::error::{Error, Result};
use crate::principal::Principal;
use crate::users::policy::Refusal;
use crate::users::{NewAccount, email, registration};

/// What the sign-up form sends.
#[derive(Debug, Clone)]
pub struct SignUpForm {
    pub username: String,
    pub account: NewAccount,
    /// Whether the box "I accept the terms" was ticked (needed once the instance publishes
    /// terms).
    pub accepted_terms: bool,
    /// The form's ticket and the field people never see (see [`registration::check_form`]).
    pub ticket: String,
    pub honeypot: String,
}

/// One reason a sign-up is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUpProblem {
    /// The form came back too soon, without its ticket, or with its hidden field filled.
    FormRefused,
    /// Who may register does not admit this one (closed, allowlist, invitation).
    NotAdmitted(Refusal),
    TermsNotAccepted,
    UsernameInvalid,
    /// Reserved (`relay`, `admin`…) or another's already.
    UsernameTaken,
    EmailInvalid,
    EmailTaken,
    PasswordInvalid,
}

/// What signing up came to.
#[derive(Debug)]
pub enum SignUpOutcome {
    /// The account waits for its confirmation link; this is its identity.
    Registered(Box<actor::Model>),
    /// Nothing was written; every problem found, in the order of the form.
    Refused(Vec<SignUpProblem>),
}

/// Registers an account and its first identity (the sign-up form), or tells every problem
/// of the form at once. The username is checked before anything is written, so a taken one
/// does not leave an account without identity behind.
pub async fn sign_up(
    ctx: &AppContext,
    client: &crate::rate_limits::Client,
    form: SignUpForm,
) -> Result<SignUpOutcome> {
    let problems = problems(ctx, &form).await?;
    if !problems.is_empty() {
        return Ok(SignUpOutcome::Refused(problems));
    }
    let username = username::validate(&form.username, "username")?;
    let address = form.account.email.clone();
    let registration = crate::users::service::register(ctx, client, form.account).await?;
    let person = register(
        ctx,
        &Principal::Anonymous,
        &address,
        Some(&registration.registration_token),
        NewPerson {
            preferred_username: username.clone(),
            name: Some(username),
            summary: None,
        },
    )
    .await?;
    Ok(SignUpOutcome::Registered(Box::new(person)))
}

/// Every problem of the form, in the order of its fields (the form's own refusal first).
async fn problems(ctx: &AppContext, form: &SignUpForm) -> Result<Vec<SignUpProblem>> {
    let mut problems = Vec::new();
    if registration::check_form(ctx, &form.ticket, &form.honeypot).is_err() {
        problems.push(SignUpProblem::FormRefused);
    }
    let address = email::normalize(&form.account.email);
    // The allowlist is read on the address as typed when it is not one (it then admits
    // nobody, and the address's own problem is told too).
    let admitted = registration::admission_or_refusal(
        ctx,
        &ctx.db,
        address
            .as_deref()
            .unwrap_or(form.account.email.trim())
            .to_lowercase()
            .as_str(),
        form.account.invitation.as_deref(),
    )
    .await?;
    if let Err(refusal) = admitted {
        problems.push(SignUpProblem::NotAdmitted(refusal));
    }
    match username::validate(&form.username, "username") {
        Ok(name) => {
            if crate::actors::find_local_by_username(&ctx.db, &name)
                .await?
                .is_some()
            {
                problems.push(SignUpProblem::UsernameTaken);
            }
        }
        Err(Error::Invalid(_)) => problems.push(SignUpProblem::UsernameInvalid),
        Err(Error::Conflict { .. }) => problems.push(SignUpProblem::UsernameTaken),
        Err(other) => return Err(other),
    }
    match &address {
        Ok(address) => {
            let taken = user::Entity::find()
                .filter(user::Column::Email.eq(address.as_str()))
                .one(&ctx.db)
                .await?
                .is_some();
            if taken {
                problems.push(SignUpProblem::EmailTaken);
            }
        }
        Err(_) => problems.push(SignUpProblem::EmailInvalid),
    }
    if crate::users::password::validate_new(
        &form.account.password,
        ctx.settings.auth.min_password_length,
        "password",
    )
    .is_err()
    {
        problems.push(SignUpProblem::PasswordInvalid);
    }
    if !form.accepted_terms && crate::about::get(&ctx.db).await?.terms.is_published() {
        problems.push(SignUpProblem::TermsNotAccepted);
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]

    use super::*;
    use crate::about::{AboutChanges, DocumentKind};
    use crate::rate_limits::Client;
    use crate::testing::TestContext;
    use crate::users::registration::{RegistrationMode, RulesChanges, save_rules};
    use entity::user::UserRole;

    fn form(username: &str, address: &str, password: &str, terms: bool) -> SignUpForm {
        SignUpForm {
            username: username.to_owned(),
            account: NewAccount {
                email: address.to_owned(),
                password: password.to_owned(),
                locale: None,
                timezone: None,
                invitation: None,
            },
            accepted_terms: terms,
            ticket: String::new(),
            honeypot: String::new(),
        }
    }

    async fn signed_up(t: &TestContext, form: SignUpForm) -> SignUpOutcome {
        let ticket = registration::form_ticket(&t.ctx).unwrap();
        sign_up(&t.ctx, &Client::Local, SignUpForm { ticket, ..form })
            .await
            .expect("an outcome")
    }

    #[tokio::test]
    async fn every_problem_of_a_sign_up_is_told_at_once_and_nothing_is_written() {
        let t = TestContext::new().await;
        let admin = t.person_with("rosa", UserRole::Administrator, |_| {}).await;
        crate::about::save(
            &t.ctx,
            &admin.principal(),
            AboutChanges {
                terms_kind: Some(DocumentKind::Url),
                terms_url: Some("https://example.org/terms".to_owned()),
                ..AboutChanges::default()
            },
        )
        .await
        .unwrap();
        save_rules(
            &t.ctx,
            &admin.principal(),
            RulesChanges {
                mode: Some(RegistrationMode::Closed),
                allowlist: None,
            },
        )
        .await
        .unwrap();
        let users_before = user::Entity::find().all(&t.ctx.db).await.unwrap().len();

        let outcome = signed_up(&t, form("relay", "not an address", "short", false)).await;
        let SignUpOutcome::Refused(problems) = outcome else {
            panic!("refused: {outcome:?}");
        };
        assert_eq!(
            problems,
            vec![
                SignUpProblem::NotAdmitted(Refusal::Closed),
                SignUpProblem::UsernameTaken,
                SignUpProblem::EmailInvalid,
                SignUpProblem::PasswordInvalid,
                SignUpProblem::TermsNotAccepted,
            ]
        );

        // A name and an address someone has already, and a form sent without its ticket.
        let outcome = sign_up(
            &t.ctx,
            &Client::Local,
            form("rosa", "rosa@example.org", "long enough password", true),
        )
        .await
        .unwrap();
        let SignUpOutcome::Refused(problems) = outcome else {
            panic!("refused: {outcome:?}");
        };
        assert_eq!(
            problems,
            vec![
                SignUpProblem::FormRefused,
                SignUpProblem::NotAdmitted(Refusal::Closed),
                SignUpProblem::UsernameTaken,
                SignUpProblem::EmailTaken,
            ]
        );
        assert_eq!(
            user::Entity::find().all(&t.ctx.db).await.unwrap().len(),
            users_before,
            "no account was written"
        );
    }

    #[tokio::test]
    async fn a_sign_up_without_problems_registers_the_account_and_its_identity() {
        let t = TestContext::new().await;
        let outcome = signed_up(
            &t,
            form("zoe", "zoe@example.org", "long enough password", false),
        )
        .await;
        let SignUpOutcome::Registered(person) = outcome else {
            panic!("registered: {outcome:?}");
        };
        assert_eq!(person.preferred_username, "zoe");
        // The same again: the name and the address are now taken.
        let outcome = signed_up(
            &t,
            form("zoe", "Zoe@Example.org", "long enough password", false),
        )
        .await;
        let SignUpOutcome::Refused(problems) = outcome else {
            panic!("refused: {outcome:?}");
        };
        assert_eq!(
            problems,
            vec![SignUpProblem::UsernameTaken, SignUpProblem::EmailTaken]
        );
    }
}
