-- delete_workspace_night_participants: app uninstalled — the participants of every movie night in the workspace.
-- Parameters: @platform TEXT, @workspace TEXT.
DELETE FROM movie_night_participants WHERE night_id IN (SELECT id FROM movie_nights WHERE platform = @platform AND workspace = @workspace)
