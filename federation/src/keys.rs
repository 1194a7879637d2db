//! Key pairs of local actors, made the first time an actor is served or signs (RSA generation
//! takes a while; most identities never federate).

use activitypub_federation::http_signatures::generate_actor_keypair;
use backend::AppContext;
use entity::actor;

use crate::error::{Error, Result};

/// The actor with its keys, generating and storing them when a local actor has none.
pub async fn ensure(ctx: &AppContext, actor: actor::Model) -> Result<actor::Model> {
    if !actor.is_local() || actor.private_key_pem.is_some() {
        return Ok(actor);
    }
    let keypair = tokio::task::spawn_blocking(generate_actor_keypair)
        .await
        .map_err(|e| Error::Internal(e.to_string()))??;
    Ok(backend::actors::remote::store_keys_if_missing(
        &ctx.db,
        actor.id,
        &keypair.public_key,
        &keypair.private_key,
    )
    .await?)
}
