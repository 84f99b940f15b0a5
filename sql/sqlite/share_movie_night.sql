-- share_movie_night: one night's state, read inside the vote transaction (BEGIN IMMEDIATE holds the write lock).
-- Parameters: @id TEXT.
SELECT state FROM movie_nights WHERE id = @id
