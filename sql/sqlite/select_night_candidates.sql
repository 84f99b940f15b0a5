-- select_night_candidates: the poll's films, best group score first.
-- Parameters: @night_id TEXT.
SELECT movie_id, rank, score, reason FROM movie_night_candidates WHERE night_id = @night_id ORDER BY rank
