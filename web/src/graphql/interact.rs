//! `interact(uri)`, as Mobilizon: what an address or `name@host` names, fetched from its
//! instance when we do not know it yet, so that people here can follow or join it.

use async_graphql::{Context, Object, Union};

use super::app;
use super::errors::{GqlResult, IntoGql};
use super::objects::{Event, Group, Person};

#[derive(Union)]
pub enum Interactable {
    Event(Event),
    Group(Group),
    Person(Person),
}

#[derive(Default)]
pub struct InteractQuery;

#[Object]
impl InteractQuery {
    async fn interact(&self, ctx: &Context<'_>, uri: String) -> GqlResult<Interactable> {
        let app = app(ctx)?;
        if !app.settings.federation.enabled {
            return Err(backend::Error::not_found("object")).gql();
        }
        let fetcher = ctx.data::<federation::Federation>()?;
        match federation::resolve(fetcher, app, &uri).await {
            Ok(federation::Resolved::Event(event)) => Ok(Interactable::Event(Event(event))),
            Ok(federation::Resolved::Actor(actor)) if actor.kind == entity::ActorKind::Group => {
                Ok(Interactable::Group(Group(actor)))
            }
            Ok(federation::Resolved::Actor(actor)) => Ok(Interactable::Person(Person(actor))),
            Err(err) => {
                tracing::debug!(error = %err, "interact: nothing found");
                Err(backend::Error::not_found("object")).gql()
            }
        }
    }
}
