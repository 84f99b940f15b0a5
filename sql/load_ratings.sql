-- load_ratings: the ratings table every query reads, with the implicit rating rating_im = rating / 5
-- (0.1–1.0), so 4 stars and up (rating_im >= 0.8) counts as "liked". Rebuilt from ratings_raw.
-- Parameters: none.
-- Placeholders: {{dataset}}.
CREATE OR REPLACE TABLE {{dataset}}.ratings
CLUSTER BY movieId
AS
SELECT
  userId,
  movieId,
  rating / 5 AS rating_im,
  TIMESTAMP_SECONDS(timestamp) AS rated_at
FROM {{dataset}}.ratings_raw
