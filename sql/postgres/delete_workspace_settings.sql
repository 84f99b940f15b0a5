-- delete_workspace_settings: every settings row of a workspace's members (app uninstalled).
-- Parameters: @platform TEXT, @workspace TEXT.
DELETE FROM member_settings
WHERE member_id IN (SELECT id FROM members WHERE platform = @platform AND workspace = @workspace)
