-- create_schema_migrations: the applied migrations, one row per sql/sqlite/vNNN_*.sql file.
-- Parameters: none.
CREATE TABLE IF NOT EXISTS schema_migrations (
  version TEXT PRIMARY KEY,
  applied_at INTEGER NOT NULL
)
