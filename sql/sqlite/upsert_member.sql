-- upsert_member: the member's id, creating the row on first use.
-- Parameters: @platform TEXT, @workspace TEXT, @user_id TEXT, @now INTEGER (epoch ms).
INSERT INTO members (platform, workspace, user_id, created_at)
VALUES (@platform, @workspace, @user_id, @now)
ON CONFLICT (platform, workspace, user_id) DO UPDATE SET platform = excluded.platform
RETURNING id
