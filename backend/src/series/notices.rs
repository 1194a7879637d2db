//! Telling people about a change to several dates of a series: one mail per person, however
//! many of the changed dates they take part in, describing the first of them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::ParticipantRole;
use entity::event;
use fluent_templates::fluent_bundle::FluentValue;

use crate::context::AppContext;
use crate::db::WriteTx;
use crate::error::Result;
use crate::events::notices::event_mail;
use crate::i18n::{self, args};
use crate::participations::{self, Recipient};

/// Who hears about changes (as for one event): people going and people waiting for
/// approval, not the creator.
const TOLD: [ParticipantRole; 4] = [
    ParticipantRole::Administrator,
    ParticipantRole::Moderator,
    ParticipantRole::Participant,
    ParticipantRole::NotApproved,
];

/// Queues, within `tx`, one mail to each person taking part in any of `dates` (in order).
/// Returns how many mails.
pub(super) async fn queue_several(
    ctx: &AppContext,
    tx: &WriteTx,
    dates: &[event::Model],
    cancelled: bool,
    now: DateTime<Utc>,
) -> Result<usize> {
    // By address: the first date each person takes part in, and how many.
    let mut told: HashMap<String, (Recipient, usize, usize)> = HashMap::new();
    let mut order = Vec::new();
    for (index, date) in dates.iter().enumerate() {
        for recipient in participations::recipients(ctx, tx, date.id, &TOLD).await? {
            match told.get_mut(&recipient.email) {
                Some(entry) => entry.2 += 1,
                None => {
                    order.push(recipient.email.clone());
                    told.insert(recipient.email.clone(), (recipient, index, 1));
                }
            }
        }
    }
    let key = if cancelled {
        "series-cancelled"
    } else {
        "series-updated"
    };
    let instance = ctx.instance_in(tx).await?;
    for email in &order {
        let Some((recipient, index, count)) = told.get(email) else {
            continue;
        };
        let Some(date) = dates.get(*index) else {
            continue;
        };
        let address = match date.physical_address_id {
            Some(id) => crate::addresses::find(tx, id).await.ok(),
            None => None,
        };
        let mut a = args([("title", date.title.clone())]);
        a.insert("count".into(), FluentValue::from(*count));
        let extra = i18n::text_with(recipient.locale, "series-dates", &a);
        let message = event_mail(
            &instance,
            recipient,
            date,
            address.as_ref(),
            key,
            Some(extra),
        );
        crate::mail::queue(tx, now, &message).await?;
    }
    Ok(order.len())
}
