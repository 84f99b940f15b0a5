-- merge_member_ratings: replaces the members' rows of the ratings table with member_ratings, in one
-- atomic statement: every member row (userId >= {{member_base}}) not in the upload goes (forget me,
-- an undone like), every uploaded row comes in. ON FALSE makes every upload row "not matched by
-- target" and every existing row "not matched by source", the documented way to replace a slice.
-- MovieLens's rows (userId below {{member_base}}) are never touched.
-- Parameters: none.
-- Placeholders: {{dataset}} (identifier); {{member_base}} (number: MEMBER_USER_BASE in
-- core/members/member-ratings.ts).
MERGE INTO {{dataset}}.ratings AS r
USING {{dataset}}.member_ratings AS m
ON FALSE
WHEN NOT MATCHED BY TARGET THEN
  INSERT (userId, movieId, rating_im, rated_at) VALUES (m.userId, m.movieId, m.rating_im, NULL)
WHEN NOT MATCHED BY SOURCE AND r.userId >= {{member_base}} THEN
  DELETE
