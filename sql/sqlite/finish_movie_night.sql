-- finish_movie_night: voting → closed with the winner.
-- Parameters: @id TEXT, @winner INTEGER (or null), @now INTEGER (epoch ms).
UPDATE movie_nights SET state = 'closed', winner = @winner, updated_at = @now WHERE id = @id AND state = 'voting'
