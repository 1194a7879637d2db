//! Rules the edges used to hold, now the service's: who gets the edit form.

use chrono::Duration;

use super::service;
use crate::principal::Principal;
use crate::testing::{TestContext, new_event};

#[tokio::test]
async fn the_edit_form_is_for_those_who_may_change_the_event_as_the_update_itself() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let stranger = t.person("stranger").await;
    let start = t.ctx.now() + Duration::days(2);
    let public = service::create(&t.ctx, &alice.principal(), new_event("Picnic", start))
        .await
        .expect("event");
    let mut draft = new_event("Not yet", start);
    draft.draft = Some(true);
    let draft = service::create(&t.ctx, &alice.principal(), draft)
        .await
        .expect("draft");
    let editable = |principal: Principal, uuid: String| {
        let db = t.ctx.db.clone();
        async move { super::super::find_editable(&db, &principal, &uuid).await }
    };
    assert_eq!(
        editable(alice.principal(), public.uuid.clone())
            .await
            .expect("hers")
            .id,
        public.id
    );
    let refused = [
        (stranger.principal(), public.uuid.clone(), "forbidden"),
        (Principal::Anonymous, public.uuid.clone(), "forbidden"),
        (stranger.principal(), draft.uuid.clone(), "not_found"),
    ];
    for (principal, uuid, code) in refused {
        let err = editable(principal.clone(), uuid)
            .await
            .expect_err("not theirs");
        assert_eq!(err.code(), code, "{principal:?}");
        let update = service::update(&t.ctx, &principal, public.id, Default::default()).await;
        if principal != Principal::Anonymous && code == "forbidden" {
            assert_eq!(
                update.expect_err("the service says the same").to_string(),
                err.to_string()
            );
        }
    }
}
