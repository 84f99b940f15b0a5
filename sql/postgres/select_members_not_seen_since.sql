-- select_members_not_seen_since: ids and keys of one platform's members not seen since a moment (idle web members), oldest first; rows locked so a click racing the sweep waits, then makes a new member.
-- Parameters: @platform TEXT, @before BIGINT (epoch ms), @limit INTEGER.
SELECT id, platform, workspace, user_id FROM members
WHERE platform = @platform AND COALESCE(seen_at, created_at) < @before
ORDER BY COALESCE(seen_at, created_at), id
LIMIT @limit
FOR UPDATE SKIP LOCKED
