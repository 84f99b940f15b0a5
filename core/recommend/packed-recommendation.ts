import type { Recommendation, ScoredMovie, Strategy } from "./recommender.ts";

/**
 * A Recommendation as one Float64Array, for the answers that wait in memory or cross a thread.
 *
 * As objects, a recommendation is some ninety of them (each movie, its `because` list). The
 * answer cache keeps thousands for seconds, so each one outlives the young generation and is
 * copied into the old one: under 50 connections' recommendations that was 1.6 MB per young
 * collection, each pausing the event loop 5–13 ms (issue 18). Packed, it is two small objects
 * and a buffer outside the heap. Every number is kept exactly (scores are float64 already).
 *
 * Layout: [strategy, count, then per movie: movieId, score, present, series, lovedShare,
 * likedShare, because.length, ...because].
 */
export type PackedRecommendation = Float64Array;

const STRATEGIES: readonly Strategy[] = ["personalized", "popular"];
/** Bits of `present`: which optional fields the movie has. */
const SERIES = 1;
const LOVED = 2;
const LIKED = 4;
const FIXED = 7;

/**
 * Every field of ScoredMovie, so that one added there without a line here fails to compile
 * rather than vanishing from cached answers.
 */
const FIELDS = {
  movieId: true,
  score: true,
  because: true,
  series: true,
  lovedShare: true,
  likedShare: true,
} as const satisfies Record<keyof ScoredMovie, true>;
export const PACKED_FIELDS = Object.keys(FIELDS) as (keyof ScoredMovie)[];

export function packRecommendation(recommendation: Recommendation): PackedRecommendation {
  let size = 2;
  for (const item of recommendation.items) size += FIXED + item.because.length;
  const packed = new Float64Array(size);
  packed[0] = STRATEGIES.indexOf(recommendation.strategy);
  packed[1] = recommendation.items.length;
  let at = 2;
  for (const item of recommendation.items) {
    packed[at] = item.movieId;
    packed[at + 1] = item.score;
    packed[at + 2] =
      (item.series === undefined ? 0 : SERIES) |
      (item.lovedShare === undefined ? 0 : LOVED) |
      (item.likedShare === undefined ? 0 : LIKED);
    packed[at + 3] = item.series ?? 0;
    packed[at + 4] = item.lovedShare ?? 0;
    packed[at + 5] = item.likedShare ?? 0;
    packed[at + 6] = item.because.length;
    at += FIXED;
    for (const id of item.because) packed[at++] = id;
  }
  return packed;
}

/** A fresh Recommendation each time: callers may keep or change what they are given. */
export function unpackRecommendation(packed: PackedRecommendation): Recommendation {
  const count = packed[1] as number;
  const items: ScoredMovie[] = new Array(count);
  let at = 2;
  for (let i = 0; i < count; i++) {
    const present = packed[at + 2] as number;
    const because = new Array<number>(packed[at + 6] as number);
    for (let b = 0; b < because.length; b++) because[b] = packed[at + FIXED + b] as number;
    const item: ScoredMovie = {
      movieId: packed[at] as number,
      score: packed[at + 1] as number,
      because,
    };
    if (present & SERIES) item.series = packed[at + 3] as number;
    if (present & LOVED) item.lovedShare = packed[at + 4] as number;
    if (present & LIKED) item.likedShare = packed[at + 5] as number;
    items[i] = item;
    at += FIXED + because.length;
  }
  return { strategy: STRATEGIES[packed[0] as number] as Strategy, items };
}
