-- select_night_schedule: one schedule by id.
-- Parameters: @id TEXT.
SELECT * FROM movie_night_schedules WHERE id = @id
