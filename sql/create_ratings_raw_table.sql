-- create_ratings_raw_table: staging table for ratings.csv exactly as shipped (0.5–5 stars).
-- Parameters: none.
-- Placeholders: {{dataset}}.
CREATE TABLE IF NOT EXISTS {{dataset}}.ratings_raw (
  userId INT64 NOT NULL,
  movieId INT64 NOT NULL,
  rating FLOAT64 NOT NULL,
  timestamp INT64
)
