-- v004_create_member_settings: per-member settings (region, streaming services), one row per member.
-- Parameters: none.
CREATE TABLE member_settings (
  member_id INTEGER PRIMARY KEY REFERENCES members (id),
  region TEXT,
  services TEXT,
  updated_at INTEGER NOT NULL
)
