import { Catalog } from "../../core/catalog/catalog.ts";
import type { Movie } from "../../core/catalog/movie.ts";
import { parseTitle } from "../../core/catalog/title.ts";

/** A three-movie catalog with known rating counts (Toy Story 3, Amélie 2, Heat 1). */
export function tinyCatalog(): Catalog {
  const raw: [number, string][] = [
    [1, "Toy Story (1995)"],
    [6, "Heat (1995)"],
    [4973, "Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)"],
  ];
  const movies: Movie[] = raw.map(([movieId, rawTitle]) => ({
    movieId,
    rawTitle,
    ...parseTitle(rawTitle),
    genres: [],
    imdbId: null,
    tmdbId: null,
  }));
  const pairs: [number, number, number][] = [
    [1, 1, 0.8],
    [2, 1, 1],
    [3, 1, 0.6],
    [1, 4973, 1],
    [2, 4973, 0.9],
    [3, 6, 0.8],
  ];
  return new Catalog(
    movies,
    {
      length: pairs.length,
      userIds: Int32Array.from(pairs.map((p) => p[0])),
      movieIds: Int32Array.from(pairs.map((p) => p[1])),
      values: Float32Array.from(pairs.map((p) => p[2])),
    },
    "tiny",
  );
}
