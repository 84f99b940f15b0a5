import type { RatingIndex } from "./rating-index.ts";
import { topN } from "./top-n.ts";

/**
 * The default strategy: "people who liked what you picked also liked". Like the reference method it
 * starts from the users who liked the picked movies, but it weighs them and counts what they liked
 * instead of averaging a factor model's predictions, which scores better on `npm run eval`:
 *
 *   weight(u) = shared(u)² / liked(u)^0.25     shared = picked movies u liked, liked = all u liked
 *   score(i)  = Σ_{top-k u who liked i} weight(u) / Σ_{top-k u} weight(u)
 *
 * Squaring favours users who share several picks over users who share one; the gentle damping
 * keeps users who like everything from dominating. The score is the weighted share of neighbours
 * who liked the movie (0..1). Per request the cost is linear in the likers of the picked movies
 * plus the neighbours' liked lists: no training, nothing quadratic.
 */
export interface NeighbourOptions {
  neighbours: number;
  sharedPower: number;
  activityDamping: number;
}

export const DEFAULT_NEIGHBOUR_OPTIONS: NeighbourOptions = {
  neighbours: 50,
  sharedPower: 2,
  activityDamping: 0.25,
};

export interface NeighbourScores {
  /** Per item row of the rating index; 0 where no neighbour liked the movie. */
  scores: Float64Array;
  /** The neighbours' user rows and weights, best first. */
  users: number[];
  weights: number[];
}

export function scoreByLikedNeighbours(
  index: RatingIndex,
  likedItemRows: readonly number[],
  options: NeighbourOptions = DEFAULT_NEIGHBOUR_OPTIONS,
): NeighbourScores | null {
  const byItem = index.likedByItem;
  const byUser = index.likedByUser;
  const shared = new Float64Array(index.users.length);
  for (const item of new Set(likedItemRows)) {
    if (item < 0 || item >= index.items.length) continue;
    for (let e = byItem.ptr[item] as number; e < (byItem.ptr[item + 1] as number); e++) {
      const u = byItem.cols[e] as number;
      shared[u] = (shared[u] as number) + 1;
    }
  }
  const weight = shared; // reused in place: shared counts become weights
  for (let u = 0; u < weight.length; u++) {
    const s = weight[u] as number;
    if (s === 0) continue;
    const liked = (byUser.ptr[u + 1] as number) - (byUser.ptr[u] as number);
    weight[u] = s ** options.sharedPower / liked ** options.activityDamping;
  }
  const users = topN(weight, options.neighbours, (u) => weight[u] === 0);
  if (users.length === 0) return null;
  const weights = users.map((u) => weight[u] as number);
  const total = weights.reduce((a, b) => a + b, 0);
  const scores = new Float64Array(index.items.length);
  users.forEach((u, n) => {
    const w = (weights[n] as number) / total;
    for (let e = byUser.ptr[u] as number; e < (byUser.ptr[u + 1] as number); e++) {
      const item = byUser.cols[e] as number;
      scores[item] = (scores[item] as number) + w;
    }
  });
  return { scores, users, weights };
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
  const { ptr, cols } = index.likedByItem;
  const size = (i: number) => (ptr[i + 1] as number) - (ptr[i] as number);
  const scored: { row: number; cosine: number }[] = [];
  for (const picked of new Set(likedItemRows)) {
    if (picked < 0 || size(picked) === 0 || size(item) === 0) continue;
    let a = ptr[item] as number;
    let b = ptr[picked] as number;
    const aEnd = ptr[item + 1] as number;
    const bEnd = ptr[picked + 1] as number;
    let shared = 0;
    while (a < aEnd && b < bEnd) {
      const ua = cols[a] as number;
      const ub = cols[b] as number;
      if (ua === ub) {
        shared++;
        a++;
        b++;
      } else if (ua < ub) a++;
      else b++;
    }
    if (shared > 0)
      scored.push({ row: picked, cosine: shared / Math.sqrt(size(item) * size(picked)) });
  }
  return scored
    .sort((x, y) => y.cosine - x.cosine || x.row - y.row)
    .slice(0, max)
    .map((s) => s.row);
}
