-- upsert_night_schedule: a channel's weekly movie night; setting it again replaces it.
-- Parameters: @id TEXT, @platform TEXT, @workspace TEXT, @channel TEXT, @weekday INTEGER, @local_time TEXT, @time_zone TEXT, @set_by TEXT, @now INTEGER (epoch ms).
INSERT INTO movie_night_schedules (id, platform, workspace, channel, weekday, local_time, time_zone, set_by, created_at)
VALUES (@id, @platform, @workspace, @channel, @weekday, @local_time, @time_zone, @set_by, @now)
ON CONFLICT (id) DO UPDATE SET weekday = excluded.weekday, local_time = excluded.local_time,
  time_zone = excluded.time_zone, set_by = excluded.set_by, created_at = excluded.created_at
