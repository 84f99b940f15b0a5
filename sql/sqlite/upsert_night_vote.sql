-- upsert_night_vote: a member's one vote; voting again replaces it.
-- Parameters: @night_id TEXT, @user_id TEXT, @movie_id INTEGER, @now INTEGER (epoch ms).
INSERT INTO movie_night_votes (night_id, user_id, movie_id, voted_at)
VALUES (@night_id, @user_id, @movie_id, @now)
ON CONFLICT (night_id, user_id) DO UPDATE SET movie_id = excluded.movie_id, voted_at = excluded.voted_at
