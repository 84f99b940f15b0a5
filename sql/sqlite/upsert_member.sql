-- upsert_member: the member's id, creating the row on first use; every write is a visit (seen_at).
-- Parameters: @platform TEXT, @workspace TEXT, @user_id TEXT, @now INTEGER (epoch ms).
INSERT INTO members (platform, workspace, user_id, created_at, seen_at)
VALUES (@platform, @workspace, @user_id, @now, @now)
ON CONFLICT (platform, workspace, user_id) DO UPDATE SET seen_at = excluded.seen_at
RETURNING id
