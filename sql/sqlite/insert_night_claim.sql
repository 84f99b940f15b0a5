-- insert_night_claim: claims a close or an occurrence; a row already there means someone else has it.
-- Parameters: @key TEXT, @now INTEGER (epoch ms).
INSERT INTO movie_night_claims (claim_key, claimed_at) VALUES (@key, @now)
ON CONFLICT (claim_key) DO NOTHING
