-- insert_night_candidate: one film of the poll.
-- Parameters: @night_id TEXT, @movie_id INTEGER, @rank INTEGER, @score DOUBLE PRECISION, @reason TEXT.
INSERT INTO movie_night_candidates (night_id, movie_id, rank, score, reason)
VALUES (@night_id, @movie_id, @rank, @score, @reason)
