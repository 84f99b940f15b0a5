import type { RatingIndex } from "./rating-index.ts";

/**
 * Raters of one pick walked per request. Beyond this the raters are evenly strided: the estimate
 * P(rated i | rated pick) needs a sample, not every rater of a blockbuster (80k at 25M ratings),
 * and the walk's cost is raters × their ratings. ml-latest-small never reaches the cap.
 */
export const MAX_RATERS_PER_PICK = 2000;

/**
 * Σ over picks of P(rated i | rated pick): of the people who rated (watched) a pick, the share who
 * also rated i, whatever the rating. It sees what neighbours by likes miss: films watched together,
 * the pool the held-out likes are drawn from. Per item row; the picks themselves score too (the
 * caller excludes them).
 */
export function coWatchedScores(
  index: RatingIndex,
  pickRows: readonly number[],
  maxRaters = MAX_RATERS_PER_PICK,
): Float64Array {
  const { byItem, byUser } = index;
  const scores = new Float64Array(index.items.length);
  for (const pick of new Set(pickRows)) {
    if (pick < 0 || pick >= index.items.length) continue;
    const start = byItem.ptr[pick] as number;
    const raters = (byItem.ptr[pick + 1] as number) - start;
    if (raters === 0) continue;
    const step = Math.max(1, raters / maxRaters);
    const sampled = Math.ceil(raters / step);
    for (let s = 0; s < sampled; s++) {
      const u = byItem.cols[start + Math.floor(s * step)] as number;
      for (let e = byUser.ptr[u] as number; e < (byUser.ptr[u + 1] as number); e++) {
        const item = byUser.cols[e] as number;
        scores[item] = (scores[item] as number) + 1 / sampled;
      }
    }
  }
  return scores;
}
