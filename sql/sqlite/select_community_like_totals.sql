-- select_community_like_totals: how many likes a workspace's members gave, and how many members gave them.
-- Parameters: @platform TEXT, @workspace TEXT.
SELECT COUNT(*) AS likes, COUNT(DISTINCT mm.member_id) AS members
FROM member_movies mm
JOIN members m ON m.id = mm.member_id
WHERE m.platform = @platform AND m.workspace = @workspace AND mm.kind = 'like'
