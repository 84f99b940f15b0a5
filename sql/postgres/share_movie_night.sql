-- share_movie_night: one night's state, share-locked so votes run side by side while a close waits for them.
-- Parameters: @id TEXT.
SELECT state FROM movie_nights WHERE id = @id FOR SHARE
