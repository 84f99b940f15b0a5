-- create_dataset: the dataset that holds the MovieLens tables and the model.
-- Parameters: none. The dataset is created in the job's location (BIGQUERY_LOCATION).
-- Placeholders: {{dataset}}.
CREATE SCHEMA IF NOT EXISTS {{dataset}}
OPTIONS (description = 'moviebot: MovieLens ratings, movies, links and the recommendation model')
