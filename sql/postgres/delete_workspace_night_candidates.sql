-- delete_workspace_night_candidates: app uninstalled — the candidates of every movie night in the workspace.
-- Parameters: @platform TEXT, @workspace TEXT.
DELETE FROM movie_night_candidates WHERE night_id IN (SELECT id FROM movie_nights WHERE platform = @platform AND workspace = @workspace)
