-- delete_member_night_votes: forget me — the member's votes in the workspace's movie nights, and every vote of the nights they started.
-- Parameters: @platform TEXT, @workspace TEXT, @user_id TEXT.
DELETE FROM movie_night_votes
WHERE night_id IN (SELECT id FROM movie_nights WHERE platform = @platform AND workspace = @workspace)
  AND (user_id = @user_id OR night_id IN (SELECT id FROM movie_nights WHERE platform = @platform AND workspace = @workspace AND starter = @user_id))
