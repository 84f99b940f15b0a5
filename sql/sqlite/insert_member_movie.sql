-- insert_member_movie: turns one control on; already on keeps its first date (idempotent).
-- Parameters: @member_id INTEGER, @movie_id INTEGER, @kind TEXT, @now INTEGER (epoch ms).
INSERT INTO member_movies (member_id, movie_id, kind, created_at)
VALUES (@member_id, @movie_id, @kind, @now)
ON CONFLICT (member_id, movie_id, kind) DO NOTHING
