-- select_night_candidate: whether a film is one of the night's candidates.
-- Parameters: @night_id TEXT, @movie_id INTEGER.
SELECT movie_id FROM movie_night_candidates WHERE night_id = @night_id AND movie_id = @movie_id
