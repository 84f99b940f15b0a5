-- recommend_by_item_neighbours: the item-neighbour part of the default strategy, per request: each
-- movie's summed similarity to the picks (item_neighbours.sql), picks excluded, best first (ties:
-- lower movieId), with the pick that contributes most as `because`.
-- Parameters: @liked ARRAY<INT64> (1–25 movieIds), @limit INT64.
-- Placeholders: {{dataset}}.
SELECT
  neighbourId AS movieId,
  SUM(sim) AS score,
  ARRAY_AGG(movieId ORDER BY sim DESC, movieId LIMIT 1) AS because
FROM {{dataset}}.item_neighbours
WHERE movieId IN UNNEST(@liked)
  AND neighbourId NOT IN UNNEST(@liked)
GROUP BY neighbourId
ORDER BY score DESC, movieId
LIMIT @limit
