-- select_pending_nights: nights whose timers must run (after a restart too).
-- Parameters: none.
SELECT * FROM movie_nights WHERE state IN ('open', 'voting') ORDER BY created_at
