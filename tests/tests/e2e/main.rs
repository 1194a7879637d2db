//! Every end-to-end test, in one binary: each links the whole server, so one binary is linked
//! once instead of once per file. Each module is a story against real servers on loopback
//! ports; a server whose test leaves work undone (a job due and not run, one failing and
//! retried, one dead) fails that test when it is dropped (`tests::TestServer`).

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

mod about_pages;
mod account_email;
mod account_pages;
mod accounts;
mod admin_instance_pages;
mod admin_pages;
mod admin_settings;
mod api_endpoint;
mod browser;
mod browser_cors;
mod browser_event_pages;
mod browser_layout;
mod browser_moderation;
mod browser_recurrence;
mod browser_screens;
mod browser_talk;
mod comments;
mod conversations;
mod discussions;
mod discussions_federated;
mod event_form;
mod event_lists;
mod event_place_map;
mod events;
mod federation;
mod federation_inbox;
mod federation_instances;
mod federation_pictures;
mod feeds;
mod form_problems_pages;
mod fuzz;
mod hardening;
mod instance_identity;
mod interop;
mod invite_and_restricted;
mod member_pages;
mod mobilizon_client;
mod mobilizon_clients_real;
mod mobilizon_shapes;
mod moderation_matrix;
mod one_join;
mod page_language;
mod pages;
mod participant_exports;
mod peers;
mod peers_live;
mod picture_pages;
mod pictures;
mod places;
mod posts;
mod public_urls;
mod query_counts;
mod recurrence;
mod recurrence_federation;
mod report_mail;
mod reports;
mod sign_up_modes;
mod smtp;
mod suspension_federation;
mod user_admin;
mod waitlist;

/// The servers of these tests watch their job queue.
mod test_servers {
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    use tests::TestServer;

    #[tokio::test]
    #[should_panic(expected = "the test left failing jobs")]
    async fn a_test_that_leaves_a_failing_job_fails_when_its_server_is_dropped() {
        let server = TestServer::start().await;
        let id = backend::jobs::enqueue(
            &server.ctx.db,
            server.ctx.now(),
            backend::jobs::NewJob::new("test.never_handled", &serde_json::json!({})).unwrap(),
        )
        .await
        .unwrap();
        let job = backend::jobs::find(&server.ctx.db, id).await.unwrap();
        let mut failed = job.into_active_model();
        failed.state = Set(entity::job::JobState::Dead);
        failed.last_error = Set(Some("the peer answered 500".to_owned()));
        failed.update(&server.ctx.db).await.unwrap();
    }
}
