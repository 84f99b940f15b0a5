import { Catalog } from "../catalog/catalog.ts";
import { LIKED_THRESHOLD, type Ratings } from "../catalog/ratings.ts";
import { mulberry32 } from "./wals-trainer.ts";

/**
 * The offline evaluation protocol (`npm run eval`): hold out a fixed-seed 20% of users entirely
 * from training; for each held-out user with at least 8 liked movies (rating_im >= 0.8), 3 random
 * liked movies are the input and the rest of their liked movies the ground truth.
 */
export interface EvalCase {
  userId: number;
  input: number[];
  truth: Set<number>;
}

export interface EvalSplit {
  /** The catalog restricted to the training users' ratings (what models may see). */
  train: Catalog;
  cases: EvalCase[];
}

export interface SplitOptions {
  seed: number;
  holdoutShare?: number;
  minLiked?: number;
  inputSize?: number;
}

export function splitForEval(catalog: Catalog, options: SplitOptions): EvalSplit {
  const holdoutShare = options.holdoutShare ?? 0.2;
  const minLiked = options.minLiked ?? 8;
  const inputSize = options.inputSize ?? 3;
  const random = mulberry32(options.seed);
  const { ratings } = catalog;
  const users = [...new Set(ratings.userIds)].sort((a, b) => a - b);
  shuffle(users, random);
  const heldOut = new Set(users.slice(0, Math.round(users.length * holdoutShare)));

  const keep = new Uint8Array(ratings.length);
  const likedBy = new Map<number, number[]>();
  for (let i = 0; i < ratings.length; i++) {
    const user = ratings.userIds[i] as number;
    if (!heldOut.has(user)) keep[i] = 1;
    else if ((ratings.values[i] as number) >= LIKED_THRESHOLD) {
      const list = likedBy.get(user) ?? [];
      list.push(ratings.movieIds[i] as number);
      likedBy.set(user, list);
    }
  }
  const cases: EvalCase[] = [];
  for (const userId of [...heldOut].sort((a, b) => a - b)) {
    const liked = (likedBy.get(userId) ?? []).sort((a, b) => a - b);
    if (liked.length < minLiked) continue;
    shuffle(liked, random);
    cases.push({
      userId,
      input: liked.slice(0, inputSize),
      truth: new Set(liked.slice(inputSize)),
    });
  }
  const train = new Catalog(
    catalog.movies,
    filterRatings(ratings, keep),
    `${catalog.checksum}:eval-train:${options.seed}:${holdoutShare}`,
  );
  return { train, cases };
}

function filterRatings(ratings: Ratings, keep: Uint8Array): Ratings {
  let n = 0;
  for (const k of keep) n += k;
  const userIds = new Int32Array(n);
  const movieIds = new Int32Array(n);
  const values = new Float32Array(n);
  let at = 0;
  for (let i = 0; i < ratings.length; i++) {
    if (!keep[i]) continue;
    userIds[at] = ratings.userIds[i] as number;
    movieIds[at] = ratings.movieIds[i] as number;
    values[at] = ratings.values[i] as number;
    at++;
  }
  return { length: n, userIds, movieIds, values };
}

/** Fisher–Yates with the given generator. */
function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

export interface Metrics {
  /** hits / min(n, |truth|): 1.0 when the list is as good as the truth allows. */
  recall: number;
  ndcg: number;
  hitRate: number;
  cases: number;
}

/** Mean Recall@n, NDCG@n (binary gain) and HitRate@n of ranked lists against each case's truth. */
export function scoreRankings(
  cases: readonly EvalCase[],
  rankings: readonly (readonly number[])[],
  n: number,
): Metrics {
  let recall = 0;
  let ndcg = 0;
  let hits = 0;
  cases.forEach((c, index) => {
    const ranked = (rankings[index] ?? []).slice(0, n);
    let found = 0;
    let dcg = 0;
    ranked.forEach((movieId, rank) => {
      if (!c.truth.has(movieId)) return;
      found++;
      dcg += 1 / Math.log2(rank + 2);
    });
    const ideal = Math.min(n, c.truth.size);
    let idcg = 0;
    for (let rank = 0; rank < ideal; rank++) idcg += 1 / Math.log2(rank + 2);
    recall += ideal === 0 ? 0 : found / ideal;
    ndcg += idcg === 0 ? 0 : dcg / idcg;
    if (found > 0) hits++;
  });
  const count = Math.max(1, cases.length);
  return { recall: recall / count, ndcg: ndcg / count, hitRate: hits / count, cases: cases.length };
}
