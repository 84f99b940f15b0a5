-- create_links_table: links.csv; imdbId keeps its leading zeros, so it is a string.
-- Parameters: none.
-- Placeholders: {{dataset}}.
CREATE TABLE IF NOT EXISTS {{dataset}}.links (
  movieId INT64 NOT NULL,
  imdbId STRING,
  tmdbId INT64
)
