-- delete_member_night_schedules: forget me — the weekly movie nights the member set (their set_by is the member).
-- Parameters: @platform TEXT, @workspace TEXT, @user_id TEXT.
DELETE FROM movie_night_schedules WHERE platform = @platform AND workspace = @workspace AND set_by = @user_id
