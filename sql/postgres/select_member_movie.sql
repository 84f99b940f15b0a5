-- select_member_movie: the controls that are on for one movie of one member.
-- Parameters: @member_id BIGINT, @movie_id INTEGER.
SELECT kind FROM member_movies WHERE member_id = @member_id AND movie_id = @movie_id
