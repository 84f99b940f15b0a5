import type { Movie } from "./movie.ts";
import type { Ratings } from "./ratings.ts";

/** Per-movie rating statistics, computed once at load. */
export interface MovieStats {
  ratingCount: number;
  /** Mean of rating_im; 0 when unrated. */
  meanRating: number;
}

/** The loaded dataset: movies, their stats and every rating. Immutable once built. */
export class Catalog {
  readonly movies: readonly Movie[];
  readonly ratings: Ratings;
  /** Hex SHA-256 over the data files; keys the model cache. */
  readonly checksum: string;
  private readonly byId: Map<number, Movie>;
  private readonly stats: Map<number, MovieStats>;

  /** `stats` when computed before (a snapshot): then `ratings` is not walked here. */
  constructor(
    movies: readonly Movie[],
    ratings: Ratings,
    checksum: string,
    stats?: Map<number, MovieStats>,
  ) {
    this.movies = movies;
    this.ratings = ratings;
    this.checksum = checksum;
    this.byId = new Map(movies.map((m) => [m.movieId, m]));
    this.stats = stats ?? computeStats(ratings);
  }

  /** Every rated movie's stats, for a snapshot. */
  allStats(): ReadonlyMap<number, MovieStats> {
    return this.stats;
  }

  get(movieId: number): Movie | undefined {
    return this.byId.get(movieId);
  }

  has(movieId: number): boolean {
    return this.byId.has(movieId);
  }

  statsOf(movieId: number): MovieStats {
    return this.stats.get(movieId) ?? { ratingCount: 0, meanRating: 0 };
  }
}

function computeStats(ratings: Ratings): Map<number, MovieStats> {
  const sums = new Map<number, { n: number; sum: number }>();
  for (let i = 0; i < ratings.length; i++) {
    const id = ratings.movieIds[i] as number;
    const entry = sums.get(id);
    if (entry) {
      entry.n++;
      entry.sum += ratings.values[i] as number;
    } else sums.set(id, { n: 1, sum: ratings.values[i] as number });
  }
  const stats = new Map<number, MovieStats>();
  for (const [id, { n, sum }] of sums) stats.set(id, { ratingCount: n, meanRating: sum / n });
  return stats;
}
