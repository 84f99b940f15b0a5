-- create_schema_migrations: the applied migrations, one row per sql/postgres/vNNN_*.sql file.
-- Parameters: none.
CREATE TABLE IF NOT EXISTS schema_migrations (
  version TEXT PRIMARY KEY,
  applied_at BIGINT NOT NULL
)
