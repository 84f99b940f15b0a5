-- lock_migrations: one process migrates at a time (held until the transaction ends).
-- Parameters: @key BIGINT (the advisory lock's number).
SELECT pg_advisory_xact_lock(@key)
