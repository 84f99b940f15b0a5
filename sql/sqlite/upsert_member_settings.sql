-- upsert_member_settings: a member's region and services, replacing what was there.
-- Parameters: @member_id INTEGER, @region TEXT (null: none), @services TEXT (JSON array of names), @now INTEGER (epoch ms).
INSERT INTO member_settings (member_id, region, services, updated_at)
VALUES (@member_id, @region, @services, @now)
ON CONFLICT (member_id) DO UPDATE
SET region = excluded.region, services = excluded.services, updated_at = excluded.updated_at
