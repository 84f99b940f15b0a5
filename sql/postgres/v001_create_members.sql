-- v001_create_members: one row per member (platform + workspace + user); id is the store's own number.
-- Parameters: none.
CREATE TABLE members (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  platform TEXT NOT NULL,
  workspace TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (platform, workspace, user_id)
)
