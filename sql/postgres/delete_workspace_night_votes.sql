-- delete_workspace_night_votes: app uninstalled — the votes of every movie night in the workspace.
-- Parameters: @platform TEXT, @workspace TEXT.
DELETE FROM movie_night_votes WHERE night_id IN (SELECT id FROM movie_nights WHERE platform = @platform AND workspace = @workspace)
