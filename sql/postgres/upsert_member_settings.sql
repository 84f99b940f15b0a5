-- upsert_member_settings: a member's region and services, replacing what was there.
-- Parameters: @member_id BIGINT, @region TEXT (null: none), @services TEXT (JSON array of names), @now BIGINT (epoch ms).
INSERT INTO member_settings (member_id, region, services, updated_at)
VALUES (@member_id, @region, @services, @now)
ON CONFLICT (member_id) DO UPDATE
SET region = EXCLUDED.region, services = EXCLUDED.services, updated_at = EXCLUDED.updated_at
