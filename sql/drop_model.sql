-- drop_model: lets `bigquery:setup --retrain` replace a trained model.
-- Parameters: none.
-- Placeholders: {{dataset}}, {{model}}.
DROP MODEL IF EXISTS {{dataset}}.{{model}}
