-- v011_create_movie_nights_state_index: a restart reads the nights still open or voting.
-- Parameters: none.
CREATE INDEX movie_nights_state ON movie_nights (state)
