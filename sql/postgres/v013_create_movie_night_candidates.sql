-- v013_create_movie_night_candidates: the films of a night's poll, in the group's order.
-- Parameters: none.
CREATE TABLE movie_night_candidates (
  night_id TEXT NOT NULL REFERENCES movie_nights (id),
  movie_id INTEGER NOT NULL,
  rank INTEGER NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (night_id, movie_id)
)
