-- delete_member_movies: every movie row of one member (forget me).
-- Parameters: @member_id BIGINT.
DELETE FROM member_movies WHERE member_id = @member_id
