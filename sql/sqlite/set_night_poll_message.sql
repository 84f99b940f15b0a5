-- set_night_poll_message: the platform's reference to the poll.
-- Parameters: @id TEXT, @ref TEXT.
UPDATE movie_nights SET poll_message = @ref WHERE id = @id
