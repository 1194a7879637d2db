//! The feeds Convive serves: which events each one holds and who may read it, their bytes, and
//! a validator that confirms a client's cached copy without building the feed.
//!
//! | feed | events | readers |
//! |---|---|---|
//! | one event | the event | anyone, if it is public or unlisted and published |
//! | an actor | upcoming public events of a group (published in its name), or of a person (organized by them outside groups: a group's events speak for the group) | anyone, if the actor is local, public and not suspended |
//! | the instance | upcoming public events, optionally with one of `tags` and in `category` | anyone |
//! | a token | the events its owner goes to or asked to join (all identities, or the token's one), including those over for less than [`PARTICIPATIONS_KEPT_DAYS`] days | whoever holds the token |
//!
//! A group's Atom feed carries its latest published public posts ([`MAX_POSTS`]) before its
//! events. Lists hold at most [`MAX_ITEMS`] events, the soonest first (Mobilizon's feeds stop at 500 as
//! well). Drafts never appear.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use entity::event::{self, EventVisibility};
use entity::participant::{self, ParticipantRole};
use entity::{ActorKind, actor};
use sea_orm::QueryTrait as _;
use sea_orm::{
    ActiveEnum, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use sha2::{Digest, Sha256};

use super::atom::{AtomMeta, FeedPost, atom_around, entry, post_entry};
use super::ical::{CalendarMeta, WrittenEvent, calendar_around, vevent};
use super::text::html_to_text;
use super::tokens::{self, FeedOwner};
use crate::context::AppContext;
use crate::error::{Error, Result};
use crate::events::{self, SearchQuery, policy::Access};

/// The most events one feed holds.
pub const MAX_ITEMS: u64 = 500;

/// The most posts a group's Atom feed holds beside its events, the newest first.
pub const MAX_POSTS: u64 = 20;

/// How long a participation stays in its owner's feed after the event: calendar apps delete
/// what a subscribed feed drops, and last week's events are still worth finding there.
pub const PARTICIPATIONS_KEPT_DAYS: i64 = 30;

/// How often subscribers are asked to fetch a calendar again.
pub const REFRESH_HOURS: i64 = 1;

/// Changes whenever the writers' output changes for the same data, so that validators computed
/// before an upgrade no longer match.
const FORMAT_REVISION: u32 = 5;

/// How a feed is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// iCalendar (`text/calendar`).
    Ics,
    /// Atom (`application/atom+xml`).
    Atom,
}

impl Format {
    /// The last segment of the feed's path.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Ics => "ics",
            Format::Atom => "atom",
        }
    }
}

/// A feed as requested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// One event by uuid.
    Event { uuid: String },
    /// A local person or group by username (an `@` in front is accepted).
    Actor { username: String },
    /// The instance's public events; `tags` match any of them.
    Instance {
        tags: Vec<String>,
        category: Option<String>,
    },
    /// A user's participations, by feed token.
    Token { token: String },
}

/// Proof of a feed's content: equal validators mean equal bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validator {
    /// A strong entity tag, quoted as HTTP wants it.
    pub etag: String,
    /// One event's: its last change (or its organizer's). A list's: since when it shows this
    /// version, once dated (an event leaving it makes a new one).
    pub last_modified: Option<DateTime<Utc>>,
    /// Until when the feed stays the same if nothing changes in the database: just after it,
    /// the first of its events to end is over and leaves it. `None`: time alone never changes it.
    pub fresh_until: Option<DateTime<Utc>>,
}

impl Validator {
    /// Whether time alone has not changed the feed by `now`.
    pub fn holds_at(&self, now: DateTime<Utc>) -> bool {
        self.fresh_until.is_none_or(|until| now <= until)
    }
}

/// A feed's bytes with the validator of exactly the data they were made from.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub validator: Validator,
}

#[derive(Debug, Clone)]
enum Scope {
    Event(Box<event::Model>),
    Actor(Box<actor::Model>),
    Instance(Box<SearchQuery>),
    Participations(FeedOwner),
}

/// A feed its reader may see, ready to be validated or built.
#[derive(Debug, Clone)]
pub struct Feed {
    scope: Scope,
    /// The path the feed is served from, up to its format (`/@jazz/feed/`).
    path_prefix: String,
    /// Appended to the path (the instance feed's filters).
    query: String,
    title: String,
    description: Option<String>,
    page_url: Option<String>,
    /// When the feed's own facts (an actor's name) last changed.
    changed_at: Option<DateTime<Utc>>,
    /// The instance's name when the feed was opened (its author; administrators may change
    /// it, and the validator then changes with it).
    instance_name: String,
}

impl Feed {
    /// Finds what `source` names and checks it may be read. Unknown, private, suspended and
    /// revoked all answer `not_found` alike.
    pub async fn open(ctx: &AppContext, source: Source) -> Result<Self> {
        let conn = &ctx.db;
        let instance = ctx.instance().await?;
        let instance_name = instance.name.clone();
        match source {
            Source::Event { uuid } => {
                let event = events::find_by_uuid(conn, &uuid).await?;
                // Anyone with the link: the rule an anonymous visitor of the event page meets
                // (who does not see an event its suspended organizer or group took away).
                let visitor = Access {
                    owner_suspended: event.hidden,
                    ..Access::default()
                };
                if !events::policy::can_view(events::facts(&event), visitor) {
                    return Err(Error::not_found("event"));
                }
                Ok(Self {
                    path_prefix: format!("/events/{}/export/", event.uuid),
                    query: String::new(),
                    title: event.title.clone(),
                    description: None,
                    page_url: Some(event.url.clone()),
                    changed_at: None,
                    instance_name,
                    scope: Scope::Event(Box::new(event)),
                })
            }
            Source::Actor { username } => {
                let actor = crate::actors::find_by_handle(conn, &username)
                    .await?
                    .filter(|a| {
                        a.is_local()
                            && matches!(a.kind, ActorKind::Person | ActorKind::Group)
                            && a.visibility == entity::ActorVisibility::Public
                            && !a.suspended
                    })
                    .ok_or(Error::not_found("actor"))?;
                Ok(Self {
                    path_prefix: format!("/@{}/feed/", actor.preferred_username),
                    query: String::new(),
                    title: crate::actors::display_name(&actor),
                    description: actor.summary.as_deref().map(html_to_text),
                    page_url: Some(actor.url.clone().unwrap_or_else(|| actor.ap_id.clone())),
                    changed_at: Some(actor.updated_at),
                    instance_name,
                    scope: Scope::Actor(Box::new(actor)),
                })
            }
            Source::Instance { tags, category } => {
                let query = SearchQuery {
                    tags: tags
                        .into_iter()
                        .map(|t| t.trim().to_owned())
                        .filter(|t| !t.is_empty())
                        .collect(),
                    category: category
                        .map(|c| c.trim().to_owned())
                        .filter(|c| !c.is_empty())
                        .map(|c| events::categories::parse(&c).map_or(c, str::to_owned)),
                    ..SearchQuery::default()
                };
                // Refuses an unknown category now rather than serving an empty feed.
                events::search_select(ctx.db.get_database_backend(), ctx.now(), &query)?;
                let mut filters: Vec<String> = query.tags.clone();
                filters.extend(query.category.as_deref().map(events::categories::label));
                let title = if filters.is_empty() {
                    instance.name.clone()
                } else {
                    format!("{} ({})", instance.name, filters.join(", "))
                };
                Ok(Self {
                    path_prefix: "/events/feed/".to_owned(),
                    query: instance_query(&query),
                    title,
                    description: Some(instance.description.clone()),
                    page_url: Some(ctx.url("/")),
                    changed_at: None,
                    instance_name,
                    scope: Scope::Instance(Box::new(query)),
                })
            }
            Source::Token { token } => {
                let owner = tokens::resolve(conn, &token).await?;
                let (title, changed_at) = match owner.actor_id {
                    Some(actor_id) => {
                        let actor = crate::actors::find(conn, actor_id)
                            .await
                            .map_err(|_| Error::not_found("feed"))?;
                        (
                            format!("{} — {instance_name}", crate::actors::display_name(&actor)),
                            Some(actor.updated_at),
                        )
                    }
                    None => (format!("My events — {instance_name}"), None),
                };
                Ok(Self {
                    path_prefix: format!("/feed/{}/", token.trim()),
                    query: String::new(),
                    title,
                    description: None,
                    page_url: None,
                    changed_at,
                    instance_name,
                    scope: Scope::Participations(owner),
                })
            }
        }
    }

    /// Whether only the token's holder should read (and cache) the feed.
    pub fn is_private(&self) -> bool {
        matches!(self.scope, Scope::Participations(_))
    }

    /// A file name for saving the feed (one event's `.ics`).
    pub fn download_name(&self) -> Option<String> {
        match &self.scope {
            Scope::Event(event) => Some(format!("{}.ics", file_stem(&event.title))),
            _ => None,
        }
    }

    /// The feed's absolute address in `format`.
    pub fn url(&self, ctx: &AppContext, format: Format) -> String {
        ctx.url(&format!(
            "{}{}{}",
            self.path_prefix,
            format.extension(),
            self.query
        ))
    }

    /// The validator of the feed as it would be built now, from one query that reads a few
    /// columns of the index (no descriptions, places, tags or organizers' rows).
    pub async fn validator(&self, ctx: &AppContext, format: Format) -> Result<Validator> {
        let versions = self.versions(&ctx.db, ctx.now()).await?;
        let validator = self.fingerprint(ctx, format, &versions);
        self.dated(ctx, format, validator).await
    }

    /// `validator` with the date a list has shown its version since, which moves when an event
    /// leaves the list as well (see [`super::dates`]). One event's date is its own last change.
    async fn dated(
        &self,
        ctx: &AppContext,
        format: Format,
        mut validator: Validator,
    ) -> Result<Validator> {
        if matches!(self.scope, Scope::Event(_)) {
            return Ok(validator);
        }
        let key = super::dates::key(&self.url(ctx, format));
        let since = super::dates::since(&ctx.db, &key, &validator.etag, ctx.now()).await?;
        validator.last_modified = Some(since);
        Ok(validator)
    }

    /// The feed's bytes in `format`. Events this node already wrote in the version shown are
    /// not read or written again: after one event of a big feed changes, only that one is.
    pub async fn render(&self, ctx: &AppContext, format: Format) -> Result<Rendered> {
        // One snapshot for the events, their validator and what the feed shows of them, so
        // that bytes are never kept under the validator of a later version.
        let txn = crate::db::begin_snapshot(&ctx.db).await?;
        let conn = &txn;
        let now = ctx.now();
        let versions = self.versions(conn, now).await?;
        let validator = self.fingerprint(ctx, format, &versions);
        // An event's bytes are made of its row (its version), and of its organizer's name
        // (the organizers' newest change stands for it, as in the validator).
        let organizers = versions
            .organizers_changed
            .map_or(0, |changed| changed.timestamp_micros());
        let shown: Vec<(i64, String)> = versions
            .shown()?
            .into_iter()
            .map(|(id, version)| {
                let key = format!("{}:{version}|{organizers}", format.extension());
                (id, key)
            })
            .collect();
        let mut written: Vec<Option<Arc<WrittenEvent>>> = ctx
            .written_events
            .0
            .get_many(shown.iter().map(|(_, key)| key.as_str()));
        // Where each event not kept is shown (each is shown once).
        let missing: HashMap<i64, usize> = written
            .iter()
            .enumerate()
            .filter(|(_, kept)| kept.is_none())
            .map(|(at, _)| (shown[at].0, at))
            .collect();
        if !missing.is_empty() {
            let models = match &self.scope {
                Scope::Event(event) => vec![event.as_ref().clone()],
                _ => {
                    event::Entity::find()
                        .filter(event::Column::Id.is_in(missing.keys().copied()))
                        .all(conn)
                        .await?
                }
            };
            let items = events::calendar::calendar_events(ctx, conn, &models).await?;
            for (model, item) in models.iter().zip(&items) {
                let Some(&at) = missing.get(&model.id) else {
                    continue;
                };
                let one = Arc::new(match format {
                    Format::Ics => vevent(item),
                    Format::Atom => entry(item),
                });
                ctx.written_events.0.put(&shown[at].1, one.clone());
                written[at] = Some(one);
            }
        }
        // A list's recurring series are one event each in a calendar (`series::calendar`).
        let folded = match (&self.scope, format) {
            (Scope::Actor(_) | Scope::Instance(_), Format::Ics) => {
                let ids: Vec<i64> = shown.iter().map(|(id, _)| *id).collect();
                Some(crate::series::calendar::fold(ctx, conn, &ids).await?)
            }
            _ => None,
        };
        let posts = match format {
            Format::Atom => self.post_entries(conn).await?,
            Format::Ics => Vec::new(),
        };
        txn.commit().await?;
        if let Some(folded) = folded {
            written = fold_series(written, folded);
        }
        let in_order = written.iter().flatten().map(|w| w.as_ref());
        let bytes = match format {
            Format::Ics => calendar_around(
                &CalendarMeta {
                    name: self.title.clone(),
                    description: self.description.clone(),
                    url: self.page_url.clone(),
                    refresh: Duration::hours(REFRESH_HOURS),
                    // Offering to add the event is what an exported single event is for.
                    method_publish: matches!(self.scope, Scope::Event(_)),
                },
                in_order,
            ),
            Format::Atom => {
                let url = self.url(ctx, format);
                atom_around(
                    &AtomMeta {
                        id: url.clone(),
                        title: self.title.clone(),
                        subtitle: self.description.clone(),
                        self_url: url,
                        page_url: self.page_url.clone(),
                        author: self.instance_name.clone(),
                        // An empty feed still needs a stable date.
                        updated: validator
                            .last_modified
                            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
                    },
                    posts.iter().chain(in_order),
                )
            }
        };
        // Dated once built: the bytes (Atom's `updated`) are the same on every node.
        let validator = self.dated(ctx, format, validator).await?;
        Ok(Rendered { bytes, validator })
    }

    /// The events of a list feed, in their order.
    fn listed(
        &self,
        backend: sea_orm::DatabaseBackend,
        now: DateTime<Utc>,
    ) -> Result<Select<event::Entity>> {
        let select = match &self.scope {
            Scope::Event(event) => event::Entity::find().filter(event::Column::Id.eq(event.id)),
            Scope::Actor(actor) => {
                let select = events::listed().filter(events::not_over(now));
                match actor.kind {
                    ActorKind::Group => select.filter(event::Column::AttributedToId.eq(actor.id)),
                    _ => select
                        .filter(event::Column::OrganizerActorId.eq(actor.id))
                        .filter(event::Column::AttributedToId.is_null()),
                }
            }
            Scope::Instance(query) => events::search_select(backend, now, query)?,
            Scope::Participations(owner) => participations(owner, now),
        };
        Ok(select
            .order_by_asc(event::Column::BeginsOn)
            .order_by_asc(event::Column::Id)
            .limit(MAX_ITEMS))
    }

    /// What identifies the version of each event (and a group's each post) the feed shows.
    async fn versions(&self, conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Versions> {
        let mut versions = self.event_versions(conn, now).await?;
        if let Scope::Actor(actor) = &self.scope
            && actor.kind == ActorKind::Group
        {
            let posts: Vec<(i64, DateTime<Utc>)> =
                crate::posts::public_of_group(conn, actor.id, MAX_POSTS)
                    .await?
                    .into_iter()
                    .map(|p| (p.id, p.updated_at))
                    .collect();
            versions.posts_newest = posts.iter().map(|(_, changed)| *changed).max();
            versions.posts = posts
                .iter()
                .map(|(id, changed)| format!("{id}@{}", changed.timestamp_micros()))
                .collect::<Vec<_>>()
                .join(";");
        }
        Ok(versions)
    }

    /// The latest public posts of a group feed, as Atom entries (calendars have no posts).
    async fn post_entries(&self, conn: &impl ConnectionTrait) -> Result<Vec<WrittenEvent>> {
        let Scope::Actor(actor) = &self.scope else {
            return Ok(Vec::new());
        };
        if actor.kind != ActorKind::Group {
            return Ok(Vec::new());
        }
        let posts = crate::posts::public_of_group(conn, actor.id, MAX_POSTS).await?;
        let author_ids: Vec<i64> = posts.iter().map(|p| p.author_id).collect();
        let authors = crate::actors::find_many(conn, &author_ids).await?;
        Ok(posts
            .iter()
            .map(|p| {
                post_entry(&FeedPost {
                    url: p.ap_id.clone(),
                    title: p.title.clone(),
                    published: p.publish_at.unwrap_or(p.created_at),
                    updated: p.updated_at,
                    author: authors
                        .get(&p.author_id)
                        .map(crate::actors::display_name)
                        .unwrap_or_default(),
                    html: p.body.clone(),
                })
            })
            .collect())
    }

    /// What identifies the version of each event the feed shows, read in one query (a list
    /// feed of 500 events brought 500 rows through the driver before: 3.5 ms per `304`).
    async fn event_versions(
        &self,
        conn: &impl ConnectionTrait,
        now: DateTime<Utc>,
    ) -> Result<Versions> {
        if let Scope::Event(event) = &self.scope {
            let shown =
                BTreeSet::from([event.attributed_to_id.unwrap_or(event.organizer_actor_id)]);
            return Ok(Versions {
                events: Some(format!(
                    "{}@{}#{}#{}",
                    event.id,
                    event.updated_at.timestamp_micros(),
                    event.sequence,
                    event.visibility.to_value()
                )),
                newest: Some(event.updated_at),
                organizers_changed: newest_change(conn, shown).await?,
                first_over: None,
                ..Versions::default()
            });
        }
        let backend = conn.get_database_backend();
        let shown = backend.build(
            self.listed(backend, now)?
                .select_only()
                .column(event::Column::Id)
                .column(event::Column::BeginsOn)
                .column(event::Column::EndsOn)
                .column(event::Column::UpdatedAt)
                .column(event::Column::Sequence)
                .column(event::Column::Visibility)
                .column(event::Column::OrganizerActorId)
                .column(event::Column::AttributedToId)
                .as_query(),
        );
        // The text of a change is only hashed: SQLite's stored text, PostgreSQL's microseconds
        // (its text form would follow each session's time zone).
        let (concat, changed) = match backend {
            sea_orm::DatabaseBackend::Postgres => (
                "string_agg",
                "CAST(CAST(EXTRACT(EPOCH FROM updated_at) * 1000000 AS BIGINT) AS TEXT)",
            ),
            _ => ("group_concat", "CAST(updated_at AS TEXT)"),
        };
        let sql = format!(
            "WITH shown AS ({}) SELECT \
             {concat}(CAST(id AS TEXT) || '@' || {changed} || '#' || CAST(sequence AS TEXT) \
               || '#' || visibility, ';' \
               ORDER BY begins_on, id) AS events, \
             MAX(updated_at) AS newest, \
             MIN(COALESCE(ends_on, begins_on)) AS first_over, \
             (SELECT MAX(a.updated_at) FROM actors a WHERE a.id IN \
               (SELECT COALESCE(attributed_to_id, organizer_actor_id) FROM shown)) \
               AS organizers_changed \
             FROM shown",
            shown.sql
        );
        let statement = sea_orm::Statement::from_sql_and_values(
            backend,
            sql,
            shown.values.map(|v| v.0).unwrap_or_default(),
        );
        let row = conn.query_one_raw(statement).await?;
        Ok(match row {
            Some(row) => Versions {
                events: row.try_get("", "events")?,
                newest: row.try_get("", "newest")?,
                organizers_changed: row.try_get("", "organizers_changed")?,
                first_over: row.try_get("", "first_over")?,
                ..Versions::default()
            },
            None => Versions::default(),
        })
    }

    /// Hashes everything the bytes are made of: the feed's own facts, then each event's id,
    /// last change and sequence in order, then the last change of their organizers (whose names
    /// the feed shows).
    fn fingerprint(&self, ctx: &AppContext, format: Format, versions: &Versions) -> Validator {
        let mut hash = Sha256::new();
        for part in [
            "convive-feed",
            &FORMAT_REVISION.to_string(),
            env!("CARGO_PKG_VERSION"),
            format.extension(),
            &self.url(ctx, format),
            &self.instance_name,
            &self.title,
            self.description.as_deref().unwrap_or(""),
            self.page_url.as_deref().unwrap_or(""),
            versions.events.as_deref().unwrap_or(""),
            &versions.posts,
        ] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        if let Some(changed) = versions.organizers_changed {
            hash.update(format!("organizers@{}", changed.timestamp_micros()).as_bytes());
        }
        // The feed's owner's last change is the Atom feed's `updated` when it is the newest.
        if let Some(changed) = self.changed_at {
            hash.update(format!("owner@{}", changed.timestamp_micros()).as_bytes());
        }
        let last_modified = [
            versions.newest,
            versions.posts_newest,
            versions.organizers_changed,
            self.changed_at,
        ]
        .into_iter()
        .flatten()
        .max();
        Validator {
            etag: format!("\"{}\"", hex::encode(&hash.finalize()[..16])),
            last_modified,
            fresh_until: self.fresh_until(versions),
        }
    }

    /// When the first of the feed's events leaves it by being over: each list keeps the events
    /// not over at some moment (see [`Self::listed`]), which moves with the clock unless the
    /// reader fixed it.
    fn fresh_until(&self, versions: &Versions) -> Option<DateTime<Utc>> {
        let first_over = versions.first_over?;
        match &self.scope {
            Scope::Event(_) => None,
            Scope::Actor(_) => Some(first_over),
            Scope::Instance(query) => query.begins_on.is_none().then_some(first_over),
            Scope::Participations(_) => Some(first_over + Duration::days(PARTICIPATIONS_KEPT_DAYS)),
        }
    }
}

/// The written events with each date of a series replaced as `folded` says.
fn fold_series(
    written: Vec<Option<Arc<WrittenEvent>>>,
    folded: Vec<crate::series::calendar::InFeed>,
) -> Vec<Option<Arc<WrittenEvent>>> {
    use crate::series::calendar::InFeed;
    let mut out = Vec::with_capacity(written.len());
    for (kept, fold) in written.into_iter().zip(folded) {
        match fold {
            InFeed::Itself => out.push(kept),
            InFeed::Instead(items) => {
                out.extend(items.iter().map(|item| Some(Arc::new(vevent(item)))));
            }
        }
    }
    out
}

/// What identifies the version of the events a feed shows.
#[derive(Debug, Default)]
struct Versions {
    /// `id@change#sequence#visibility` of each event, in the feed's order, joined by `;`. The
    /// visibility is the entry's `CLASS`: written out, so that an edit made within the same
    /// instant as the last one (two nodes, a test's clock) still rebuilds the entry.
    events: Option<String>,
    /// The newest of their last changes.
    newest: Option<DateTime<Utc>>,
    /// The newest last change of the groups or people shown as their organizers.
    organizers_changed: Option<DateTime<Utc>>,
    /// The earliest moment one of them is over (its end, or its start if it has none).
    first_over: Option<DateTime<Utc>>,
    /// `id@change` of each post a group's feed shows, newest first, joined by `;`.
    posts: String,
    /// The newest of their last changes.
    posts_newest: Option<DateTime<Utc>>,
}

impl Versions {
    /// Each event shown, in order, with its version (`id@change#sequence#visibility`).
    fn shown(&self) -> Result<Vec<(i64, &str)>> {
        let Some(events) = self.events.as_deref().filter(|e| !e.is_empty()) else {
            return Ok(Vec::new());
        };
        events
            .split(';')
            .map(|version| {
                version
                    .split_once('@')
                    .and_then(|(id, _)| id.parse().ok())
                    .map(|id| (id, version))
                    .ok_or_else(|| Error::internal(format!("unreadable event version {version:?}")))
            })
            .collect()
    }
}

/// The newest `updated_at` among actors, in one query.
async fn newest_change(
    conn: &impl ConnectionTrait,
    ids: BTreeSet<i64>,
) -> Result<Option<DateTime<Utc>>> {
    if ids.is_empty() {
        return Ok(None);
    }
    let changes: Vec<DateTime<Utc>> = actor::Entity::find()
        .select_only()
        .column(actor::Column::UpdatedAt)
        .filter(actor::Column::Id.is_in(ids))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(changes.into_iter().max())
}

/// Events the owner goes to or waits to be accepted at (but a restricted one, which only the
/// participants accepted see: `events::policy::can_view`), not over for long, published.
fn participations(owner: &FeedOwner, now: DateTime<Utc>) -> Select<event::Entity> {
    let mut identities = actor::Entity::find()
        .select_only()
        .column(actor::Column::Id)
        .filter(actor::Column::UserId.eq(owner.user_id));
    if let Some(actor_id) = owner.actor_id {
        identities = identities.filter(actor::Column::Id.eq(actor_id));
    }
    let identities = identities.into_query();
    let attending = |roles: &[ParticipantRole]| {
        participant::Entity::find()
            .select_only()
            .column(participant::Column::EventId)
            .filter(participant::Column::ActorId.in_subquery(identities.clone()))
            .filter(participant::Column::Email.is_null())
            .filter(participant::Column::Role.is_in(roles.iter().copied()))
            .into_query()
    };
    let waiting = Condition::all()
        .add(event::Column::Id.in_subquery(attending(&[ParticipantRole::NotApproved])))
        .add(event::Column::Visibility.ne(EventVisibility::Restricted));
    event::Entity::find()
        .filter(
            Condition::any()
                .add(event::Column::Id.in_subquery(attending(&ParticipantRole::GOING)))
                .add(waiting),
        )
        .filter(event::Column::Draft.eq(false))
        .filter(event::Column::Hidden.eq(false))
        .filter(events::not_over(
            now - Duration::days(PARTICIPATIONS_KEPT_DAYS),
        ))
}

/// `?tags=…&category=…` as the instance feed's address carries its filters.
fn instance_query(query: &SearchQuery) -> String {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    if !query.tags.is_empty() {
        form.append_pair("tags", &query.tags.join(","));
    }
    if let Some(category) = &query.category {
        form.append_pair("category", category);
    }
    let encoded = form.finish();
    if encoded.is_empty() {
        encoded
    } else {
        format!("?{encoded}")
    }
}

/// An ASCII file name from a title: "Fête du vélo !" → "fete-du-velo".
fn file_stem(title: &str) -> String {
    let folded = crate::search::fold(title);
    let mut stem = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            stem.push(c);
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
        if stem.len() >= 60 {
            break;
        }
    }
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() {
        "event".to_owned()
    } else {
        stem.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_plain_ascii_words() {
        assert_eq!(file_stem("Fête du vélo !"), "fete-du-velo");
        assert_eq!(file_stem("🎉🎉"), "event");
        assert_eq!(file_stem("  Jam -- session  "), "jam-session");
        assert!(file_stem(&"long words ".repeat(20)).len() <= 60);
    }

    #[test]
    fn instance_feed_addresses_carry_their_filters() {
        assert_eq!(instance_query(&SearchQuery::default()), "");
        let query = SearchQuery {
            tags: vec!["vélo".to_owned(), "fête".to_owned()],
            category: Some("SPORTS".to_owned()),
            ..SearchQuery::default()
        };
        assert_eq!(
            instance_query(&query),
            "?tags=v%C3%A9lo%2Cf%C3%AAte&category=SPORTS"
        );
    }
}
