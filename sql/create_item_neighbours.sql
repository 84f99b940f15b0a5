-- create_item_neighbours: the default strategy's item-neighbour table (core/recommend/item-neighbours.ts):
-- for every movie the {{item_k}} movies its likers liked most, by the popularity-normalised cosine
--   sim(i → j) = likedBoth / (liked(i)^(1 − {{item_pop}}) · liked(j)^{{item_pop}} + {{item_shrink}})
-- over pairs liked together by at least {{item_min_shared}} users; a user with more than
-- {{item_max_likes}} likes counts with an evenly strided sample of them (rows r = floor(s·n/m)), as
-- in TypeScript. Ties go to the lower neighbourId. Rebuilt by bigquery:setup after load_ratings.
-- Parameters: none (BigQuery DDL takes no query parameters).
-- Placeholders: {{dataset}} (identifier); {{item_k}}, {{item_pop}}, {{item_shrink}},
-- {{item_min_shared}}, {{item_max_likes}} (numbers from the code's defaults).
CREATE OR REPLACE TABLE {{dataset}}.item_neighbours AS
WITH liked AS (
  SELECT
    userId,
    movieId,
    ROW_NUMBER() OVER (PARTITION BY userId ORDER BY movieId) - 1 AS r,
    COUNT(*) OVER (PARTITION BY userId) AS n
  FROM {{dataset}}.ratings
  WHERE rating_im >= 0.8
),
sampled AS (
  SELECT userId, movieId
  FROM liked
  WHERE n <= {{item_max_likes}}
    OR DIV(DIV(r * {{item_max_likes}} + n - 1, n) * n, {{item_max_likes}}) = r
),
likes AS (
  SELECT movieId, COUNT(*) AS liked_count FROM sampled GROUP BY movieId
),
pairs AS (
  SELECT a.movieId, b.movieId AS neighbourId, COUNT(*) AS shared
  FROM sampled AS a
  JOIN sampled AS b ON a.userId = b.userId AND a.movieId != b.movieId
  GROUP BY a.movieId, b.movieId
  HAVING COUNT(*) >= {{item_min_shared}}
),
scored AS (
  SELECT
    p.movieId,
    p.neighbourId,
    p.shared / (
      POW(li.liked_count, 1 - {{item_pop}}) * POW(lj.liked_count, {{item_pop}}) + {{item_shrink}}
    ) AS sim
  FROM pairs AS p
  JOIN likes AS li ON li.movieId = p.movieId
  JOIN likes AS lj ON lj.movieId = p.neighbourId
)
SELECT movieId, neighbourId, sim
FROM scored
QUALIFY ROW_NUMBER() OVER (PARTITION BY movieId ORDER BY sim DESC, neighbourId) <= {{item_k}}
