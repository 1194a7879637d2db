//! ActivityPub for Convive, on `activitypub_federation`: the wire shapes (`protocol/`), the
//! mapping between our rows and those shapes (`objects/`), one file per activity verb
//! (`activities/`), the inbox, the delivery jobs, WebFinger, NodeInfo, and the actor, event and
//! collection documents.
//!
//! No domain rule lives here: inbox handlers build the sender's `Principal::Remote` and call
//! the backend function of the use case, the one GraphQL and the pages call (a remote `Follow`
//! runs `backend::groups::follows::follow`, a `Join` `backend::participations::join`), and
//! backend services record what happened (`backend::outbox`) for the jobs here to turn into
//! activities.

// The test of Mobilizon's JSON-LD context holds it as one large `json!` literal.
#![cfg_attr(test, recursion_limit = "256")]

pub mod activities;
mod bounded;
pub mod config;
pub mod delivery;
pub mod error;
pub mod inbox;
pub mod keys;
pub mod negotiate;
pub mod objects;
mod origin;
pub mod pictures;
pub mod protocol;
pub mod publish;
pub mod refresh;
mod relaying;
pub mod resolve;
mod routes;
mod sign;
pub mod signatures;
mod software;
pub mod webfinger;

pub use config::{Federation, FederationData};
pub use delivery::{follow_remote, resolve_handle};
pub use error::{Error, Result};
pub use resolve::{NodeInfo, Resolved, nodeinfo, other_instance_handle, resolve, resolve_instance};
pub use routes::{
    actor_events_json, actor_json, comment_json, event_json, members_json, post_json, routes,
};

/// The federation job handlers, for the start-up registry: turning what backend recorded into
/// activities, delivering them, copying the pictures of remote events and actors, and
/// fetching remote actors again when asked, and reading what a newly followed or following
/// peer runs.
pub fn job_registry(federation: &Federation) -> backend::jobs::JobRegistry {
    backend::jobs::JobRegistry::new()
        .with(publish::PublishJob)
        .with(delivery::DeliverJob::new(federation.clone()))
        .with(pictures::FetchPictureJob)
        .with(refresh::RefreshActorJob::new(federation.clone()))
        .with(software::ReadSoftwareJob)
}
