import {
  type BlendData,
  type BlendOptions,
  type BlendParts,
  blendParts,
  boostSeries,
  finishBlend,
  genreCombos,
  genreFactors,
  partMaxima,
  seriesRows,
} from "./blended-scores.ts";
import type { ItemNeighbourTable } from "./item-neighbours.ts";
import { defaultScore } from "./liked-neighbours.ts";
import { reusedFloat64 } from "./scratch.ts";
import { TopRows, topN } from "./top-n.ts";

/** The best rows of a blend, best first, and their scores. */
export interface TopBlended {
  rows: number[];
  scores: number[];
}

/**
 * topN(scoreBlended(…), n, row ⇒ score is 0 or skip(row)), the same rows and scores to the bit.
 * When every term of every score is non-negative and finite, with both user parts and finite
 * genre factors (the default options on MovieLens), approximateTop answers, with topN's pass
 * fused into the blend's and without a division per row; otherwise scoreBlended's steps then
 * topN do.
 */
export function topBlended(
  data: BlendData,
  pickRows: readonly number[],
  options: BlendOptions,
  n: number,
  skip: (row: number) => boolean,
  out?: Float64Array,
): TopBlended | null {
  const parts = blendParts(data, pickRows, options, out, false);
  if (!parts) return null;
  const factors = options.genreWeight > 0 ? genreFactors(data, parts.picks, options) : null;
  // approximateTop's candidates for the best user part, found in the pass that finds the maxima.
  const userRows =
    factors?.finite && Number.isInteger(n) && approximable(data, parts, options)
      ? maximaAndCandidates(parts, options.neighbours.coWatched)
      : null;
  if (!userRows) partMaxima(parts);
  if (factors && userRows && bounded(parts)) {
    return approximateTop(data, parts, options, factors.factors, n, skip, userRows);
  }
  const scores = finishBlend(data, parts, options, factors);
  if (!scores) return null;
  const rows = topN(scores, n, (row) => scores[row] === 0 || skip(row));
  return { rows, scores: rows.map((row) => scores[row] as number) };
}

/**
 * topN's answer over the final scores (`scores` holds them for these rows): the rows kept before
 * the series bonus and those it raised. The bonus raises at most seriesSlots rows and lowers none,
 * so the best n after it are among those. n + seriesSlots are kept, not n, so that this holds even
 * when a raised score stops counting (raised to exactly 0 or past the largest double): at least n
 * of the rows kept above any other row still are.
 */
function chooseBest(
  kept: readonly number[],
  raised: readonly number[],
  scores: Float64Array,
  n: number,
  skip: (row: number) => boolean,
): TopBlended {
  const candidates = [...kept];
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
 * Whether every term of every score is non-negative and finite, the premise of approximateTop's
 * bound, as far as known before the maxima (with bounded, after them).
 */
function approximable(data: BlendData, parts: BlendParts, options: BlendOptions): boolean {
  const w = options.itemWeight;
  const coWeight = options.neighbours.coWatched;
  return (
    parts.neighbours !== null &&
    parts.co !== null &&
    Number.isFinite(parts.itemMax) &&
    w >= 0 &&
    w < 1 &&
    coWeight >= 0 &&
    Number.isFinite(coWeight) &&
    options.seriesBoost >= 0 &&
    Number.isInteger(options.seriesSlots) &&
    options.seriesSlots >= 0 &&
    nonNegativeSims(data.table)
  );
}

/** The rest of approximateTop's premise, once the maxima are known. */
function bounded(parts: BlendParts): boolean {
  const { nbMax, coMax } = parts;
  return nbMax > 0 && coMax > 0 && Number.isFinite(nbMax) && Number.isFinite(coMax);
}

/** What an approximate user part must reach, with the maxima so far, to be a candidate. */
const USER_FLOOR = 1 - 1e-9;

/**
 * partMaxima, and in the same pass the rows that can hold the best user part. That best is at
 * least 1 (the row of the best neighbour part scores nbMax / nbMax = 1, plus a co-watched part of
 * at least 0), and a row's user part only falls as the maxima it is divided by grow: a row whose
 * part, approximated with the maxima so far, falls short of 1 by more than the approximation's
 * error cannot hold it.
 */
function maximaAndCandidates(parts: BlendParts, coWeight: number): number[] {
  const nb = parts.neighbours as Float64Array;
  const co = parts.co as Float64Array;
  const candidates: number[] = [];
  const length = nb.length;
  let nbMax = 0;
  let coMax = 0;
  let rNb = 0;
  let kCo = 0;
  for (
    let j = maximaUntil(nb, co, 0, nbMax, coMax, rNb, kCo);
    j < length;
    j = maximaUntil(nb, co, j + 1, nbMax, coMax, rNb, kCo)
  ) {
    const u = nb[j] as number;
    const c = co[j] as number;
    if (u > nbMax) {
      nbMax = u;
      rNb = 1 / u;
    }
    if (c > coMax) {
      coMax = c;
      kCo = coWeight * (1 / c);
    }
    if (u * rNb + c * kCo >= USER_FLOOR) candidates.push(j);
  }
  parts.nbMax = nbMax;
  parts.coMax = coMax;
  return candidates;
}

/**
 * The first row from `from` on that raises a maximum or may be a candidate (maximaAndCandidates),
 * or the length. A loop of its own, with no call in it, as approximateUntil.
 */
function maximaUntil(
  nb: Float64Array,
  co: Float64Array,
  from: number,
  nbMax: number,
  coMax: number,
  rNb: number,
  kCo: number,
): number {
  const length = nb.length;
  let j = from;
  for (; j < length; j++) {
    const u = nb[j] as number;
    const c = co[j] as number;
    if (u > nbMax || c > coMax || u * rNb + c * kCo >= USER_FLOOR) break;
  }
  return j;
}

const checkedSims = new WeakMap<ItemNeighbourTable, boolean>();
function nonNegativeSims(table: ItemNeighbourTable): boolean {
  let ok = checkedSims.get(table);
  if (ok === undefined) {
    ok = table.sims.every((s) => s >= 0 && Number.isFinite(s));
    checkedSims.set(table, ok);
  }
  return ok;
}

/** Within the margin below `x`: what an approximate value must beat to be computed exactly. */
function below(x: number): number {
  return x > 1e-200 ? x * (1 - 1e-9) : Number.NEGATIVE_INFINITY;
}

/**
 * The usual case without a division per row. scoreDefault's formula divides each row's two user
 * parts by their best values, and those divisions were the costliest part of the passes. Here
 * each row is first scored approximately, the divisions replaced by products with reciprocals:
 * the approximate score differs from the exact one by a few units in the last place, relatively
 * (every term is non-negative and finite: under 1e-15, against a margin of 1e-9). Only the rows
 * that could matter are scored exactly, with blend's operations in its order: those within the
 * margin of the best user part so far (for the scaling), of the best score so far (for the series
 * bonus) and of the floor of the rows kept; and the picks' series for the bonus.
 */
function approximateTop(
  data: BlendData,
  parts: BlendParts,
  options: BlendOptions,
  factors: Float64Array,
  n: number,
  skip: (row: number) => boolean,
  userRows: readonly number[],
): TopBlended | null {
  const { picks, items, itemMax, nbMax, coMax } = parts;
  const nb = parts.neighbours as Float64Array;
  const co = parts.co as Float64Array;
  const coWeight = options.neighbours.coWatched;
  const rNb = 1 / nbMax;
  const kCo = coWeight * (1 / coMax);
  let userMax = 0;
  for (const j of userRows) {
    const u = defaultScore(nb[j] as number, co[j] as number, nbMax, coMax, coWeight);
    if (u > userMax) userMax = u;
  }
  if (itemMax === 0 && userMax === 0) return null;
  const wI = itemMax > 0 ? options.itemWeight / itemMax : 0;
  const wU = userMax > 0 ? (1 - options.itemWeight) / userMax : 0;
  const { comboOf } = genreCombos(data.genres);
  // blend's score of a row; 0 for a pick (its parts are zeroed).
  const exact = (j: number) =>
    (wI * (items[j] as number) +
      wU * defaultScore(nb[j] as number, co[j] as number, nbMax, coMax, coWeight)) *
    (factors[comboOf[j] as number] as number);
  const top = new TopRows(n + options.seriesSlots);
  const length = items.length;
  const bestRows: number[] = [];
  let best = 0;
  let bestLow = 0;
  let floorLow = below(top.floor);
  for (
    let j = approximateUntil(
      items,
      nb,
      co,
      comboOf,
      factors,
      wI,
      wU,
      rNb,
      kCo,
      0,
      floorLow,
      bestLow,
    );
    j < length;
    j = approximateUntil(
      items,
      nb,
      co,
      comboOf,
      factors,
      wI,
      wU,
      rNb,
      kCo,
      j + 1,
      floorLow,
      bestLow,
    )
  ) {
    const s = approximate(items, nb, co, comboOf, factors, wI, wU, rNb, kCo, j);
    if (s > bestLow) {
      bestRows.push(j);
      if (s > best) {
        best = s;
        bestLow = below(s);
      }
    }
    if (s > floorLow) {
      const score = exact(j);
      if (score > top.floor && score !== Number.POSITIVE_INFINITY && score !== 0 && !skip(j)) {
        top.offer(j, score);
        floorLow = below(top.floor);
      }
    }
  }
  let bestScore = 0;
  for (const j of bestRows) {
    const s = exact(j);
    if (s > bestScore) bestScore = s;
  }
  // The exact scores of the rows read from here on: those kept, and the picks' series.
  const scores = reusedFloat64("blend.exact", length);
  for (const j of top.rows) scores[j] = exact(j);
  for (const p of picks) scores[p] = 0;
  const { ptr, rows } = seriesRows(data.series);
  for (const p of picks) {
    const s = data.series[p] as number;
    if (s < 0) continue;
    for (let e = ptr[s] as number; e < (ptr[s + 1] as number); e++) {
      const j = rows[e] as number;
      scores[j] = exact(j);
    }
  }
  const raised =
    options.seriesBoost > 0 ? boostSeries(data, picks, bestScore, scores, options) : [];
  return chooseBest(top.rows, raised, scores, n, skip);
}

/** A row's approximate score: blend's, with the reciprocals in place of the divisions. */
function approximate(
  items: Float64Array,
  nb: Float64Array,
  co: Float64Array,
  comboOf: Int32Array,
  factors: Float64Array,
  wI: number,
  wU: number,
  rNb: number,
  kCo: number,
  j: number,
): number {
  const u = (nb[j] as number) * rNb + (co[j] as number) * kCo;
  return (wI * (items[j] as number) + wU * u) * (factors[comboOf[j] as number] as number);
}

/**
 * The first row from `from` on whose approximate score beats `floorLow` or `bestLow`, or the
 * length. A loop of its own, with no call in it (as topN's nextAbove): a call in the loop made V8
 * reload every array's bounds at every row.
 */
function approximateUntil(
  items: Float64Array,
  nb: Float64Array,
  co: Float64Array,
  comboOf: Int32Array,
  factors: Float64Array,
  wI: number,
  wU: number,
  rNb: number,
  kCo: number,
  from: number,
  floorLow: number,
  bestLow: number,
): number {
  const low = Math.min(floorLow, bestLow);
  const length = items.length;
  let j = from;
  for (; j < length; j++) {
    const u = (nb[j] as number) * rNb + (co[j] as number) * kCo;
    const s = (wI * (items[j] as number) + wU * u) * (factors[comboOf[j] as number] as number);
    if (s > low) break;
  }
  return j;
}
