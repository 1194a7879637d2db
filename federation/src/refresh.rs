//! The job that fetches an actor of another instance again (`backend::actors::refresh` plans
//! it for Mobilizon's `refreshProfile`), through the same path as every actor fetch: signed,
//! bounded, refused for blocked instances, and stored by `objects::actor`.
//!
//! An actor its instance no longer has, or answers with something unreadable, is a log line:
//! asking again would not change it. A peer that is down is asked again later.

use activitypub_federation::error::Error as Ap;
use activitypub_federation::fetch::object_id::ObjectId;
use async_trait::async_trait;
use backend::AppContext;
use backend::actors::refresh::{REFRESH_JOB, RefreshActor};
use backend::jobs::{Job, JobError, JobHandler};
use url::Url;

use crate::config::Federation;
use crate::error::Error;
use crate::objects::actor::ApActor;

pub struct RefreshActorJob {
    federation: Federation,
}

impl RefreshActorJob {
    pub fn new(federation: Federation) -> Self {
        Self { federation }
    }
}

#[async_trait]
impl JobHandler for RefreshActorJob {
    fn kind(&self) -> &'static str {
        REFRESH_JOB
    }

    async fn run(&self, ctx: &AppContext, job: &Job) -> Result<(), JobError> {
        let wanted: RefreshActor = serde_json::from_value(job.payload.clone())?;
        let actor = match backend::actors::find(&ctx.db, wanted.actor_id).await {
            Ok(actor) => actor,
            // Deleted since: nothing left to refresh.
            Err(backend::Error::NotFound { .. }) => return Ok(()),
            Err(err) => return Err(err.into()),
        };
        if actor.domain.is_none() {
            return Ok(());
        }
        let url = Url::parse(&actor.ap_id)
            .map_err(|err| JobError::Permanent(format!("stored actor address: {err}")))?;
        let data = self.federation.data();
        match ObjectId::<ApActor>::from(url)
            .dereference_forced(&data)
            .await
        {
            Ok(_) => {
                tracing::info!(actor_id = actor.id, "remote profile refreshed");
                Ok(())
            }
            Err(Error::Federation(Ap::Reqwest(_) | Ap::ReqwestMiddleware(_))) => Err(
                JobError::Retry("the actor's instance did not answer".to_owned()),
            ),
            Err(Error::Database(err)) => Err(JobError::Retry(err.to_string())),
            Err(refused) => {
                tracing::warn!(
                    actor_id = actor.id,
                    reason = %refused,
                    "a remote profile could not be refreshed; the stored one is kept"
                );
                Ok(())
            }
        }
    }
}
