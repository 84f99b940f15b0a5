-- select_night_tally: votes per film, counted from the rows.
-- Parameters: @night_id TEXT.
SELECT movie_id, COUNT(*) AS votes FROM movie_night_votes WHERE night_id = @night_id GROUP BY movie_id
