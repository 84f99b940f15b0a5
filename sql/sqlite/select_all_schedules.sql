-- select_all_schedules: every weekly movie night (set up again at start-up).
-- Parameters: none.
SELECT * FROM movie_night_schedules ORDER BY id
