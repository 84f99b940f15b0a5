import { Catalog } from "../../../core/catalog/catalog.ts";
import type { Movie } from "../../../core/catalog/movie.ts";
import type { Ratings } from "../../../core/catalog/ratings.ts";

export function movie(movieId: number, title: string, genres: string[] = []): Movie {
  return {
    movieId,
    title,
    rawTitle: title,
    altTitles: [],
    year: 2000,
    genres,
    imdbId: null,
    tmdbId: null,
  };
}

/** [userId, movieId, rating_im] triples → a Catalog, built directly from typed arrays. */
export function catalogOf(
  triples: readonly (readonly [number, number, number])[],
  checksum = "fixture",
  movies?: Movie[],
): Catalog {
  const ratings: Ratings = {
    length: triples.length,
    userIds: Int32Array.from(triples, (t) => t[0]),
    movieIds: Int32Array.from(triples, (t) => t[1]),
    values: Float32Array.from(triples, (t) => t[2]),
  };
  const ids = [...new Set(triples.map((t) => t[1]))].sort((a, b) => a - b);
  return new Catalog(movies ?? ids.map((id) => movie(id, `Movie ${id}`)), ratings, checksum);
}

/**
 * Liked input [1, 2, 3]. Shared liked movies per user: 10 → 3; 11 → 2 (its 0.6 on movie 3 is not a
 * like); 12 → 2; 9 → 1; 13 → 1; 14 → 0 (rated all three, liked none). Users 10–12 also like 4 and
 * 5; movie 6 is liked only by user 14.
 */
export const SIMILAR_USERS_FIXTURE: readonly (readonly [number, number, number])[] = [
  [10, 1, 1.0],
  [10, 2, 0.8],
  [10, 3, 0.9],
  [10, 4, 1.0],
  [11, 1, 0.8],
  [11, 2, 1.0],
  [11, 3, 0.6],
  [11, 4, 0.9],
  [11, 5, 0.8],
  [12, 2, 0.9],
  [12, 3, 1.0],
  [12, 5, 1.0],
  [13, 1, 0.8],
  [13, 6, 0.2],
  [9, 3, 0.8],
  [9, 4, 0.6],
  [14, 1, 0.4],
  [14, 2, 0.4],
  [14, 3, 0.2],
  [14, 6, 1.0],
];
