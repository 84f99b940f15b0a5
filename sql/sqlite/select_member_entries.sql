-- select_member_entries: everything a member said, newest first.
-- Parameters: @platform TEXT, @workspace TEXT, @user_id TEXT.
SELECT mm.movie_id, mm.kind, mm.created_at
FROM member_movies mm
JOIN members m ON m.id = mm.member_id
WHERE m.platform = @platform AND m.workspace = @workspace AND m.user_id = @user_id
ORDER BY mm.created_at DESC, mm.movie_id
