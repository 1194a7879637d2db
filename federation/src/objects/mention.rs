//! The people a text mentions, as a `Note` names them: a `Mention` tag each (`href` their
//! actor, `name` `@user@host`, as Mastodon and Mobilizon write it), and their actors for `cc`.
//! Who is mentioned is read from the text's mention links (`backend::comments::mentions`).

use sea_orm::ConnectionTrait;
use url::Url;

use crate::error::Result;
use crate::protocol::event::Tag;

/// The `Mention` tags of `html`, and the mentioned actors' addresses.
pub async fn of_text(conn: &impl ConnectionTrait, html: &str) -> Result<(Vec<Tag>, Vec<Url>)> {
    let actors = backend::comments::mentions::mentioned(conn, html).await?;
    let mut tags = Vec::with_capacity(actors.len());
    let mut urls = Vec::with_capacity(actors.len());
    for actor in actors {
        let Ok(url) = Url::parse(&actor.ap_id) else {
            continue;
        };
        let host = match &actor.domain {
            Some(domain) => domain.clone(),
            None => match (url.host_str(), url.port()) {
                (Some(host), Some(port)) => format!("{host}:{port}"),
                (Some(host), None) => host.to_owned(),
                (None, _) => continue,
            },
        };
        tags.push(Tag {
            kind: Some("Mention".to_owned()),
            name: format!("@{}@{host}", actor.preferred_username),
            href: Some(actor.ap_id.clone()),
        });
        urls.push(url);
    }
    Ok((tags, urls))
}
