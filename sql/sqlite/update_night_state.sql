-- update_night_state: moves a night from one state to another; no row changes when it was not in @from.
-- Parameters: @id TEXT, @from TEXT, @to TEXT, @now INTEGER (epoch ms).
UPDATE movie_nights SET state = @to, updated_at = @now WHERE id = @id AND state = @from
