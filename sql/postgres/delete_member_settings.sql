-- delete_member_settings: the settings row of one member (forget me).
-- Parameters: @member_id BIGINT.
DELETE FROM member_settings WHERE member_id = @member_id
