//! What the participants of a suspended organizer's events are told. Mobilizon mails them
//! that the event is gone; here the events are only hidden (an unsuspend brings them back),
//! so the mail says the event is no longer shown and may not take place as planned, without
//! a link (it answers not found to them). Each participant hears once per event the
//! suspension hides: events hidden already (another owner suspended, its instance blocked),
//! past or cancelled ones are left out, and suspending again changes nothing.

use chrono::{DateTime, Utc};
use entity::event::{self, EventStatus};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::context::AppContext;
use crate::error::Result;
use crate::events::notices::{TOLD_ABOUT_CHANGES, build, load_address, with_event_facts};
use crate::i18n::{self, args};
use crate::identity::Identity;
use crate::mail::{self, Layout};
use crate::participations::{self, Recipient};

/// The events still to come of `actor_id` (organized by it or in its name) that are shown,
/// read before the suspension hides them.
pub(super) async fn shown_upcoming(
    conn: &impl ConnectionTrait,
    actor_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<event::Model>> {
    Ok(event::Entity::find()
        .filter(
            Condition::any()
                .add(event::Column::OrganizerActorId.eq(actor_id))
                .add(event::Column::AttributedToId.eq(actor_id)),
        )
        .filter(event::Column::BeginsOn.gt(now))
        .filter(event::Column::Hidden.eq(false))
        .filter(event::Column::Status.ne(EventStatus::Cancelled))
        .order_by_asc(event::Column::BeginsOn)
        .all(conn)
        .await?)
}

/// Queues a mail, in each one's language, to the participants of each of `events` the
/// suspension hid. Returns how many mails were queued.
pub(super) async fn tell_participants(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    events: Vec<event::Model>,
    now: DateTime<Utc>,
) -> Result<usize> {
    let mut queued = 0;
    let instance = ctx.instance_in(conn).await?;
    for shown in events {
        let event = crate::events::find(conn, shown.id).await?;
        if !event.hidden {
            continue;
        }
        let address = load_address(conn, &event).await?;
        let recipients =
            participations::recipients(ctx, conn, event.id, &TOLD_ABOUT_CHANGES).await?;
        for recipient in &recipients {
            mail::queue(
                conn,
                now,
                &hidden_mail(&instance, recipient, &event, address.as_ref()),
            )
            .await?;
            queued += 1;
        }
    }
    Ok(queued)
}

fn hidden_mail(
    instance: &Identity,
    recipient: &Recipient,
    event: &event::Model,
    address: Option<&entity::address::Model>,
) -> mail::OutgoingMail {
    let locale = recipient.locale;
    let a = args([
        ("title", event.title.clone()),
        ("instance", instance.name.clone()),
    ]);
    let layout = Layout::new(i18n::text_with(locale, "event-hidden-title", &a))
        .paragraph(i18n::text_with(locale, "event-hidden-intro", &a));
    let layout = with_event_facts(layout, locale, event, address).footnote(i18n::text_with(
        locale,
        "footer-participant",
        &a,
    ));
    build(
        instance,
        recipient,
        i18n::text_with(locale, "event-hidden-subject", &a),
        layout,
    )
}
