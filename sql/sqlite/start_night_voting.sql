-- start_night_voting: open → voting, with the vote's deadline.
-- Parameters: @id TEXT, @vote_until INTEGER, @now INTEGER (epoch ms).
UPDATE movie_nights SET state = 'voting', vote_until = @vote_until, updated_at = @now WHERE id = @id AND state = 'open'
