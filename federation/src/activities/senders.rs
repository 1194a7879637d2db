//! Who sent an activity, as backend services see it, and which of our actors it names.

use activitypub_federation::config::Data;
use activitypub_federation::fetch::object_id::ObjectId;
use backend::AppContext;
use backend::principal::Principal;
use url::Url;

use crate::error::Result;
use crate::objects::actor::ApActor;

/// Who sent an activity, as backend services see it: the remote actor (fetched when we hold
/// none) with the id of the activity that carries its request.
pub(crate) async fn sender(
    data: &Data<AppContext>,
    actor: &Url,
    activity_id: &Url,
) -> Result<Principal> {
    let actor = ObjectId::<ApActor>::from(actor.clone())
        .dereference(data)
        .await?;
    Ok(remote_principal(&actor.model, activity_id))
}

/// A remote actor we hold, acting through the activity `activity_id`.
pub(crate) fn remote_principal(actor: &entity::actor::Model, activity_id: &Url) -> Principal {
    Principal::Remote {
        actor_id: actor.id,
        activity_id: activity_id.to_string(),
    }
}

/// The local actor `url` names, if any.
pub(crate) async fn local_actor(
    data: &Data<AppContext>,
    url: &Url,
) -> Result<Option<entity::actor::Model>> {
    Ok(
        backend::actors::remote::find_by_ap_id(&data.db, url.as_str())
            .await?
            .filter(|a| a.is_local() && !a.suspended),
    )
}
