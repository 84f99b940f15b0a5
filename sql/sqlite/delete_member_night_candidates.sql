-- delete_member_night_candidates: forget me — the films of the movie nights the member started (after their votes).
-- Parameters: @platform TEXT, @workspace TEXT, @user_id TEXT.
DELETE FROM movie_night_candidates WHERE night_id IN (SELECT id FROM movie_nights WHERE platform = @platform AND workspace = @workspace AND starter = @user_id)
