//! Convive's schema history: one change per file, applied in order at start-up or by
//! `convive migrate`. This is the only place where DDL lives. Migrations never import `entity`:
//! they describe the schema as it was when they were written, so they carry their own idents.
//! Every statement must work on both SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_core;
mod m20261124_000002_groups_events;
mod m20261126_000001_feed_tokens;
mod m20261126_000010_received_activities;
mod m20261126_000011_domain_blocks;
mod m20261126_000012_covering_event_indexes;
mod m20261126_000013_exact_planner_statistics;
mod m20261127_000014_remote_event_versions;
mod m20261127_000015_search_by_place_cells;
mod m20261127_000016_change_notifications;
mod m20261127_000017_job_keys_in_byte_order;
mod m20261127_000018_job_keys_as_long_as_an_inbox;
mod m20261127_000019_remote_event_tombstones;
mod m20261128_000020_search_words_in_place_index;
mod m20261206_000021_registration_tokens;
mod m20261206_000022_rate_limits;
mod m20261207_000023_media;
mod m20261207_000030_user_location;
mod m20261207_000031_event_details;
mod m20261207_000040_remote_media_sources;
mod m20261207_000120_event_search_facts;
mod m20261207_000121_participant_exports;
mod m20261207_000122_email_changes;
mod m20261207_000130_feed_versions;
mod m20261207_000140_waitlist;
mod m20261207_000150_comments;
mod m20261208_000200_event_description_source;
mod m20261208_000220_address_positions_tried;
mod m20261208_000240_peer_software;
mod m20261208_000260_reports;
mod m20261208_000261_action_logs;
mod m20261208_000262_suspensions;
mod m20261208_000280_event_series;
mod m20261208_000310_hidden_events;
mod m20261209_000100_remote_series_links;
mod m20261209_000200_conversations;
mod m20261209_000300_posts;
mod m20261209_000500_account_administration;
mod m20261210_000100_report_mail_opt_out;
mod m20261210_000200_discussions;
mod m20261211_000500_remote_actor_deletions;
mod m20261212_000300_unread_messages;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_core::Migration),
            Box::new(m20261124_000002_groups_events::Migration),
            Box::new(m20261126_000001_feed_tokens::Migration),
            Box::new(m20261126_000010_received_activities::Migration),
            Box::new(m20261126_000011_domain_blocks::Migration),
            Box::new(m20261126_000012_covering_event_indexes::Migration),
            Box::new(m20261126_000013_exact_planner_statistics::Migration),
            Box::new(m20261127_000014_remote_event_versions::Migration),
            Box::new(m20261127_000015_search_by_place_cells::Migration),
            Box::new(m20261127_000016_change_notifications::Migration),
            Box::new(m20261127_000017_job_keys_in_byte_order::Migration),
            Box::new(m20261127_000018_job_keys_as_long_as_an_inbox::Migration),
            Box::new(m20261127_000019_remote_event_tombstones::Migration),
            Box::new(m20261128_000020_search_words_in_place_index::Migration),
            Box::new(m20261206_000021_registration_tokens::Migration),
            Box::new(m20261206_000022_rate_limits::Migration),
            Box::new(m20261207_000023_media::Migration),
            Box::new(m20261207_000030_user_location::Migration),
            Box::new(m20261207_000031_event_details::Migration),
            Box::new(m20261207_000040_remote_media_sources::Migration),
            Box::new(m20261207_000120_event_search_facts::Migration),
            Box::new(m20261207_000121_participant_exports::Migration),
            Box::new(m20261207_000122_email_changes::Migration),
            Box::new(m20261207_000130_feed_versions::Migration),
            Box::new(m20261207_000140_waitlist::Migration),
            Box::new(m20261207_000150_comments::Migration),
            Box::new(m20261208_000200_event_description_source::Migration),
            Box::new(m20261208_000220_address_positions_tried::Migration),
            Box::new(m20261208_000240_peer_software::Migration),
            Box::new(m20261208_000260_reports::Migration),
            Box::new(m20261208_000261_action_logs::Migration),
            Box::new(m20261208_000262_suspensions::Migration),
            Box::new(m20261208_000280_event_series::Migration),
            Box::new(m20261208_000310_hidden_events::Migration),
            Box::new(m20261209_000100_remote_series_links::Migration),
            Box::new(m20261209_000200_conversations::Migration),
            Box::new(m20261209_000300_posts::Migration),
            Box::new(m20261209_000500_account_administration::Migration),
            Box::new(m20261210_000100_report_mail_opt_out::Migration),
            Box::new(m20261210_000200_discussions::Migration),
            Box::new(m20261211_000500_remote_actor_deletions::Migration),
            Box::new(m20261212_000300_unread_messages::Migration),
        ]
    }
}
