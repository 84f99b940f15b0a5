-- v012_create_movie_night_participants: who takes part in a night, once each (named or joined).
-- Parameters: none.
CREATE TABLE movie_night_participants (
  night_id TEXT NOT NULL REFERENCES movie_nights (id),
  user_id TEXT NOT NULL,
  how TEXT NOT NULL CHECK (how IN ('named', 'joined')),
  joined_at BIGINT NOT NULL,
  PRIMARY KEY (night_id, user_id)
)
