import type { BlendData, BlendOptions } from "../../../core/recommend/blended-scores.ts";
import { coWatchedScores } from "../../../core/recommend/co-watched.ts";
import {
  type NeighbourOptions,
  scoreByLikedNeighbours,
} from "../../../core/recommend/liked-neighbours.ts";
import type { RatingIndex } from "../../../core/recommend/rating-index.ts";

/**
 * The default strategy's scores written the plain way, one step after another as the formulas in
 * liked-neighbours.ts and blended-scores.ts read: a fresh array per step, a Set look-up per row.
 * The served code fuses these passes for speed; the tests hold it to these values, to the bit.
 */

/** The largest value outside `picks` (0 when none is larger). */
function maxOutside(values: Float64Array, picks: ReadonlySet<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    if (!picks.has(i) && (values[i] as number) > max) max = values[i] as number;
  }
  return max;
}

/** scoreDefault: the neighbour score plus `coWatched` × the co-watched score, each scaled. */
export function plainScoreDefault(
  index: RatingIndex,
  pickRows: readonly number[],
  options: NeighbourOptions,
): Float64Array | null {
  const neighbours = scoreByLikedNeighbours(index, pickRows, options);
  if (!neighbours) return null;
  const picks = new Set(pickRows);
  const nb = neighbours.scores;
  const co = options.coWatched > 0 ? coWatchedScores(index, pickRows) : null;
  const nbMax = maxOutside(nb, picks);
  const coMax = co ? maxOutside(co, picks) : 0;
  if (nbMax === 0 && coMax === 0) return null;
  const scores = new Float64Array(nb.length);
  for (let i = 0; i < scores.length; i++) {
    const own = nbMax > 0 ? (nb[i] as number) / nbMax : 0;
    scores[i] = co && coMax > 0 ? own + (options.coWatched * (co[i] as number)) / coMax : own;
  }
  return scores;
}

/** scoreBlended: items and users blended, times the genre factor, plus the series bonus. */
export function plainScoreBlended(
  data: BlendData,
  pickRows: readonly number[],
  options: BlendOptions,
): Float64Array | null {
  const { index, table } = data;
  const n = index.items.length;
  const picks = [...new Set(pickRows)].filter((r) => r >= 0 && r < n);
  if (picks.length === 0) return null;
  const pickSet = new Set(picks);
  const items = new Float64Array(n);
  for (const p of picks) {
    for (let e = table.ptr[p] as number; e < (table.ptr[p + 1] as number); e++) {
      const j = table.cols[e] as number;
      items[j] = (items[j] as number) + (table.sims[e] as number);
    }
  }
  const users = options.itemWeight < 1 ? plainScoreDefault(index, picks, options.neighbours) : null;
  const itemMax = maxOutside(items, pickSet);
  const userMax = users ? maxOutside(users, pickSet) : 0;
  if (itemMax === 0 && userMax === 0) return null;
  const wI = itemMax > 0 ? options.itemWeight / itemMax : 0;
  const wU = users && userMax > 0 ? (1 - options.itemWeight) / userMax : 0;
  const scores = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    scores[j] = users
      ? wI * (items[j] as number) + wU * (users[j] as number)
      : wI * (items[j] as number) + 0;
  }
  if (options.genreWeight > 0) {
    const pull = new Float64Array(32);
    for (const p of picks) {
      for (let g = 0; g < 32; g++)
        if ((data.genres[p] as number) & (1 << g)) pull[g] = (pull[g] as number) + 1;
    }
    for (let g = 0; g < 32; g++) {
      const share = (pull[g] as number) / picks.length;
      pull[g] = options.genreWeight * share ** options.genreAgree * (data.genreIdf[g] as number);
    }
    for (let j = 0; j < n; j++) {
      if (scores[j] === 0) continue;
      let sum = 0;
      for (let g = 0; g < 32; g++)
        if ((data.genres[j] as number) & (1 << g)) sum += pull[g] as number;
      scores[j] = (scores[j] as number) * Math.exp(sum);
    }
  }
  if (options.seriesBoost > 0) {
    const pickSeries = new Set(picks.map((p) => data.series[p] as number).filter((s) => s >= 0));
    let best = 0;
    const members: number[] = [];
    for (let j = 0; j < n; j++) {
      if (scores[j] === 0 || pickSet.has(j)) continue;
      if ((scores[j] as number) > best) best = scores[j] as number;
      const raters = index.raterCount(j);
      if (pickSeries.has(data.series[j] as number) && raters >= options.seriesMinRaters)
        members.push(j);
    }
    members.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
    for (const j of members.slice(0, options.seriesSlots)) {
      const raters = (index.byItem.ptr[j + 1] as number) - (index.byItem.ptr[j] as number);
      const likeRate = ((data.table.likes[j] as number) + 1) / (raters + 2);
      scores[j] = (scores[j] as number) + options.seriesBoost * best * likeRate;
    }
  }
  return scores;
}

/**
 * The first row where the two differ in any bit (so +0 and −0 differ, and NaN equals NaN), or -1;
 * a null on one side only differs at row 0.
 */
export function firstBitDifference(a: Float64Array | null, b: Float64Array | null): number {
  if (a === null || b === null) return a === b ? -1 : 0;
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new BigInt64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigInt64Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}
