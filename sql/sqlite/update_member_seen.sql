-- update_member_seen: a visit without a write (the web page loaded); a member with no row stays without one.
-- Parameters: @platform TEXT, @workspace TEXT, @user_id TEXT, @now INTEGER (epoch ms).
UPDATE members SET seen_at = @now
WHERE platform = @platform AND workspace = @workspace AND user_id = @user_id
