-- create_member_ratings_table: staging table for the members' likes that bigquery:sync-members uploads
-- (WRITE_TRUNCATE: each sync replaces it whole), in the ratings table's convention.
-- Parameters: none.
-- Placeholders: {{dataset}}.
CREATE TABLE IF NOT EXISTS {{dataset}}.member_ratings (
  userId INT64 NOT NULL,
  movieId INT64 NOT NULL,
  rating_im FLOAT64 NOT NULL
)
