-- create_movies_table: movies.csv as MovieLens ships it ("Matrix, The (1999)").
-- Parameters: none.
-- Placeholders: {{dataset}}.
CREATE TABLE IF NOT EXISTS {{dataset}}.movies (
  movieId INT64 NOT NULL,
  title STRING NOT NULL,
  genres STRING
)
