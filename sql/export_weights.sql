-- export_weights: the trained factors, one row per user and per movie (processed_input is 'userId'
-- or 'movieId', feature the id as a string, factor_weights ARRAY<STRUCT<factor INT64, weight FLOAT64>>),
-- for serving the model in-process (BIGQUERY_SERVE=local-weights).
-- Parameters: none.
-- Placeholders: {{dataset}}, {{model}}.
SELECT processed_input, feature, factor_weights, intercept
FROM ML.WEIGHTS(MODEL {{dataset}}.{{model}})
