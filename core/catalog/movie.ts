/** One MovieLens movie, with its title as people write it ("The Matrix") and as MovieLens stores it. */
export interface Movie {
  movieId: number;
  /** Display title, articles in front and year removed: "The Matrix". */
  title: string;
  /** The title exactly as movies.csv has it: "Matrix, The (1999)". */
  rawTitle: string;
  /** Alternate titles MovieLens keeps in parentheses ("a.k.a. ...", original-language titles), display form. */
  altTitles: string[];
  year: number | null;
  genres: string[];
  /** IMDb id without the "tt" prefix, zero-padded to 7 digits as links.csv has it. */
  imdbId: string | null;
  tmdbId: number | null;
}

/** "The Matrix (1999)": the label shown in pickers. */
export function movieLabel(movie: Pick<Movie, "title" | "year">): string {
  return movie.year === null ? movie.title : `${movie.title} (${movie.year})`;
}

/** The movie's TMDB and IMDb pages, from links.csv's ids; null where MovieLens has none. */
export function movieLinks(movie: Pick<Movie, "tmdbId" | "imdbId">): {
  tmdbUrl: string | null;
  imdbUrl: string | null;
} {
  return {
    tmdbUrl: movie.tmdbId === null ? null : `https://www.themoviedb.org/movie/${movie.tmdbId}`,
    imdbUrl: movie.imdbId === null ? null : `https://www.imdb.com/title/tt${movie.imdbId}/`,
  };
}
