//! Accounts, actors, sessions, durable jobs and instance-generated settings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    Role,
    Locale,
    Timezone,
    ConfirmedAt,
    ConfirmationTokenHash,
    ConfirmationSentAt,
    ResetTokenHash,
    ResetSentAt,
    DefaultActorId,
    FailedLogins,
    FailedLoginWindowStartedAt,
    LastLoginAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
    ApId,
    PreferredUsername,
    Domain,
    Kind,
    Name,
    Summary,
    UserId,
    Url,
    InboxUrl,
    SharedInboxUrl,
    OutboxUrl,
    FollowersUrl,
    PublicKeyPem,
    PrivateKeyPem,
    Visibility,
    Openness,
    ManuallyApprovesFollowers,
    Suspended,
    LastRefreshedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    Kind,
    TokenHash,
    PreviousTokenHash,
    CsrfToken,
    CreatedAt,
    LastUsedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    Payload,
    State,
    RunAt,
    Attempts,
    MaxAttempts,
    LockedUntil,
    LockedBy,
    LastError,
    UniqueKey,
    CreatedAt,
    UpdatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum InstanceSettings {
    Table,
    Key,
    Value,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(string_len_uniq(Users::Email, 320))
                    .col(string_len(Users::PasswordHash, 255))
                    .col(string_len(Users::Role, 16))
                    .col(string_len(Users::Locale, 16))
                    .col(string_len_null(Users::Timezone, 64))
                    .col(timestamp_with_time_zone_null(Users::ConfirmedAt))
                    .col(string_len_null(Users::ConfirmationTokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone_null(Users::ConfirmationSentAt))
                    .col(string_len_null(Users::ResetTokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone_null(Users::ResetSentAt))
                    .col(big_integer_null(Users::DefaultActorId))
                    .col(integer(Users::FailedLogins).default(0))
                    .col(timestamp_with_time_zone_null(
                        Users::FailedLoginWindowStartedAt,
                    ))
                    .col(timestamp_with_time_zone_null(Users::LastLoginAt))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // Unconfirmed accounts are purged by age.
        manager
            .create_index(
                Index::create()
                    .name("users_unconfirmed_created")
                    .table(Users::Table)
                    .col(Users::ConfirmedAt)
                    .col(Users::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Actors::Table)
                    .col(big_pk_auto(Actors::Id))
                    .col(string_len_uniq(Actors::ApId, 2048))
                    .col(string_len(Actors::PreferredUsername, 255))
                    .col(string_len_null(Actors::Domain, 255))
                    .col(string_len(Actors::Kind, 16))
                    .col(string_len_null(Actors::Name, 255))
                    .col(text_null(Actors::Summary))
                    .col(big_integer_null(Actors::UserId))
                    .col(string_len_null(Actors::Url, 2048))
                    .col(string_len_null(Actors::InboxUrl, 2048))
                    .col(string_len_null(Actors::SharedInboxUrl, 2048))
                    .col(string_len_null(Actors::OutboxUrl, 2048))
                    .col(string_len_null(Actors::FollowersUrl, 2048))
                    .col(text_null(Actors::PublicKeyPem))
                    .col(text_null(Actors::PrivateKeyPem))
                    .col(string_len(Actors::Visibility, 16))
                    .col(string_len(Actors::Openness, 16))
                    .col(boolean(Actors::ManuallyApprovesFollowers).default(false))
                    .col(boolean(Actors::Suspended).default(false))
                    .col(timestamp_with_time_zone_null(Actors::LastRefreshedAt))
                    .col(timestamp_with_time_zone(Actors::CreatedAt))
                    .col(timestamp_with_time_zone(Actors::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Actors::Table, Actors::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("actors_user")
                    .table(Actors::Table)
                    .col(Actors::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("actors_username_domain")
                    .table(Actors::Table)
                    .col(Actors::PreferredUsername)
                    .col(Actors::Domain)
                    .to_owned(),
            )
            .await?;
        // A local username names one actor, whatever its kind (NULL domains are distinct in a
        // plain unique index, hence the partial one).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX actors_local_username ON actors (preferred_username) \
                 WHERE domain IS NULL",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(big_pk_auto(Sessions::Id))
                    .col(big_integer(Sessions::UserId))
                    .col(string_len(Sessions::Kind, 16))
                    .col(string_len_uniq(Sessions::TokenHash, 64))
                    .col(string_len_null(Sessions::PreviousTokenHash, 64))
                    .col(string_len_null(Sessions::CsrfToken, 64))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::LastUsedAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Sessions::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("sessions_user", Sessions::UserId),
            ("sessions_previous_token", Sessions::PreviousTokenHash),
            ("sessions_expires", Sessions::ExpiresAt),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Sessions::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(big_pk_auto(Jobs::Id))
                    .col(string_len(Jobs::Kind, 64))
                    .col(json(Jobs::Payload))
                    .col(string_len(Jobs::State, 16))
                    .col(timestamp_with_time_zone(Jobs::RunAt))
                    .col(integer(Jobs::Attempts).default(0))
                    .col(integer(Jobs::MaxAttempts))
                    .col(timestamp_with_time_zone_null(Jobs::LockedUntil))
                    .col(string_len_null(Jobs::LockedBy, 128))
                    .col(text_null(Jobs::LastError))
                    .col(string_len_null(Jobs::UniqueKey, 255))
                    .col(timestamp_with_time_zone(Jobs::CreatedAt))
                    .col(timestamp_with_time_zone(Jobs::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Jobs::FinishedAt))
                    .to_owned(),
            )
            .await?;
        // Claiming scans due pending jobs and expired leases.
        manager
            .create_index(
                Index::create()
                    .name("jobs_state_run_at")
                    .table(Jobs::Table)
                    .col(Jobs::State)
                    .col(Jobs::RunAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("jobs_state_locked_until")
                    .table(Jobs::Table)
                    .col(Jobs::State)
                    .col(Jobs::LockedUntil)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("jobs_kind_state")
                    .table(Jobs::Table)
                    .col(Jobs::Kind)
                    .col(Jobs::State)
                    .to_owned(),
            )
            .await?;
        // At most one pending job per key (one reminder per participant and event, one debounced
        // notice per event); finished jobs keep their key for the record.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX jobs_pending_unique_key ON jobs (unique_key) \
                 WHERE state = 'pending' AND unique_key IS NOT NULL",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(InstanceSettings::Table)
                    .col(string_len(InstanceSettings::Key, 128).primary_key())
                    .col(text(InstanceSettings::Value))
                    .col(timestamp_with_time_zone(InstanceSettings::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            InstanceSettings::Table.into_iden(),
            Jobs::Table.into_iden(),
            Sessions::Table.into_iden(),
            Actors::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
