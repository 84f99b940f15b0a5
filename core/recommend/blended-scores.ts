import type { ItemNeighbourTable } from "./item-neighbours.ts";
import {
  DEFAULT_NEIGHBOUR_OPTIONS,
  maxOutsideBoth,
  type NeighbourOptions,
  scoreDefault,
} from "./liked-neighbours.ts";
import type { RatingIndex } from "./rating-index.ts";
import { scratchFloat64 } from "./scratch.ts";

/**
 * The default strategy's score: specific to the picks and still accurate (issue 10).
 *
 *   score(j) = w · items(j) / max + (1 − w) · users(j) / max          both parts scaled to [0, 1]
 *            × exp(g · Σ_{genres γ of j} share(γ)^a · idf(γ))         genre coherence
 *            + s · best · likeRate(j)                                  the picks' series, best 2
 *
 * items(j) sums the precomputed item-neighbour similarities of the picks (item-neighbours.ts): what
 * the likers of each pick liked, normalised for popularity, so sequels and same-maker films lead.
 * users(j) is the neighbour method (liked-neighbours.ts): what the users who share the picks liked,
 * which carries the recall on held-out likes. share(γ) is the fraction of picks with genre γ; the
 * power a makes picks that agree (three documentaries) pull hard and a mixed set barely; idf makes a
 * rare genre (Documentary, Western) say more than Drama. A movie of a pick's series (series.ts,
 * from titles) with evidence in either part gets a bonus in proportion to its like rate, so Toy
 * Story 2 comes first and a sequel its raters disliked does not. docs/recommender-experiments.md
 * has the measurements behind every constant.
 */
export interface BlendOptions {
  /** w: weight of the item-neighbour part; 1 − w goes to the user-neighbour part. */
  itemWeight: number;
  /** g: strength of the genre coherence factor; 0 ignores genres. */
  genreWeight: number;
  /** a: power on the share of picks with a genre. */
  genreAgree: number;
  /** s: series bonus, in units of the best score times the movie's like rate; 0 ignores series. */
  seriesBoost: number;
  /** How many movies of the picks' series get the bonus (the best-scored first). */
  seriesSlots: number;
  neighbours: NeighbourOptions;
}

// Chosen on seeds 42,1,2,3 and the fan suite, confirmed on seeds 5–12 (docs/recommender-experiments.md).
export const DEFAULT_BLEND_OPTIONS: BlendOptions = {
  itemWeight: 0.3,
  genreWeight: 0.6,
  genreAgree: 4,
  seriesBoost: 2,
  seriesSlots: 2,
  neighbours: DEFAULT_NEIGHBOUR_OPTIONS,
};

/** What the scorer reads besides the picks; every array is per item row of `index`. */
export interface BlendData {
  index: RatingIndex;
  table: ItemNeighbourTable;
  /** Series id per item row, -1 for none (series.ts). */
  series: Int32Array;
  /** Genre bit set per item row (genreBits). */
  genres: Uint32Array;
  /** ln(items / items with the genre), per genre bit. */
  genreIdf: Float64Array;
}

/** `out`, when given, is zeroed and returned instead of a new array. */
export function scoreBlended(
  data: BlendData,
  pickRows: readonly number[],
  options: BlendOptions = DEFAULT_BLEND_OPTIONS,
  out?: Float64Array,
): Float64Array | null {
  const { index, table } = data;
  const n = index.items.length;
  const picks = [...new Set(pickRows)].filter((r) => r >= 0 && r < n);
  if (picks.length === 0) return null;
  const pickSet = new Set(picks);
  const items = out ? out.fill(0) : new Float64Array(n);
  for (const p of picks) {
    for (let e = table.ptr[p] as number; e < (table.ptr[p + 1] as number); e++) {
      const j = table.cols[e] as number;
      items[j] = (items[j] as number) + (table.sims[e] as number);
    }
  }
  // The user part never leaves this function: a work array reused across requests (scratch.ts).
  const users =
    options.itemWeight < 1
      ? scoreDefault(index, picks, options.neighbours, scratchFloat64("blend.users", n))
      : null;
  const [itemMax, userMax] = maxOutsideBoth(items, users, pickSet);
  if (itemMax === 0 && userMax === 0) return null;
  const wI = itemMax > 0 ? options.itemWeight / itemMax : 0;
  const wU = users && userMax > 0 ? (1 - options.itemWeight) / userMax : 0;
  const scores = items; // reused in place
  if (users) {
    for (let j = 0; j < n; j++) scores[j] = wI * (items[j] as number) + wU * (users[j] as number);
  } else {
    for (let j = 0; j < n; j++) scores[j] = wI * (items[j] as number) + 0;
  }
  if (options.genreWeight > 0) applyGenreCoherence(data, picks, scores, options);
  if (options.seriesBoost > 0) boostSeries(data, picks, scores, options);
  return scores;
}

function applyGenreCoherence(
  data: BlendData,
  picks: readonly number[],
  scores: Float64Array,
  options: BlendOptions,
): void {
  const pull = new Float64Array(32);
  for (const p of picks) {
    const bits = data.genres[p] as number;
    for (let g = 0; g < 32; g++) if (bits & (1 << g)) pull[g] = (pull[g] as number) + 1;
  }
  for (let g = 0; g < 32; g++) {
    const share = (pull[g] as number) / picks.length;
    pull[g] = options.genreWeight * share ** options.genreAgree * (data.genreIdf[g] as number);
  }
  // Movies share a few hundred genre combinations: each combination's factor is computed once,
  // then every movie reads its own by index (a Map look-up per movie cost more than the rest).
  const { comboOf, combos } = genreCombos(data.genres);
  const factors = new Float64Array(combos.length);
  for (let c = 0; c < combos.length; c++) {
    const bits = combos[c] as number;
    let sum = 0;
    for (let g = 0; g < 32; g++) if (bits & (1 << g)) sum += pull[g] as number;
    factors[c] = Math.exp(sum);
  }
  for (let j = 0; j < scores.length; j++) {
    if (scores[j] === 0) continue;
    scores[j] = (scores[j] as number) * (factors[comboOf[j] as number] as number);
  }
}

/** Each item row's genre combination, numbered; computed once per genre table (per thread). */
const combosOf = new WeakMap<Uint32Array, { comboOf: Int32Array; combos: Uint32Array }>();
function genreCombos(genres: Uint32Array): { comboOf: Int32Array; combos: Uint32Array } {
  let found = combosOf.get(genres);
  if (!found) {
    const numbers = new Map<number, number>();
    const comboOf = new Int32Array(genres.length);
    for (let j = 0; j < genres.length; j++) {
      const bits = genres[j] as number;
      let c = numbers.get(bits);
      if (c === undefined) {
        c = numbers.size;
        numbers.set(bits, c);
      }
      comboOf[j] = c;
    }
    found = { comboOf, combos: Uint32Array.from(numbers.keys()) };
    combosOf.set(genres, found);
  }
  return found;
}

function boostSeries(
  data: BlendData,
  picks: readonly number[],
  scores: Float64Array,
  options: BlendOptions,
): void {
  const pickSeries = new Set(picks.map((p) => data.series[p] as number).filter((s) => s >= 0));
  if (pickSeries.size === 0) return;
  const pickSet = new Set(picks);
  let best = 0;
  const members: number[] = [];
  for (let j = 0; j < scores.length; j++) {
    // A zero score neither raises the best nor makes a member: skipped before the Set look-ups.
    if (scores[j] === 0 || pickSet.has(j)) continue;
    if ((scores[j] as number) > best) best = scores[j] as number;
    if (pickSeries.has(data.series[j] as number)) members.push(j);
  }
  members.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  for (const j of members.slice(0, options.seriesSlots)) {
    const raters = data.index.raterCount(j);
    const likeRate = ((data.table.likes[j] as number) + 1) / (raters + 2);
    scores[j] = (scores[j] as number) + options.seriesBoost * best * likeRate;
  }
}

/** Genre bit sets per item row (at most 32 genres; MovieLens has 20) and each genre's idf. */
export function genreBits(
  itemIds: Int32Array,
  genresOf: (movieId: number) => readonly string[] | undefined,
): { genres: Uint32Array; genreIdf: Float64Array } {
  const vocabulary = new Map<string, number>();
  const genres = new Uint32Array(itemIds.length);
  const count = new Float64Array(32);
  for (let r = 0; r < itemIds.length; r++) {
    let bits = 0;
    for (const genre of genresOf(itemIds[r] as number) ?? []) {
      if (genre === "(no genres listed)") continue;
      let g = vocabulary.get(genre);
      if (g === undefined) {
        if (vocabulary.size >= 32) continue;
        g = vocabulary.size;
        vocabulary.set(genre, g);
      }
      if (!(bits & (1 << g))) count[g] = (count[g] as number) + 1;
      bits |= 1 << g;
    }
    genres[r] = bits >>> 0;
  }
  const genreIdf = count.map((c) => (c === 0 ? 0 : Math.log(itemIds.length / c)));
  return { genres, genreIdf };
}
