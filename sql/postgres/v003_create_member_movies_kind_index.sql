-- v003_create_member_movies_kind_index: community counts read likes by kind and movie.
-- Parameters: none.
CREATE INDEX member_movies_kind_movie ON member_movies (kind, movie_id)
