-- delete_workspace_members: a workspace's member rows (app uninstalled), after their movies and settings.
-- Parameters: @platform TEXT, @workspace TEXT.
DELETE FROM members WHERE platform = @platform AND workspace = @workspace
