//! What our instance actor tells the instances that follow it when one of our public events
//! changes. Mobilizon and Convive read an `Announce` of the event and fetch it from here;
//! Gancio 1.21 takes events only as a followed actor's own `Create`, `Update` and `Delete`
//! (an `Announce` there is a boost of its own events, answered 404), so its instances get
//! those, sent by the instance actor it follows, with the event embedded.

use backend::AppContext;

use crate::activities::announce::Announce;
use crate::activities::create_or_update::{CreateOrUpdate, CreateOrUpdateType};
use crate::activities::delete::Delete;
use crate::delivery::queue_deliveries;
use crate::error::Result;
use crate::protocol::event::Event;

/// What happened to the event, as far as the instance actor relays it.
pub(crate) enum Relayed<'a> {
    Changed(CreateOrUpdateType, &'a Event),
    Deleted,
}

/// Queues the instance actor's word about the public event `event_ap_id` to the instances
/// that follow it. `heard_from_owner` are the inboxes the event's group or organizer already
/// sends its own activity to: Gancio files an event under whoever sent it first, so a second
/// copy from the instance actor would only be refused.
pub(crate) async fn relay(
    ctx: &AppContext,
    event_ap_id: &str,
    what: Relayed<'_>,
    heard_from_owner: &[String],
) -> Result<()> {
    let relay = backend::actors::system::relay(&ctx.db).await?;
    let inboxes =
        backend::groups::followers::follower_inboxes_elsewhere(&ctx.db, &[relay.id]).await?;
    if inboxes.is_empty() {
        return Ok(());
    }
    let (announce_readers, followers_only) =
        backend::instances::software::split_by_announce_reading(&ctx.db, inboxes).await?;
    if !announce_readers.is_empty() {
        let announce = Announce::by_relay(&relay, event_ap_id, ctx.now())?;
        queue_deliveries(ctx, &relay, &announce, announce_readers).await?;
    }
    let followers_only: Vec<String> = followers_only
        .into_iter()
        .filter(|inbox| !heard_from_owner.contains(inbox))
        .collect();
    if followers_only.is_empty() {
        return Ok(());
    }
    match what {
        Relayed::Changed(kind, event) => {
            let activity = CreateOrUpdate::by_relay(kind, &relay, event.clone(), ctx.now())?;
            queue_deliveries(ctx, &relay, &activity, followers_only).await
        }
        Relayed::Deleted => {
            let activity = Delete::event(event_ap_id, &relay)?;
            queue_deliveries(ctx, &relay, &activity, followers_only).await
        }
    }
}
