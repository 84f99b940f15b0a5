-- set_night_join_message: the platform's reference to the join post.
-- Parameters: @id TEXT, @ref TEXT.
UPDATE movie_nights SET join_message = @ref WHERE id = @id
