-- delete_night_claim: gives a claim back when its work failed (a post Slack refused), so a retry can take it.
-- Parameters: @key TEXT.
DELETE FROM movie_night_claims WHERE claim_key = @key
