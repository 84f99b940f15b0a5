-- select_member_settings: a member's region and streaming services, if they set any.
-- Parameters: @platform TEXT, @workspace TEXT, @user_id TEXT.
SELECT s.region, s.services
FROM member_settings s
JOIN members m ON m.id = s.member_id
WHERE m.platform = @platform AND m.workspace = @workspace AND m.user_id = @user_id
