-- v010_create_movie_nights: one row per movie night (open → voting → closed, or cancelled).
-- Parameters: none.
CREATE TABLE movie_nights (
  id TEXT PRIMARY KEY,
  platform TEXT NOT NULL,
  workspace TEXT NOT NULL,
  channel TEXT NOT NULL,
  starter TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'voting', 'closed', 'cancelled')),
  schedule_id TEXT,
  join_until INTEGER NOT NULL,
  vote_until INTEGER,
  winner INTEGER,
  join_message TEXT,
  poll_message TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
)
