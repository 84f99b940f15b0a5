-- delete_night_schedule: stops a channel's weekly movie night.
-- Parameters: @id TEXT.
DELETE FROM movie_night_schedules WHERE id = @id
