-- select_movie_night: one night by id.
-- Parameters: @id TEXT.
SELECT * FROM movie_nights WHERE id = @id
