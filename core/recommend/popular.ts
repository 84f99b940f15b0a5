import { LIKED_THRESHOLD, type Ratings } from "../catalog/ratings.ts";

/** The cold-start rule shared with the BigQuery twin: AVG(rating_im) >= 0.8 over at least 10 ratings. */
export const POPULAR_MIN_RATINGS = 10;
export const POPULAR_MIN_MEAN = LIKED_THRESHOLD;
/** Prior weight of the damped mean, in ratings (IMDb's Top 250 "weighted rating" idea). */
export const POPULAR_PRIOR_RATINGS = 25;

export interface PopularMovie {
  movieId: number;
  ratingCount: number;
  meanRating: number;
  /** Ranking score: the damped mean, see popularMovies. */
  score: number;
}

/**
 * Movies that pass the cold-start rule, best first.
 *
 * Ranking by the plain mean would put an obscure film with ten 5-star ratings above The Shawshank
 * Redemption. We rank by the damped (Bayesian) mean instead: every movie starts with 25 phantom
 * ratings at the global mean, (Σ rating_im + 25 μ) / (n + 25). Ten perfect ratings then score
 * ~0.79 while Shawshank's 317 ratings at 0.89 keep ~0.87: a high mean counts in proportion to the
 * evidence behind it, so well-known favourites lead. The BigQuery twin computes the same formula.
 * Ties: more ratings first, then lower movieId.
 */
export function popularMovies(ratings: Ratings): PopularMovie[] {
  const stats = new Map<number, { n: number; sum: number }>();
  for (let i = 0; i < ratings.length; i++) {
    const id = ratings.movieIds[i] as number;
    const value = ratings.values[i] as number;
    let entry = stats.get(id);
    if (!entry) {
      entry = { n: 0, sum: 0 };
      stats.set(id, entry);
    }
    entry.n++;
    entry.sum += value;
  }
  let total = 0;
  for (let i = 0; i < ratings.length; i++) total += ratings.values[i] as number;
  const prior = ratings.length === 0 ? 0 : total / ratings.length;
  const m = POPULAR_PRIOR_RATINGS;
  const out: PopularMovie[] = [];
  for (const [movieId, { n, sum }] of stats) {
    const mean = sum / n;
    // Float32 ratings: 0.8 is stored as 0.800000011…, so compare the mean with a little slack.
    if (n < POPULAR_MIN_RATINGS || mean < POPULAR_MIN_MEAN - 1e-6) continue;
    out.push({ movieId, ratingCount: n, meanRating: mean, score: (sum + m * prior) / (n + m) });
  }
  return out.sort(
    (a, b) => b.score - a.score || b.ratingCount - a.ratingCount || a.movieId - b.movieId,
  );
}
