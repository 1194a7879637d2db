//! SeaORM entities for Convive: one module per table, with the enums stored in them.
//!
//! Nothing here holds logic beyond small questions an enum answers about itself: rules live in
//! `backend`'s services and policies. The schema itself is defined by `migration`; these
//! structs mirror it.

pub mod action_log;
pub mod actor;
pub mod address;
pub mod comment;
pub mod conversation;
pub mod conversation_message;
pub mod conversation_participant;
pub mod discussion;
pub mod discussion_comment;
pub mod discussion_mail_stop;
pub mod domain_block;
pub mod event;
pub mod event_series;
pub mod event_tag;
pub mod feed_token;
pub mod feed_version;
pub mod follow;
pub mod instance_setting;
pub mod invitation;
pub mod job;
pub mod media;
pub mod member;
pub mod participant;
pub mod participant_export;
pub mod peer_software;
pub mod post;
pub mod post_tag;
pub mod rate_limit;
pub mod received_activity;
pub mod remote_actor_deletion;
pub mod remote_event_tombstone;
pub mod report;
pub mod report_comment;
pub mod report_event;
pub mod report_note;
pub mod session;
pub mod suspension;
pub mod tag;
pub mod user;

pub use actor::{ActorKind, ActorVisibility, Openness};
pub use event::{EventCategory, EventStatus, EventVisibility, JoinOptions};
pub use job::JobState;
pub use media::MediaPurpose;
pub use member::MemberRole;
pub use participant::ParticipantRole;
pub use post::PostVisibility;
pub use report::ReportStatus;
pub use session::SessionKind;
pub use user::UserRole;
