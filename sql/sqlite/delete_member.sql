-- delete_member: the member row itself (forget me), after its movies and settings.
-- Parameters: @member_id INTEGER.
DELETE FROM members WHERE id = @member_id
