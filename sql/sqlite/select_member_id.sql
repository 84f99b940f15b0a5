-- select_member_id: the member's id, if the member exists.
-- Parameters: @platform TEXT, @workspace TEXT, @user_id TEXT.
SELECT id FROM members WHERE platform = @platform AND workspace = @workspace AND user_id = @user_id
