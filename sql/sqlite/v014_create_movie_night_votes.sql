-- v014_create_movie_night_votes: one vote per member per night (changing it replaces the row).
-- Parameters: none.
CREATE TABLE movie_night_votes (
  night_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  movie_id INTEGER NOT NULL,
  voted_at INTEGER NOT NULL,
  PRIMARY KEY (night_id, user_id),
  FOREIGN KEY (night_id, movie_id) REFERENCES movie_night_candidates (night_id, movie_id)
)
