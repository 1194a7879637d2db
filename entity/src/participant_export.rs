use sea_orm::entity::prelude::*;

/// A list of an event's participants exported by one of its organizers, served at
/// `/exports/{format}/{token}.{format}` to whoever holds the token until `expires_at`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "participant_exports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// What requests are matched on; the token itself is only handed to its maker.
    #[sea_orm(unique)]
    pub token_hash: String,
    pub event_id: i64,
    /// Who asked for it.
    pub user_id: i64,
    /// `csv`.
    pub format: String,
    /// The name the download is saved under.
    pub file_name: String,
    pub content: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
