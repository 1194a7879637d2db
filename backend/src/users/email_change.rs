//! Changing an account's email address (Mobilizon's `changeEmail` and `validateEmail`): the
//! password proves the owner, the new address waits beside the current one until the link
//! mailed to it is followed (it proves the address works), and the current address is told,
//! so that a change made by someone else is noticed. Until then, mail and login keep using
//! the current address.

use chrono::Duration;
use entity::user;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::CurrentUser;
use super::tokens::{hash_token, random_token};
use super::{email, password, service};
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result, conflict_on_unique};
use crate::i18n::{self, args};
use crate::identity::Identity;
use crate::mail::{self, Layout, OutgoingMail};

/// How long the link mailed to the new address works.
pub const VALIDITY: Duration = Duration::hours(48);

const TAKEN: &str = "an account with this email address already exists";

/// Asks to change the caller's address to `new_email`; `password` is their current one.
pub async fn request(
    ctx: &AppContext,
    current: &CurrentUser,
    new_email: &str,
    password_input: &str,
) -> Result<user::Model> {
    let new_email = email::normalize(new_email)?;
    let account = service::find(&ctx.db, current.id).await?;
    if !password::verify(&ctx.password_slots, password_input, &account.password_hash).await? {
        return Err(Error::invalid("password", "the password is wrong"));
    }
    if new_email == account.email {
        return Err(Error::invalid(
            "email",
            "this is already the address of the account",
        ));
    }
    if service::find_by_email(&ctx.db, &new_email).await?.is_some() {
        return Err(Error::conflict("email", TAKEN));
    }
    let now = ctx.now();
    let (token, token_hash) = random_token();
    // Read before the transaction: reading it through the pool inside would hold two
    // connections at once.
    let instance = ctx.instance().await?;
    let tx = begin_write(ctx).await?;
    user::Entity::update_many()
        .col_expr(
            user::Column::UnconfirmedEmail,
            Expr::value(Some(new_email.clone())),
        )
        .col_expr(
            user::Column::EmailChangeTokenHash,
            Expr::value(Some(token_hash)),
        )
        .col_expr(user::Column::EmailChangeSentAt, Expr::value(Some(now)))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(account.id))
        .exec(&tx)
        .await?;
    let confirm = confirm_mail(ctx, &instance, &account, &new_email, &token);
    mail::queue(&tx, now, &confirm).await?;
    let notice = notice_mail(ctx, &instance, &account, &new_email);
    mail::queue(&tx, now, &notice).await?;
    tx.commit().await?;
    tracing::info!(user_id = account.id, "email change asked");
    service::find(&ctx.db, account.id).await
}

/// Follows the link mailed to the new address: it becomes the account's.
pub async fn confirm(ctx: &AppContext, token: &str) -> Result<user::Model> {
    let invalid = || Error::invalid("token", "this link is invalid or has expired");
    let token = token.trim();
    if token.is_empty() || token.len() > 128 {
        return Err(invalid());
    }
    let account = user::Entity::find()
        .filter(user::Column::EmailChangeTokenHash.eq(hash_token(token)))
        .one(&ctx.db)
        .await?
        .ok_or_else(invalid)?;
    let now = ctx.now();
    let (Some(new_email), Some(sent_at)) = (
        account.unconfirmed_email.clone(),
        account.email_change_sent_at,
    ) else {
        return Err(invalid());
    };
    if now - sent_at > VALIDITY {
        return Err(invalid());
    }
    let tx = begin_write(ctx).await?;
    let updated = user::Entity::update_many()
        .col_expr(user::Column::Email, Expr::value(new_email))
        .col_expr(
            user::Column::UnconfirmedEmail,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            user::Column::EmailChangeTokenHash,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            user::Column::EmailChangeSentAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(account.id))
        .filter(user::Column::EmailChangeTokenHash.eq(hash_token(token)))
        .exec(&tx)
        .await
        // Someone took the address since it was asked for.
        .map_err(|err| conflict_on_unique(err, "email", TAKEN))?;
    if updated.rows_affected == 0 {
        return Err(invalid());
    }
    tx.commit().await?;
    tracing::info!(user_id = account.id, "email changed");
    service::find(&ctx.db, account.id).await
}

fn build(
    ctx: &AppContext,
    instance: &Identity,
    to: &str,
    account: &user::Model,
    subject: &str,
    layout: Layout,
) -> OutgoingMail {
    let locale = super::user_locale(ctx, account);
    let name = &instance.name;
    OutgoingMail {
        to: to.to_owned(),
        locale,
        subject: i18n::text_with(locale, subject, &args([("instance", name.clone())])),
        text: layout.text(name),
        html: layout.html(name, locale.code()),
        attachments: Vec::new(),
    }
}

/// To the new address: the link that makes it the account's.
fn confirm_mail(
    ctx: &AppContext,
    instance: &Identity,
    account: &user::Model,
    new_email: &str,
    token: &str,
) -> OutgoingMail {
    let locale = super::user_locale(ctx, account);
    let a = args([("instance", instance.name.clone())]);
    let layout = Layout::new(i18n::text(locale, "email-change-title"))
        .paragraph(i18n::text_with(locale, "email-change-intro", &a))
        .button(
            i18n::text(locale, "email-change-button"),
            ctx.url(&format!("/validate/email/{token}")),
        )
        .paragraph(i18n::text(locale, "email-change-expiry"))
        .footnote(i18n::text(locale, "email-change-not-you"));
    build(
        ctx,
        instance,
        new_email,
        account,
        "email-change-subject",
        layout,
    )
}

/// To the current address: what was asked, so that its owner notices a change they did not
/// make.
fn notice_mail(
    ctx: &AppContext,
    instance: &Identity,
    account: &user::Model,
    new_email: &str,
) -> OutgoingMail {
    let locale = super::user_locale(ctx, account);
    let a = args([
        ("instance", instance.name.clone()),
        ("email", new_email.to_owned()),
    ]);
    let layout = Layout::new(i18n::text(locale, "email-change-notice-title"))
        .paragraph(i18n::text_with(locale, "email-change-notice-intro", &a))
        .footnote(i18n::text(locale, "email-change-notice-not-you"));
    build(
        ctx,
        instance,
        &account.email,
        account,
        "email-change-notice-subject",
        layout,
    )
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::testing::TestContext;

    async fn with_password(t: &TestContext, username: &str) -> crate::testing::TestPerson {
        let hash = password::hash(&t.ctx.password_slots, "long enough password")
            .await
            .expect("hash");
        t.person_with(username, entity::user::UserRole::User, |row| {
            row.password_hash = sea_orm::Set(hash);
        })
        .await
    }

    fn link_token(t: &TestContext, to: &str) -> String {
        let mail = t
            .mail_to(to)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("a mail to {to}"));
        let marker = "/validate/email/";
        let start = mail.text.find(marker).expect("link") + marker.len();
        mail.text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    }

    #[tokio::test]
    async fn the_new_address_becomes_the_accounts_once_its_link_is_followed() {
        let t = TestContext::new().await;
        let alice = with_password(&t, "alice").await;
        let asked = request(
            &t.ctx,
            &alice.user,
            " Alice.New@Example.org ",
            "long enough password",
        )
        .await
        .expect("asked");
        assert_eq!(
            asked.email, "alice@example.org",
            "unchanged until confirmed"
        );
        assert_eq!(
            asked.unconfirmed_email.as_deref(),
            Some("alice.new@example.org")
        );
        t.run_due_jobs().await;
        let notice = t.mail_to("alice@example.org");
        assert_eq!(notice.len(), 1, "the current address is told");
        assert!(notice[0].text.contains("alice.new@example.org"));
        let token = link_token(&t, "alice.new@example.org");

        let changed = confirm(&t.ctx, &token).await.expect("confirmed");
        assert_eq!(changed.email, "alice.new@example.org");
        assert_eq!(changed.unconfirmed_email, None);
        let again = confirm(&t.ctx, &token).await.expect_err("used once");
        assert_eq!(again.code(), "invalid");
    }

    #[tokio::test]
    async fn a_change_needs_the_password_a_free_address_and_a_fresh_link() {
        let t = TestContext::new().await;
        let alice = with_password(&t, "alice").await;
        with_password(&t, "bob").await;
        let wrong = request(&t.ctx, &alice.user, "new@example.org", "not the password")
            .await
            .expect_err("wrong password");
        assert_eq!(wrong.code(), "invalid");
        let taken = request(
            &t.ctx,
            &alice.user,
            "bob@example.org",
            "long enough password",
        )
        .await
        .expect_err("taken");
        assert_eq!(taken.code(), "conflict");
        let same = request(
            &t.ctx,
            &alice.user,
            "alice@example.org",
            "long enough password",
        )
        .await
        .expect_err("same");
        assert_eq!(same.code(), "invalid");
        assert!(t.mail_to("bob@example.org").is_empty());

        request(
            &t.ctx,
            &alice.user,
            "new@example.org",
            "long enough password",
        )
        .await
        .expect("asked");
        t.run_due_jobs().await;
        let token = link_token(&t, "new@example.org");
        t.clock.advance(VALIDITY + Duration::minutes(1));
        let expired = confirm(&t.ctx, &token).await.expect_err("expired");
        assert_eq!(expired.code(), "invalid");
        assert_eq!(
            service::find(&t.ctx.db, alice.user.id)
                .await
                .expect("alice")
                .email,
            "alice@example.org"
        );
    }
}
