-- select_migrations: the versions already applied.
-- Parameters: none.
SELECT version FROM schema_migrations ORDER BY version
