-- lock_movie_night: one night, locked until the transaction ends (a close waits for votes in flight).
-- Parameters: @id TEXT.
SELECT * FROM movie_nights WHERE id = @id FOR UPDATE
