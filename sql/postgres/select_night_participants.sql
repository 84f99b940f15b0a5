-- select_night_participants: who takes part, in the order they came.
-- Parameters: @night_id TEXT.
SELECT user_id, how, joined_at FROM movie_night_participants WHERE night_id = @night_id ORDER BY joined_at, user_id
