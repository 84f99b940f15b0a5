-- delete_member_movie: turns one control off.
-- Parameters: @member_id BIGINT, @movie_id INTEGER, @kind TEXT.
DELETE FROM member_movies WHERE member_id = @member_id AND movie_id = @movie_id AND kind = @kind
