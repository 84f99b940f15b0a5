-- v016_create_movie_night_claims: one row per close or scheduled occurrence; whoever inserts it runs it.
-- Parameters: none.
CREATE TABLE movie_night_claims (
  claim_key TEXT PRIMARY KEY,
  claimed_at BIGINT NOT NULL
)
