-- lock_movie_night: one night, locked until the transaction ends (BEGIN IMMEDIATE already holds the write lock).
-- Parameters: @id TEXT.
SELECT * FROM movie_nights WHERE id = @id
