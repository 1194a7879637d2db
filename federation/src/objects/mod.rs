//! Our rows as ActivityPub objects and back.

pub mod actor;
pub mod comment;
pub mod discussion_comment;
pub mod event;
pub mod image;
pub mod mention;
pub mod post;
pub mod private_message;
