-- insert_migration: records one applied migration.
-- Parameters: @version TEXT (file name without .sql), @applied_at BIGINT (epoch ms).
INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @applied_at)
