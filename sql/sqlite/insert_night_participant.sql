-- insert_night_participant: a member takes part; already in keeps their first row (idempotent).
-- Parameters: @night_id TEXT, @user_id TEXT, @how TEXT ('named' or 'joined'), @now INTEGER (epoch ms).
INSERT INTO movie_night_participants (night_id, user_id, how, joined_at)
VALUES (@night_id, @user_id, @how, @now)
ON CONFLICT (night_id, user_id) DO NOTHING
