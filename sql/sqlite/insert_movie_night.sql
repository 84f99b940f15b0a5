-- insert_movie_night: a new night, open for joining.
-- Parameters: @id TEXT, @platform TEXT, @workspace TEXT, @channel TEXT, @starter TEXT, @schedule_id TEXT (or null), @join_until INTEGER, @now INTEGER (epoch ms).
INSERT INTO movie_nights (id, platform, workspace, channel, starter, state, schedule_id, join_until, created_at, updated_at)
VALUES (@id, @platform, @workspace, @channel, @starter, 'open', @schedule_id, @join_until, @now, @now)
