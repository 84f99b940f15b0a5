-- select_community_top_likes: a workspace's most liked movies, ties by movie id.
-- Parameters: @platform TEXT, @workspace TEXT, @limit INTEGER.
SELECT mm.movie_id, COUNT(*)::int AS likes
FROM member_movies mm
JOIN members m ON m.id = mm.member_id
WHERE m.platform = @platform AND m.workspace = @workspace AND mm.kind = 'like'
GROUP BY mm.movie_id
ORDER BY likes DESC, mm.movie_id
LIMIT @limit
