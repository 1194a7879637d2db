//! Groups (memberships, follows), events with their places and tags, participations, and the
//! notification settings of accounts.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    NotificationOnDay,
    NotificationBeforeEvent,
    NotificationPendingParticipation,
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
    PhysicalAddressId,
}

#[derive(DeriveIden)]
enum Addresses {
    Table,
    Id,
    Description,
    Street,
    PostalCode,
    Locality,
    Region,
    Country,
    Latitude,
    Longitude,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
    ActorId,
    GroupId,
    Role,
    InvitedById,
    ApId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Follows {
    Table,
    Id,
    FollowerId,
    TargetId,
    Approved,
    Notify,
    ApId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    Uuid,
    ApId,
    Url,
    Title,
    Description,
    BeginsOn,
    EndsOn,
    Timezone,
    Status,
    Visibility,
    JoinOptions,
    ExternalParticipationUrl,
    Draft,
    Category,
    Language,
    OnlineAddress,
    PhysicalAddressId,
    Latitude,
    Longitude,
    MaximumAttendeeCapacity,
    ShowRemainingAttendeeCapacity,
    AnonymousParticipation,
    HideNumberOfParticipants,
    OrganizerActorId,
    AttributedToId,
    Local,
    Sequence,
    SearchText,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Tags {
    Table,
    Id,
    Slug,
    Title,
}

#[derive(DeriveIden)]
enum EventTags {
    Table,
    EventId,
    TagId,
}

#[derive(DeriveIden)]
enum Participants {
    Table,
    Id,
    EventId,
    ActorId,
    Role,
    Message,
    ApId,
    Email,
    Locale,
    Timezone,
    ConfirmationTokenHash,
    CancellationTokenHash,
    CreatedAt,
    UpdatedAt,
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<DynIden>,
) -> Result<(), DbErr> {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for col in cols {
        statement.col(col);
    }
    manager.create_index(statement.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One ALTER per column: SQLite adds a single column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(boolean(Users::NotificationOnDay).default(true))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(boolean(Users::NotificationBeforeEvent).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        string_len(Users::NotificationPendingParticipation, 16).default("direct"),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Addresses::Table)
                    .col(big_pk_auto(Addresses::Id))
                    .col(string_len_null(Addresses::Description, 255))
                    .col(string_len_null(Addresses::Street, 255))
                    .col(string_len_null(Addresses::PostalCode, 32))
                    .col(string_len_null(Addresses::Locality, 255))
                    .col(string_len_null(Addresses::Region, 255))
                    .col(string_len_null(Addresses::Country, 255))
                    .col(double_null(Addresses::Latitude))
                    .col(double_null(Addresses::Longitude))
                    .col(timestamp_with_time_zone(Addresses::CreatedAt))
                    .col(timestamp_with_time_zone(Addresses::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // Place names typed in the search box are looked up among known addresses.
        index(
            manager,
            "addresses_locality",
            Addresses::Table,
            vec![Addresses::Locality.into_iden()],
        )
        .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(Actors::Table)
                    .add_column(big_integer_null(Actors::PhysicalAddressId))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Members::Table)
                    .col(big_pk_auto(Members::Id))
                    .col(big_integer(Members::ActorId))
                    .col(big_integer(Members::GroupId))
                    .col(string_len(Members::Role, 16))
                    .col(big_integer_null(Members::InvitedById))
                    .col(string_len_null(Members::ApId, 2048).unique_key())
                    .col(timestamp_with_time_zone(Members::CreatedAt))
                    .col(timestamp_with_time_zone(Members::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Members::Table, Members::ActorId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Members::Table, Members::GroupId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .index(
                        Index::create()
                            .name("members_actor_group")
                            .col(Members::ActorId)
                            .col(Members::GroupId)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "members_group_role",
            Members::Table,
            vec![Members::GroupId.into_iden(), Members::Role.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Follows::Table)
                    .col(big_pk_auto(Follows::Id))
                    .col(big_integer(Follows::FollowerId))
                    .col(big_integer(Follows::TargetId))
                    .col(boolean(Follows::Approved))
                    .col(boolean(Follows::Notify).default(false))
                    .col(string_len_null(Follows::ApId, 2048).unique_key())
                    .col(timestamp_with_time_zone(Follows::CreatedAt))
                    .col(timestamp_with_time_zone(Follows::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Follows::Table, Follows::FollowerId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Follows::Table, Follows::TargetId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .index(
                        Index::create()
                            .name("follows_follower_target")
                            .col(Follows::FollowerId)
                            .col(Follows::TargetId)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "follows_target_approved",
            Follows::Table,
            vec![Follows::TargetId.into_iden(), Follows::Approved.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(big_pk_auto(Events::Id))
                    .col(string_len_uniq(Events::Uuid, 36))
                    .col(string_len_uniq(Events::ApId, 2048))
                    .col(string_len(Events::Url, 2048))
                    .col(string_len(Events::Title, 1024))
                    .col(text(Events::Description))
                    .col(timestamp_with_time_zone(Events::BeginsOn))
                    .col(timestamp_with_time_zone_null(Events::EndsOn))
                    .col(string_len(Events::Timezone, 64))
                    .col(string_len(Events::Status, 16))
                    .col(string_len(Events::Visibility, 16))
                    .col(string_len(Events::JoinOptions, 16))
                    .col(string_len_null(Events::ExternalParticipationUrl, 2048))
                    .col(boolean(Events::Draft).default(false))
                    .col(string_len_null(Events::Category, 64))
                    .col(string_len_null(Events::Language, 16))
                    .col(string_len_null(Events::OnlineAddress, 2048))
                    .col(big_integer_null(Events::PhysicalAddressId))
                    .col(double_null(Events::Latitude))
                    .col(double_null(Events::Longitude))
                    .col(integer_null(Events::MaximumAttendeeCapacity))
                    .col(boolean(Events::ShowRemainingAttendeeCapacity).default(false))
                    .col(boolean(Events::AnonymousParticipation).default(false))
                    .col(boolean(Events::HideNumberOfParticipants).default(false))
                    .col(big_integer(Events::OrganizerActorId))
                    .col(big_integer_null(Events::AttributedToId))
                    .col(boolean(Events::Local).default(true))
                    .col(integer(Events::Sequence).default(0))
                    .col(text(Events::SearchText))
                    .col(timestamp_with_time_zone_null(Events::PublishedAt))
                    .col(timestamp_with_time_zone(Events::CreatedAt))
                    .col(timestamp_with_time_zone(Events::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Events::Table, Events::OrganizerActorId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Events::Table, Events::AttributedToId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Events::Table, Events::PhysicalAddressId)
                            .to(Addresses::Table, Addresses::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // Upcoming public events (home page, instance feed, default search).
        index(
            manager,
            "events_listing",
            Events::Table,
            vec![
                Events::Visibility.into_iden(),
                Events::Draft.into_iden(),
                Events::BeginsOn.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "events_ends_on",
            Events::Table,
            vec![Events::EndsOn.into_iden()],
        )
        .await?;
        index(
            manager,
            "events_organizer_begins",
            Events::Table,
            vec![
                Events::OrganizerActorId.into_iden(),
                Events::BeginsOn.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "events_group_begins",
            Events::Table,
            vec![
                Events::AttributedToId.into_iden(),
                Events::BeginsOn.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "events_position",
            Events::Table,
            vec![Events::Latitude.into_iden(), Events::Longitude.into_iden()],
        )
        .await?;
        index(
            manager,
            "events_category_begins",
            Events::Table,
            vec![Events::Category.into_iden(), Events::BeginsOn.into_iden()],
        )
        .await?;
        index(
            manager,
            "events_updated",
            Events::Table,
            vec![Events::UpdatedAt.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Tags::Table)
                    .col(big_pk_auto(Tags::Id))
                    .col(string_len_uniq(Tags::Slug, 64))
                    .col(string_len(Tags::Title, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EventTags::Table)
                    .col(big_integer(EventTags::EventId))
                    .col(big_integer(EventTags::TagId))
                    .primary_key(
                        Index::create()
                            .col(EventTags::EventId)
                            .col(EventTags::TagId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EventTags::Table, EventTags::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EventTags::Table, EventTags::TagId)
                            .to(Tags::Table, Tags::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "event_tags_tag",
            EventTags::Table,
            vec![EventTags::TagId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Participants::Table)
                    .col(big_pk_auto(Participants::Id))
                    .col(big_integer(Participants::EventId))
                    .col(big_integer(Participants::ActorId))
                    .col(string_len(Participants::Role, 16))
                    .col(text_null(Participants::Message))
                    .col(string_len_null(Participants::ApId, 2048).unique_key())
                    .col(string_len_null(Participants::Email, 320))
                    .col(string_len_null(Participants::Locale, 16))
                    .col(string_len_null(Participants::Timezone, 64))
                    .col(string_len_null(Participants::ConfirmationTokenHash, 64).unique_key())
                    .col(string_len_null(Participants::CancellationTokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone(Participants::CreatedAt))
                    .col(timestamp_with_time_zone(Participants::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Participants::Table, Participants::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Participants::Table, Participants::ActorId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "participants_event_role",
            Participants::Table,
            vec![
                Participants::EventId.into_iden(),
                Participants::Role.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "participants_actor",
            Participants::Table,
            vec![Participants::ActorId.into_iden()],
        )
        .await?;
        // One participation per actor and event; anonymous participants (all acting as the
        // anonymous actor) are told apart by their email.
        let conn = manager.get_connection();
        conn.execute_unprepared(
            "CREATE UNIQUE INDEX participants_event_actor ON participants (event_id, actor_id) \
             WHERE email IS NULL",
        )
        .await?;
        conn.execute_unprepared(
            "CREATE UNIQUE INDEX participants_event_email ON participants (event_id, email) \
             WHERE email IS NOT NULL",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Participants::Table.into_iden(),
            EventTags::Table.into_iden(),
            Tags::Table.into_iden(),
            Events::Table.into_iden(),
            Follows::Table.into_iden(),
            Members::Table.into_iden(),
            Addresses::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Actors::Table)
                    .drop_column(Actors::PhysicalAddressId)
                    .to_owned(),
            )
            .await?;
        for column in [
            Users::NotificationOnDay.into_iden(),
            Users::NotificationBeforeEvent.into_iden(),
            Users::NotificationPendingParticipation.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
