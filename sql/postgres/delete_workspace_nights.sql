-- delete_workspace_nights: app uninstalled — every movie night in the workspace, after their votes, participants and films.
-- Parameters: @platform TEXT, @workspace TEXT.
DELETE FROM movie_nights WHERE platform = @platform AND workspace = @workspace
