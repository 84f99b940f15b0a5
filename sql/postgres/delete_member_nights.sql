-- delete_member_nights: forget me — the movie nights the member started (their starter is the member), after their rows.
-- Parameters: @platform TEXT, @workspace TEXT, @user_id TEXT.
DELETE FROM movie_nights WHERE platform = @platform AND workspace = @workspace AND starter = @user_id
