-- select_all_likes: every member's likes, for the recommender's refresh.
-- Parameters: none.
SELECT member_id, movie_id FROM member_movies WHERE kind = 'like' ORDER BY member_id, movie_id
