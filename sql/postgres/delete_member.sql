-- delete_member: the member row itself (forget me), after its movies and settings.
-- Parameters: @member_id BIGINT.
DELETE FROM members WHERE id = @member_id
