import { Catalog } from "../../core/catalog/catalog.ts";
import type { Movie } from "../../core/catalog/movie.ts";
import { parseTitle } from "../../core/catalog/title.ts";

/** A catalogue movie from its MovieLens title ("Heat (1995)"); TMDB id movieId + 1000 unless null. */
export function movie(
  movieId: number,
  rawTitle: string,
  genres: string[],
  tmdbId: number | null = movieId + 1000,
): Movie {
  return {
    movieId,
    rawTitle,
    ...parseTitle(rawTitle),
    genres,
    imdbId: String(movieId).padStart(7, "0"),
    tmdbId,
  };
}

/**
 * The one tiny catalogue the tests share: real titles first (in the order the fake recommender
 * ranks them), then the awkward ones (no TMDB id, escaping, a title past every platform limit, an
 * alternative title) and 130 films of one series for the caps on options and choices. No ratings:
 * the fakes rank in this order.
 */
export const MOVIES: Movie[] = [
  movie(2571, "Matrix, The (1999)", ["Action", "Sci-Fi", "Thriller"]),
  movie(6365, "Matrix Reloaded, The (2003)", ["Action", "Adventure", "Sci-Fi"]),
  movie(6934, "Matrix Revolutions, The (2003)", ["Action", "Adventure", "Sci-Fi"]),
  movie(6, "Heat (1995)", ["Action", "Crime", "Thriller"]),
  movie(1, "Toy Story (1995)", ["Adventure", "Animation", "Children", "Comedy", "Fantasy"]),
  movie(318, "Shawshank Redemption, The (1994)", ["Crime", "Drama"]),
  movie(296, "Pulp Fiction (1994)", ["Comedy", "Crime", "Drama", "Thriller"]),
  movie(356, "Forrest Gump (1994)", ["Comedy", "Drama", "Romance", "War"]),
  movie(593, "Silence of the Lambs, The (1991)", ["Crime", "Horror", "Thriller"]),
  movie(
    99999,
    `A Movie With An Extraordinarily Long Title ${"That Goes On ".repeat(12)}Forever (2001)`,
    ["Drama"],
  ),
  movie(3114, "Toy Story 2 (1999)", ["Adventure", "Animation", "Children", "Comedy", "Fantasy"]),
  movie(1200, "Aliens (1986)", ["Action", "Sci-Fi"], null),
  movie(4973, "Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)", ["Comedy", "Romance"]),
  movie(
    7,
    "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb & Other <Tales> (1964)",
    ["Comedy", "War"],
  ),
  ...Array.from({ length: 130 }, (_, i) =>
    movie(10_000 + i, `Star Voyage ${i + 1} (${2000 + (i % 20)})`, ["Sci-Fi"]),
  ),
];

export function tinyCatalog(): Catalog {
  return new Catalog(
    MOVIES,
    {
      length: 0,
      userIds: new Int32Array(),
      movieIds: new Int32Array(),
      values: new Float32Array(),
    },
    "tiny",
  );
}
