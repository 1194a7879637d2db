//! Events of other instances as they arrive, sent by their owner (`Create`, `Update`,
//! `Announce`) or fetched because someone here asked: their owners dereferenced, the document
//! mapped, and `backend::events::federated::receive` deciding whether it is kept.

use activitypub_federation::config::Data;
use activitypub_federation::fetch::object_id::ObjectId;
use backend::AppContext;
use backend::events::federated::{self, Arrival};
use url::Url;

use crate::error::{Error, Result};
use crate::objects::actor::ApActor;
use crate::protocol::event::Event;

/// Hands `event`, sent (or announced) by `sender`, which the caller checked owns it, to the
/// backend, which keeps it when someone here follows its organizer or its group. Shared by
/// `Create`, `Update` and `Announce`.
pub(crate) async fn store_remote_event(
    data: &Data<AppContext>,
    sender_url: &Url,
    object: &Event,
    activity_id: &Url,
) -> Result<()> {
    store(data, sender_url, object, activity_id, Arrival::Sent)
        .await
        .map(|_| ())
}

/// Stores an event someone here asked for by its address (`interact`), followed or not.
pub(crate) async fn store_asked_for(
    data: &Data<AppContext>,
    object: &Event,
) -> Result<Option<entity::event::Model>> {
    let owner = object
        .attributed_to
        .clone()
        .or_else(|| object.actor.clone())
        .ok_or_else(|| Error::Malformed("an event without organizer".to_owned()))?;
    verify_owner(object, &owner)?;
    store(data, &owner, object, &object.id, Arrival::AskedFor).await
}

async fn store(
    data: &Data<AppContext>,
    sender_url: &Url,
    object: &Event,
    activity_id: &Url,
    arrival: Arrival,
) -> Result<Option<entity::event::Model>> {
    let sender = ObjectId::<ApActor>::from(sender_url.clone())
        .dereference(data)
        .await?;
    let organizer = match &object.actor {
        Some(url) if url != sender_url => {
            ObjectId::<ApActor>::from(url.clone())
                .dereference(data)
                .await?
                .model
        }
        _ => sender.model.clone(),
    };
    let group = match &object.attributed_to {
        Some(url) if url == sender_url => Some(sender.model.clone()),
        Some(url) if Some(url) != object.actor.as_ref() => Some(
            ObjectId::<ApActor>::from(url.clone())
                .dereference(data)
                .await?
                .model,
        ),
        _ => None,
    };
    // What its instance runs (NodeInfo, read at most daily): whether its events take RSVPs
    // from here, and the zone of events sent without one (Gancio's).
    let instance_zone = crate::resolve::peer_software(data.app_data(), &object.id)
        .await
        .and_then(|peer| peer.timezone);
    let remote = crate::objects::event::to_remote(
        object,
        organizer.id,
        group.as_ref().map(|g| g.id),
        instance_zone.as_deref(),
    )?;
    let Some(event) = federated::receive(data.app_data(), remote, arrival).await? else {
        tracing::debug!(id = %activity_id, "remote event not kept");
        return Ok(None);
    };
    tracing::info!(ap_id = %event.ap_id, activity = %activity_id, "remote event stored");
    Ok(Some(event))
}

/// Whether `sender` may speak for `event`: same host, and it is its organizer or its group.
pub(crate) fn verify_owner(event: &Event, sender: &Url) -> Result<()> {
    crate::origin::verify_same_origin(&event.id, sender)?;
    let owners = [&event.actor, &event.attributed_to];
    if !owners.iter().any(|o| o.as_ref() == Some(sender)) {
        return Err(Error::Rejected(
            "the sender is neither the event's organizer nor its group".to_owned(),
        ));
    }
    Ok(())
}
