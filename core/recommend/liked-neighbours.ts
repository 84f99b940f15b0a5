import { LIKED_THRESHOLD } from "../catalog/ratings.ts";
import { coWatchedScores, MAX_RATERS_PER_PICK, MAX_RATINGS_PER_PICK } from "./co-watched.ts";
import { EMPTY_ROWS, type RatingIndex, type SparseRows } from "./rating-index.ts";
import { reusedFloat64, scratchFloat64 } from "./scratch.ts";
import { TopRows } from "./top-n.ts";

/**
 * The default strategy: "people who liked what you picked also liked". Like the reference method it
 * starts from the users who liked the picked movies, but it weighs them and counts what they liked
 * instead of averaging a factor model's predictions, which scores better on `npm run eval`:
 *
 *   shared(u) = Σ_{picks p u rated} rarity(p) · (1 if u liked p, else ratedShare)
 *   rarity(p) = 1 / ln(2 + likers(p))^rarityPower
 *   weight(u) = shared(u)² / liked(u)^0.25             liked = all u liked (at least 1)
 *   score(i)  = Σ_{top-k u who liked i} weight(u) / Σ_{top-k u} weight(u)
 *
 * Squaring favours users who share several picks over users who share one; the gentle damping
 * keeps users who like everything from dominating. A rare pick says more about taste than a
 * blockbuster, and having watched a pick without loving it is weaker but real evidence. The score
 * is the weighted share of neighbours who liked the movie (0..1); scoreDefault then blends in
 * what the picks' raters watched (co-watched.ts). Per request the cost is linear in the raters of
 * the picked movies plus the neighbours' liked lists: no training, nothing quadratic.
 */
export interface NeighbourOptions {
  neighbours: number;
  sharedPower: number;
  activityDamping: number;
  /** Credit for a pick the user rated below the like threshold, relative to a liked pick. */
  ratedShare: number;
  /** Exponent of the pick's rarity weight; 0 counts every pick alike. */
  rarityPower: number;
  /** Weight of the co-watched score (co-watched.ts) blended into the neighbour score; 0 = none. */
  coWatched: number;
}

// Chosen by mean Recall@10 over seeds 42,1,2,3 (`npm run eval -- --seeds 42,1,2,3`), then checked on
// seeds 5–12 that took no part in the choice: 0.414 → 0.419 and 0.419 → 0.427 against the plain
// liked-neighbour count (ratedShare 0, rarityPower 0, coWatched 0). docs/recommender-experiments.md
// lists what else was measured.
export const DEFAULT_NEIGHBOUR_OPTIONS: NeighbourOptions = {
  neighbours: 50,
  sharedPower: 2,
  activityDamping: 0.25,
  ratedShare: 0.25,
  rarityPower: 0.5,
  coWatched: 0.2,
};

export interface NeighbourScores {
  /** Per item row; 0 where no neighbour liked the movie. */
  scores: Float64Array;
  /** The neighbours' user rows and weights, best first. */
  users: number[];
  weights: number[];
}

const credits = new Float64Array(2);

/** `out`, when given, is zeroed and returned as `scores` instead of a new array. */
export function scoreByLikedNeighbours(
  index: RatingIndex,
  likedItemRows: readonly number[],
  options: NeighbourOptions = DEFAULT_NEIGHBOUR_OPTIONS,
  out?: Float64Array,
): NeighbourScores | null {
  const { members, baseUsers } = index;
  // Never leaves this function: the neighbours' weights are copied out below.
  const shared = scratchFloat64("neighbours.shared", index.users.length);
  for (const item of new Set(likedItemRows)) {
    if (item < 0 || item >= index.items.length) continue;
    const rarity = 1 / Math.log(2 + index.likerCount(item)) ** options.rarityPower;
    // rarity · credit for a rating below the like threshold ([0]) and one at or above it ([1]),
    // the same products as before, looked up by the comparison instead of branching on it: a
    // rater likes a pick or not about as often as not, and the branch was mispredicted.
    credits[0] = rarity * options.ratedShare;
    credits[1] = rarity * 1;
    // The base's raters, then the members' (RatingIndex.members): the order a full build has.
    for (const byItem of members ? [index.byItem, members.byItem] : [index.byItem]) {
      const { cols, values } = byItem;
      // Bounds in locals, as in co-watched.ts: V8 re-reads them at every step otherwise.
      const end = byItem.ptr[item + 1] as number;
      for (let e = byItem.ptr[item] as number; e < end; e++) {
        const u = cols[e] as number;
        const credit = credits[+((values[e] as number) >= LIKED_THRESHOLD)] as number;
        shared[u] = (shared[u] as number) + credit;
      }
    }
  }
  const weight = shared; // reused in place: shared counts become weights
  const damping = activityDampingOf(index, options.activityDamping);
  // s * s is s ** 2 to the bit, without the call to pow.
  const square = options.sharedPower === 2;
  // The best neighbours picked in the same pass (topN's answer, without a second pass over
  // every user: 162k at 25M ratings).
  const top = new TopRows(options.neighbours);
  // The length in a local, as in blended-scores.ts's passes.
  const length = weight.length;
  if (square) {
    // Without a test per user whether it shares a pick (most do not, at random): 0 · 0 / d is
    // the 0 an untouched user keeps, and the test costs more than the division.
    for (
      let u = squaredUntil(weight, damping, 0, top.floor);
      u < length;
      u = squaredUntil(weight, damping, u + 1, top.floor)
    ) {
      const w = weight[u] as number;
      if (w !== 0 && w !== Number.POSITIVE_INFINITY) top.offer(u, w);
    }
  } else {
    for (let u = 0; u < length; u++) {
      const s = weight[u] as number;
      if (s === 0) continue;
      const w = s ** options.sharedPower / (damping[u] as number);
      weight[u] = w;
      if (w > top.floor && w !== 0 && w !== Number.POSITIVE_INFINITY) top.offer(u, w);
    }
  }
  const users = top.rows;
  if (users.length === 0) return null;
  const weights = users.map((u) => weight[u] as number);
  const total = weights.reduce((a, b) => a + b, 0);
  const scores = out ? out.fill(0) : new Float64Array(index.items.length);
  const memberLikes = members?.likedByUser ?? EMPTY_ROWS;
  for (let n = 0; n < users.length; n++) {
    const u = users[n] as number;
    const w = (weights[n] as number) / total;
    if (u < baseUsers) addToRow(scores, index.likedByUser, u, w);
    else addToRow(scores, memberLikes, u - baseUsers, w);
  }
  return { scores, users, weights };
}

/**
 * Squared shared credits over the damping, in place, from user `from` on up to the first whose
 * weight beats `floor` (returned; the length when none does). A loop of its own, with no call in
 * it, as topN's nextAbove: with TopRows.offer called in the loop, V8 reloaded the arrays' bounds
 * and the floor at every user (162k at 25M ratings).
 */
function squaredUntil(
  weight: Float64Array,
  damping: Float64Array,
  from: number,
  floor: number,
): number {
  const length = weight.length;
  let u = from;
  for (; u < length; u++) {
    const s = weight[u] as number;
    const w = (s * s) / (damping[u] as number);
    weight[u] = w;
    if (w > floor) break;
  }
  return u;
}

/**
 * `w` added to the score of every item in row `r`. A function of its own, the arrays its
 * parameters: walked inside a closure, V8 reloaded the captured `scores` at every item.
 */
function addToRow(scores: Float64Array, rows: SparseRows, r: number, w: number): void {
  const { ptr, cols } = rows;
  const end = ptr[r + 1] as number;
  for (let e = ptr[r] as number; e < end; e++) {
    const item = cols[e] as number;
    scores[item] = (scores[item] as number) + w;
  }
}

/** The two parts scoreDefault blends, each per item row and not yet scaled. */
export interface DefaultParts {
  /** scoreByLikedNeighbours' scores. */
  neighbours: Float64Array;
  /** coWatchedScores, or null when options.coWatched is 0. */
  coWatched: Float64Array | null;
}

/**
 * scoreDefault's parts before the blend: null when no neighbour was found. `out`, when given,
 * becomes `neighbours`; `coWatched` is a work array reused across requests (scratch.ts): read it
 * before the next recommendation on this thread.
 */
export function defaultParts(
  index: RatingIndex,
  pickRows: readonly number[],
  options: NeighbourOptions = DEFAULT_NEIGHBOUR_OPTIONS,
  out?: Float64Array,
): DefaultParts | null {
  const neighbours = scoreByLikedNeighbours(index, pickRows, options, out);
  if (!neighbours) return null;
  // coWatchedScores zeroes it itself.
  const co =
    options.coWatched > 0
      ? coWatchedScores(
          index,
          pickRows,
          MAX_RATERS_PER_PICK,
          MAX_RATINGS_PER_PICK,
          reusedFloat64("neighbours.coWatched", index.items.length),
        )
      : null;
  return { neighbours: neighbours.scores, coWatched: co };
}

/**
 * One item's default score from its two parts and their best values outside the picks (0 when a
 * part is absent): scoreDefault's formula, shared with the blend's fused pass (blended-scores.ts)
 * so both compute it with the same operations in the same order.
 */
export function defaultScore(
  neighbours: number,
  coWatched: number,
  neighboursMax: number,
  coWatchedMax: number,
  coWatchedWeight: number,
): number {
  const own = neighboursMax > 0 ? neighbours / neighboursMax : 0;
  return coWatchedMax > 0 ? own + (coWatchedWeight * coWatched) / coWatchedMax : own;
}

/**
 * The default strategy's ranking score per item row: the neighbour score plus `coWatched` times the
 * co-watched score, each divided by its best value outside the picks so neither scale dominates.
 * Null when no neighbour was found or nothing outside the picks scores (the caller answers with
 * popular picks).
 */
export function scoreDefault(
  index: RatingIndex,
  pickRows: readonly number[],
  options: NeighbourOptions = DEFAULT_NEIGHBOUR_OPTIONS,
  out?: Float64Array,
): Float64Array | null {
  const parts = defaultParts(index, pickRows, options, out);
  if (!parts) return null;
  const scores = parts.neighbours;
  const co = parts.coWatched;
  const [nbMax, coMax] = maxOutsideBoth(scores, co, new Set(pickRows));
  if (nbMax === 0 && coMax === 0) return null;
  const weight = options.coWatched;
  if (co) {
    for (let i = 0; i < scores.length; i++) {
      scores[i] = defaultScore(scores[i] as number, co[i] as number, nbMax, coMax, weight);
    }
  } else {
    for (let i = 0; i < scores.length; i++) {
      scores[i] = defaultScore(scores[i] as number, 0, nbMax, 0, weight);
    }
  }
  return scores;
}

/** maxOutside of two arrays of the same length in one pass (b may be absent: its max is 0). */
export function maxOutsideBoth(
  a: Float64Array,
  b: Float64Array | null,
  skip: ReadonlySet<number>,
): [number, number] {
  if (!b) return [maxOutside(a, skip), 0];
  const saved = [...skip].map((row) => [row, a[row] as number, b[row] as number] as const);
  for (const [row] of saved) {
    a[row] = 0;
    b[row] = 0;
  }
  let maxA = 0;
  let maxB = 0;
  for (let i = 0; i < a.length; i++) {
    if ((a[i] as number) > maxA) maxA = a[i] as number;
    if ((b[i] as number) > maxB) maxB = b[i] as number;
  }
  for (const [row, va, vb] of saved) {
    a[row] = va;
    b[row] = vb;
  }
  return [maxA, maxB];
}

/**
 * liked(u)^damping per user row (liked = all u liked, at least 1): the same for every request, so
 * computed once per index and damping instead of a power per neighbour candidate per request (at
 * 25M ratings, a hundred thousand candidates for a blockbuster pick).
 */
const dampings = new WeakMap<RatingIndex, Map<number, Float64Array>>();
function activityDampingOf(index: RatingIndex, damping: number): Float64Array {
  let byDamping = dampings.get(index);
  if (!byDamping) {
    byDamping = new Map();
    dampings.set(index, byDamping);
  }
  let values = byDamping.get(damping);
  if (!values) {
    values = new Float64Array(index.users.length);
    const { baseUsers } = index;
    const { ptr } = index.likedByUser;
    for (let u = 0; u < baseUsers; u++) {
      values[u] = Math.max(1, (ptr[u + 1] as number) - (ptr[u] as number)) ** damping;
    }
    const memberPtr = index.members?.likedByUser.ptr;
    for (let m = 0; memberPtr && m + 1 < memberPtr.length; m++) {
      const liked = (memberPtr[m + 1] as number) - (memberPtr[m] as number);
      values[baseUsers + m] = Math.max(1, liked) ** damping;
    }
    byDamping.set(damping, values);
  }
  return values;
}

/** The largest score outside `skip` (the picks), for normalising. */
export function maxOutside(scores: Float64Array, skip: ReadonlySet<number>): number {
  // Zero the skipped rows for one plain pass (a Set lookup per row costs more than the pass).
  const saved = [...skip].map((row) => [row, scores[row] as number] as const);
  for (const [row] of saved) scores[row] = 0;
  let max = 0;
  for (let i = 0; i < scores.length; i++)
    if ((scores[i] as number) > max) max = scores[i] as number;
  for (const [row, value] of saved) scores[row] = value;
  return max;
}

/**
 * "Because you liked …": the picks whose likers overlap most with the item's likers (cosine of
 * the two sets of users). Neighbour support alone cannot separate picks every neighbour shares;
 * the overlap over all users can (The Return of the King is there because of The Fellowship of
 * the Ring, not Toy Story). At most `max`, strongest first; cost is a merge of sorted lists.
 */
export function likedReasons(
  index: RatingIndex,
  item: number,
  likedItemRows: readonly number[],
  max: number,
): number[] {
  const size = (i: number) => index.likerCount(i);
  const scored: { row: number; cosine: number }[] = [];
  for (const picked of new Set(likedItemRows)) {
    if (picked < 0 || size(picked) === 0 || size(item) === 0) continue;
    const shared = sharedLikers(index, item, picked);
    if (shared > 0)
      scored.push({ row: picked, cosine: shared / Math.sqrt(size(item) * size(picked)) });
  }
  return scored
    .sort((x, y) => y.cosine - x.cosine || x.row - y.row)
    .slice(0, max)
    .map((s) => s.row);
}

/**
 * Users who liked both item rows: a merge of two ascending lists, the base's likers and then the
 * members' (every member's row is above every base row, so the two merges add up).
 */
export function sharedLikers(index: RatingIndex, a: number, b: number): number {
  let shared = mergeCount(index.likedByItem, a, b);
  if (index.members) shared += mergeCount(index.members.likedByItem, a, b);
  return shared;
}

function mergeCount(rows: SparseRows, a: number, b: number): number {
  const { ptr, cols } = rows;
  let i = ptr[a] as number;
  let j = ptr[b] as number;
  const iEnd = ptr[a + 1] as number;
  const jEnd = ptr[b + 1] as number;
  let shared = 0;
  while (i < iEnd && j < jEnd) {
    const ui = cols[i] as number;
    const uj = cols[j] as number;
    if (ui === uj) {
      shared++;
      i++;
      j++;
    } else if (ui < uj) i++;
    else j++;
  }
  return shared;
}
