-- popular_movies: cold start. Movies people liked on average (AVG(rating_im) >= @min_mean, 0.8 = four
-- stars) with at least @min_ratings ratings, ranked by a damped mean: @damping pseudo-ratings at the
-- global mean are added to each movie, (SUM + damping * mean) / (n + damping), so a well-known
-- favourite with hundreds of ratings leads an obscure film with exactly ten perfect ones. The same
-- rule, slack and tie-break as the embedded list (core/recommend/popular.ts): keep them in step.
-- Parameters: @limit INT64, @min_ratings INT64 (10), @min_mean FLOAT64 (0.8), @damping FLOAT64 (25).
-- Placeholders: {{dataset}}.
WITH stats AS (
  SELECT movieId, COUNT(*) AS rating_count, AVG(rating_im) AS mean_rating, SUM(rating_im) AS total
  FROM {{dataset}}.ratings
  GROUP BY movieId
),
prior AS (
  SELECT AVG(rating_im) AS global_mean
  FROM {{dataset}}.ratings
)
SELECT
  stats.movieId,
  (stats.total + @damping * prior.global_mean) / (stats.rating_count + @damping) AS score,
  stats.rating_count,
  stats.mean_rating
FROM stats
CROSS JOIN prior
WHERE stats.rating_count >= @min_ratings
  -- A mean of exactly 0.8 can come out as 0.79999999…; the slack keeps it, as the embedded list does.
  AND stats.mean_rating >= @min_mean - 1e-6
ORDER BY score DESC, stats.rating_count DESC, stats.movieId
LIMIT @limit
