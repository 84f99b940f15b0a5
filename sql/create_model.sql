-- create_model: implicit-feedback matrix factorization (WALS) on rating_im. IF NOT EXISTS keeps
-- setup idempotent: training costs slot time, so a re-run never retrains unless asked (drop_model).
-- Parameters: none (BigQuery DDL takes no query parameters).
-- Placeholders: {{dataset}}, {{model}} (identifiers); {{num_factors}}, {{wals_alpha}}, {{l2_reg}},
-- {{max_iterations}} (numbers from validated config).
CREATE MODEL IF NOT EXISTS {{dataset}}.{{model}}
OPTIONS (
  model_type = 'matrix_factorization',
  feedback_type = 'implicit',
  user_col = 'userId',
  item_col = 'movieId',
  rating_col = 'rating_im',
  num_factors = {{num_factors}},
  wals_alpha = {{wals_alpha}},
  l2_reg = {{l2_reg}},
  max_iterations = {{max_iterations}}
)
AS
SELECT userId, movieId, rating_im
FROM {{dataset}}.ratings
