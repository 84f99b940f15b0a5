-- delete_workspace_movies: every movie row of a workspace's members (app uninstalled).
-- Parameters: @platform TEXT, @workspace TEXT.
DELETE FROM member_movies
WHERE member_id IN (SELECT id FROM members WHERE platform = @platform AND workspace = @workspace)
