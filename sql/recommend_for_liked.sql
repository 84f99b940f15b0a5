-- recommend_for_liked: the model's predicted confidence for every movie, averaged over the similar
-- users (the reference method), the picks excluded. `because` lists up to 2 picks, weighted by the
-- confidence of the users who share them, so a card can say "because you liked Heat".
-- Parameters: @liked ARRAY<INT64>, @k INT64, @limit INT64.
-- Placeholders: {{dataset}}, {{model}}; {{> similar_users}} inlines similar_users.sql.
WITH similar_users AS (
  {{> similar_users}}
),
scored AS (
  SELECT
    rec.movieId,
    rec.userId,
    rec.predicted_rating_im_confidence AS confidence,
    similar_users.shared
  FROM ML.RECOMMEND(MODEL {{dataset}}.{{model}}, (SELECT userId FROM similar_users)) AS rec
  JOIN similar_users USING (userId)
  WHERE rec.movieId NOT IN UNNEST(@liked)
),
ranked AS (
  SELECT movieId, SUM(confidence) / (SELECT COUNT(*) FROM similar_users) AS score
  FROM scored
  GROUP BY movieId
  ORDER BY score DESC, movieId
  LIMIT @limit
),
reasons AS (
  SELECT movieId, ARRAY_AGG(liked_id ORDER BY weight DESC, liked_id LIMIT 2) AS because
  FROM (
    SELECT scored.movieId, liked_id, SUM(scored.confidence) AS weight
    FROM scored
    JOIN ranked USING (movieId)
    CROSS JOIN UNNEST(scored.shared) AS liked_id
    GROUP BY scored.movieId, liked_id
  )
  GROUP BY movieId
)
SELECT ranked.movieId, ranked.score, IFNULL(reasons.because, []) AS because
FROM ranked
LEFT JOIN reasons USING (movieId)
ORDER BY ranked.score DESC, ranked.movieId
