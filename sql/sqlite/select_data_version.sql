-- select_data_version: a number that changes whenever another connection commits to the file (a worker, a script, the movie-night store); this connection's own commits leave it alone.
-- Parameters: none.
PRAGMA data_version
