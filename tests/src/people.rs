//! People for end-to-end tests, made as users make themselves: register, confirm by the mail's
//! link, create an identity.

use serde_json::json;

use crate::{Gql, TestServer, find_link, unique_email};

/// A confirmed, logged-in user with one identity.
pub struct Member {
    pub gql: Gql,
    /// The access token `gql` sends.
    pub token: String,
    pub email: String,
    pub person_id: String,
    pub username: String,
}

pub async fn sign_up(server: &TestServer, username: &str) -> Member {
    let email = unique_email(username);
    server
        .gql()
        .data(
            "mutation($email: String!, $password: String!) {
                createUser(email: $email, password: $password, locale: \"en\") { id }
            }",
            json!({ "email": email, "password": "long enough password" }),
        )
        .await;
    let mail = server.wait_for_mail(&email, "Confirm").await;
    let link = find_link(&mail.mail.text, "/validate/").expect("confirmation link");
    let token = link.rsplit('/').next().expect("token");
    let login = server
        .gql()
        .data(
            "mutation($token: String!) { validateUser(token: $token) { accessToken } }",
            json!({ "token": token }),
        )
        .await;
    let token = login["validateUser"]["accessToken"]
        .as_str()
        .expect("access token")
        .to_owned();
    let gql = server.gql().with_token(&token);
    let person = gql
        .data(
            "mutation($u: String!) { createPerson(preferredUsername: $u, name: $u) { id } }",
            json!({ "u": username }),
        )
        .await;
    Member {
        gql,
        token,
        email,
        person_id: person["createPerson"]["id"]
            .as_str()
            .expect("person id")
            .to_owned(),
        username: username.to_owned(),
    }
}

/// An administrator: signed up as anyone, promoted in the database (as `convive` does from
/// the command line), logged in again.
pub async fn sign_up_admin(server: &TestServer, username: &str) -> Member {
    sign_up_as(server, username, entity::user::UserRole::Administrator).await
}

/// A moderator, made as [`sign_up_admin`] makes an administrator.
pub async fn sign_up_moderator(server: &TestServer, username: &str) -> Member {
    sign_up_as(server, username, entity::user::UserRole::Moderator).await
}

async fn sign_up_as(server: &TestServer, username: &str, role: entity::user::UserRole) -> Member {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let member = sign_up(server, username).await;
    entity::user::Entity::update_many()
        .col_expr(entity::user::Column::Role, Expr::value(role))
        .filter(entity::user::Column::Email.eq(member.email.as_str()))
        .exec(&server.ctx.db)
        .await
        .expect("promoted");
    let login = server
        .gql()
        .data(
            "mutation($e: String!) { login(email: $e, password: \"long enough password\") { accessToken } }",
            json!({ "e": member.email }),
        )
        .await;
    let token = login["login"]["accessToken"]
        .as_str()
        .expect("access token")
        .to_owned();
    Member {
        gql: server.gql().with_token(&token),
        token,
        ..member
    }
}
