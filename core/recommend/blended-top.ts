import {
  type BlendData,
  type BlendOptions,
  blendParts,
  boostSeries,
  finishBlend,
  genreCombos,
  genreFactors,
  scaleUsers,
} from "./blended-scores.ts";
import { TopRows, topN } from "./top-n.ts";

/** The best rows of a blend, best first, and their scores. */
export interface TopBlended {
  rows: number[];
  scores: number[];
}

/**
 * topN(scoreBlended(…), n, row ⇒ score is 0 or skip(row)), the same rows and scores to the bit,
 * with topN's pass over every row fused into the blend's. The blend keeps the best rows as it
 * goes; the series bonus then raises at most seriesSlots rows and lowers none, so the best n
 * after it are among those kept and those raised. n + seriesSlots are kept, not n, so that this
 * holds even when a raised score stops counting (raised to exactly 0 or past the largest double):
 * at least n of the rows kept above any other row still are.
 *
 * The usual case only (both user parts, finite genre factors, a bonus that lowers nothing):
 * otherwise scoreBlended then topN answer.
 */
export function topBlended(
  data: BlendData,
  pickRows: readonly number[],
  options: BlendOptions,
  n: number,
  skip: (row: number) => boolean,
  out?: Float64Array,
): TopBlended | null {
  const parts = blendParts(data, pickRows, options, out);
  if (!parts) return null;
  const factors = options.genreWeight > 0 ? genreFactors(data, parts.picks, options) : null;
  const { picks, items, neighbours, co, itemMax, nbMax, coMax } = parts;
  const usual =
    neighbours !== null &&
    (nbMax > 0 || coMax > 0) &&
    factors?.finite === true &&
    options.seriesBoost >= 0 &&
    Number.isInteger(options.seriesSlots) &&
    options.seriesSlots >= 0 &&
    Number.isInteger(n);
  if (!usual || !factors || !neighbours) {
    const scores = finishBlend(data, parts, options, factors);
    if (!scores) return null;
    const rows = topN(scores, n, (row) => scores[row] === 0 || skip(row));
    return { rows, scores: rows.map((row) => scores[row] as number) };
  }
  // finishBlend's steps in its order, the picks' own rows left out: topN skips them (they are
  // liked), and the series bonus reads only rows outside them.
  const users = neighbours;
  const userMax = scaleUsers(users, co, nbMax, coMax, options.neighbours.coWatched);
  if (itemMax === 0 && userMax === 0) return null;
  const wI = itemMax > 0 ? options.itemWeight / itemMax : 0;
  const wU = userMax > 0 ? (1 - options.itemWeight) / userMax : 0;
  const { comboOf } = genreCombos(data.genres);
  const top = new TopRows(n + options.seriesSlots);
  const best = blendTop(items, users, wI, wU, factors.factors, comboOf, top, skip);
  const scores = items; // blended in place
  const raised = options.seriesBoost > 0 ? boostSeries(data, picks, best, scores, options) : [];
  const candidates = [...top.rows];
  for (const row of raised) if (!candidates.includes(row) && !skip(row)) candidates.push(row);
  // topN's order over the final scores: score descending, ties to the lower row.
  const chosen = candidates
    .filter((row) => eligible(scores[row] as number))
    .sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b)
    .slice(0, Math.max(0, n));
  return { rows: chosen, scores: chosen.map((row) => scores[row] as number) };
}

/** A score topN takes: not zero (personal's skip), neither infinite nor NaN. */
function eligible(score: number): boolean {
  return score > Number.NEGATIVE_INFINITY && score !== Number.POSITIVE_INFINITY && score !== 0;
}

/**
 * blend's finite case (wI · items + wU · users, times the genre factor, in place of `items`;
 * returns the best score), each row beating `top`'s floor offered as topN would.
 */
function blendTop(
  items: Float64Array,
  users: Float64Array,
  wI: number,
  wU: number,
  factors: Float64Array,
  comboOf: Int32Array,
  top: TopRows,
  skip: (row: number) => boolean,
): number {
  blendBest[0] = 0;
  let floor = top.floor;
  const length = items.length;
  for (
    let j = blendUntil(items, users, wI, wU, factors, comboOf, 0, floor);
    j < length;
    j = blendUntil(items, users, wI, wU, factors, comboOf, j + 1, floor)
  ) {
    const score = items[j] as number;
    if (score !== Number.POSITIVE_INFINITY && score !== 0 && !skip(j)) {
      top.offer(j, score);
      floor = top.floor;
    }
  }
  return blendBest[0] as number;
}

/** The best score blendUntil has met, kept between its calls. */
const blendBest = new Float64Array(1);

/**
 * Blends rows from `from` on up to the first whose score beats `floor` (returned; the length when
 * none does). A loop of its own, with no call in it, as topN's nextAbove: with the offer in the
 * same loop, V8 reloaded every array's bounds at every row and the pass took three times as long.
 */
function blendUntil(
  items: Float64Array,
  users: Float64Array,
  wI: number,
  wU: number,
  factors: Float64Array,
  comboOf: Int32Array,
  from: number,
  floor: number,
): number {
  let best = blendBest[0] as number;
  const length = items.length;
  let j = from;
  for (; j < length; j++) {
    const score =
      (wI * (items[j] as number) + wU * (users[j] as number)) *
      (factors[comboOf[j] as number] as number);
    items[j] = score;
    if (score > best) best = score;
    if (score > floor) break;
  }
  blendBest[0] = best;
  return j;
}
