-- delete_workspace_night_schedules: app uninstalled — the workspace's weekly movie nights.
-- Parameters: @platform TEXT, @workspace TEXT.
DELETE FROM movie_night_schedules WHERE platform = @platform AND workspace = @workspace
