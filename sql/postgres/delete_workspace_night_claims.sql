-- delete_workspace_night_claims: app uninstalled — the workspace's weekly occurrence claims (keys "schedule:<platform>:<workspace>:<channel>:<time>"); compared by prefix, not LIKE, since ids may hold "_".
-- Parameters: @prefix TEXT ("schedule:<platform>:<workspace>:").
DELETE FROM movie_night_claims WHERE starts_with(claim_key, @prefix)
