-- v015_create_movie_night_schedules: a weekly movie night per channel (id = platform:workspace:channel).
-- Parameters: none.
CREATE TABLE movie_night_schedules (
  id TEXT PRIMARY KEY,
  platform TEXT NOT NULL,
  workspace TEXT NOT NULL,
  channel TEXT NOT NULL,
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  local_time TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  set_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
)
