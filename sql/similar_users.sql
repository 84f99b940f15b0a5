-- similar_users: the people who rated the picked movies highly (rating_im >= 0.8), ranked by how
-- many of the picks they share; ties go to the lower userId so the same picks give the same users.
-- Parameters: @liked ARRAY<INT64> (1–25 movieIds), @k INT64 (how many users).
-- Placeholders: {{dataset}}.
SELECT
  userId,
  COUNT(*) AS shared_count,
  ARRAY_AGG(movieId ORDER BY movieId) AS shared
FROM {{dataset}}.ratings
WHERE rating_im >= 0.8
  AND movieId IN UNNEST(@liked)
GROUP BY userId
ORDER BY shared_count DESC, userId
LIMIT @k
