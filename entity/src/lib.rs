//! SeaORM entities for Convive: one module per table, with the enums stored in them.
//!
//! Nothing here holds logic: rules live in `backend`'s services and policies. The schema itself
//! is defined by `migration`; these structs mirror it.

pub mod actor;
pub mod instance_setting;
pub mod job;
pub mod session;
pub mod user;

pub use actor::{ActorKind, ActorVisibility, Openness};
pub use job::JobState;
pub use session::SessionKind;
pub use user::UserRole;
