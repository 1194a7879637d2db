//! PostgreSQL tells every listening node when a table pages may show changed.
//!
//! Nodes keep pages they built while nothing changed (`backend::changes`). A statement-level
//! trigger on each table but the job queue notifies `convive_changes` at commit; notifications
//! are sent only when the transaction commits, and PostgreSQL folds identical ones within a
//! transaction, so a change costs one notification however many rows it touched. Channels are
//! per database: the notification names the schema, so that instances sharing a database in
//! schemas of their own hear only their own changes. Tables added
//! later get the trigger in their own migration (a test in `backend::changes` checks that
//! every table has it). SQLite has no notifications: its nodes watch the file themselves.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE OR REPLACE FUNCTION convive_changed() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 PERFORM pg_notify('convive_changes', TG_TABLE_SCHEMA);
                 RETURN NULL;
             END $$",
        )
        .await?;
        db.execute_unprepared(
            "DO $$
             DECLARE name text;
             BEGIN
                 FOR name IN SELECT tablename FROM pg_tables
                     WHERE schemaname = current_schema()
                       AND tablename NOT IN ('jobs', 'seaql_migrations')
                 LOOP
                     EXECUTE format(
                         'CREATE TRIGGER convive_changed
                              AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                              FOR EACH STATEMENT EXECUTE FUNCTION convive_changed()',
                         name);
                 END LOOP;
             END $$",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        // Dropping the function with CASCADE drops every trigger that calls it.
        manager
            .get_connection()
            .execute_unprepared("DROP FUNCTION IF EXISTS convive_changed() CASCADE")
            .await?;
        Ok(())
    }
}
