-- v005_add_members_seen_at: when the member was last seen (a visit or a write), so idle web members can be deleted; empty until then (created_at counts).
-- Parameters: none.
ALTER TABLE members ADD COLUMN seen_at BIGINT
