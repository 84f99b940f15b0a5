-- v002_create_member_movies: what a member said about a movie (like, dislike, seen, watchlist), once each.
-- Parameters: none.
CREATE TABLE member_movies (
  member_id BIGINT NOT NULL REFERENCES members (id),
  movie_id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('like', 'dislike', 'seen', 'watchlist')),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (member_id, movie_id, kind)
)
