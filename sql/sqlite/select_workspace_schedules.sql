-- select_workspace_schedules: a workspace's weekly movie nights.
-- Parameters: @platform TEXT, @workspace TEXT.
SELECT * FROM movie_night_schedules WHERE platform = @platform AND workspace = @workspace ORDER BY channel
