import { EMPTY_ROWS, type RatingIndex } from "./rating-index.ts";

/**
 * Raters of one pick walked per request. Beyond this the raters are evenly strided: the estimate
 * P(rated i | rated pick) needs a sample, not every rater of a blockbuster (80k at 25M ratings).
 */
export const MAX_RATERS_PER_PICK = 2000;

/**
 * Ratings walked per pick at most: the walk's cost is raters × their ratings, and the raters of a
 * blockbuster are the heaviest raters (at 25M ratings, 2000 of them hold 1.8M ratings: tens of
 * milliseconds per pick). Past this budget fewer raters are sampled, still evenly strided.
 * ml-latest-small's costliest pick walks 81k ratings, so it never reaches the cap.
 */
export const MAX_RATINGS_PER_PICK = 100_000;

/**
 * Σ over picks of P(rated i | rated pick): of the people who rated (watched) a pick, the share who
 * also rated i, whatever the rating. It sees what neighbours by likes miss: films watched together,
 * the pool the held-out likes are drawn from. Per item row; the picks themselves score too (the
 * caller excludes them). `out`, when given, is zeroed and filled instead of a new array.
 */
export function coWatchedScores(
  index: RatingIndex,
  pickRows: readonly number[],
  maxRaters = MAX_RATERS_PER_PICK,
  maxRatings = MAX_RATINGS_PER_PICK,
  out?: Float64Array,
): Float64Array {
  const { byItem, byUser, members, baseUsers } = index;
  // Members (RatingIndex.members) rate after the base's raters: a pick's raters are the base's
  // row, then the members' row, as one list; a user's ratings are in one or the other.
  const memberItems = members?.byItem ?? EMPTY_ROWS;
  const memberUsers = members?.byUser ?? EMPTY_ROWS;
  const scores = out ?? new Float64Array(index.items.length);
  if (out) scores.fill(0);
  for (const pick of new Set(pickRows)) {
    if (pick < 0 || pick >= index.items.length) continue;
    const start = byItem.ptr[pick] as number;
    const own = (byItem.ptr[pick + 1] as number) - start;
    const memberStart = members ? (memberItems.ptr[pick] as number) : 0;
    const raters = own + (members ? (memberItems.ptr[pick + 1] as number) - memberStart : 0);
    if (raters === 0) continue;
    // The k-th rater of the pick: the base's row first, then the members'. The stride's last
    // sample can fall one past the raters (ceil(raters / step) samples): it reads the base row
    // as before members existed, not past the members' row (undefined there made the walk's
    // count NaN and voided MAX_RATINGS_PER_PICK at 25M ratings).
    const raterAt = (k: number) =>
      k < own || k >= raters
        ? (byItem.cols[start + k] as number)
        : (memberItems.cols[memberStart + k - own] as number);
    let step = Math.max(1, raters / maxRaters);
    let sampled = Math.ceil(raters / step);
    // The sample's ratings, counted before walking them: a cheap pass over `sampled` offsets.
    let walk = 0;
    for (let s = 0; s < sampled; s++) {
      const u = raterAt(Math.floor(s * step));
      const rows = u < baseUsers ? byUser : memberUsers;
      const r = u < baseUsers ? u : u - baseUsers;
      walk += (rows.ptr[r + 1] as number) - (rows.ptr[r] as number);
    }
    if (walk > maxRatings) {
      sampled = Math.max(1, Math.floor((sampled * maxRatings) / walk));
      step = raters / sampled;
    }
    const share = 1 / sampled;
    for (let s = 0; s < sampled; s++) {
      const u = raterAt(Math.floor(s * step));
      const rows = u < baseUsers ? byUser : memberUsers;
      const r = u < baseUsers ? u : u - baseUsers;
      const cols = rows.cols;
      // The walk's inner loop, a third of a recommendation's CPU: its bound is read once here.
      // V8 cannot hoist it itself (a store to a typed array may alias any other), so it re-read
      // ptr[r + 1] at every rating (co-watched alone 91 → 80 µs per request on ml-latest-small).
      const end = rows.ptr[r + 1] as number;
      for (let e = rows.ptr[r] as number; e < end; e++) {
        const item = cols[e] as number;
        scores[item] = (scores[item] as number) + share;
      }
    }
  }
  return scores;
}
