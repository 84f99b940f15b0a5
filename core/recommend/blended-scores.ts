import type { ItemNeighbourTable } from "./item-neighbours.ts";
import {
  DEFAULT_NEIGHBOUR_OPTIONS,
  defaultParts,
  defaultScore,
  type NeighbourOptions,
} from "./liked-neighbours.ts";
import type { RatingIndex } from "./rating-index.ts";
import { reusedFloat64 } from "./scratch.ts";

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
  /**
   * Raters a movie of the picks' series needs for the bonus: a like rate from a couple of ratings
   * (a box set's two) says little, and its bonus put The Godfather Trilogy box set first for The
   * Godfather and Part II.
   */
  seriesMinRaters: number;
  neighbours: NeighbourOptions;
}

// Chosen on seeds 42,1,2,3 and the fan suite, confirmed on seeds 5–12 (docs/recommender-experiments.md).
export const DEFAULT_BLEND_OPTIONS: BlendOptions = {
  itemWeight: 0.3,
  genreWeight: 0.6,
  genreAgree: 4,
  seriesBoost: 2,
  seriesSlots: 2,
  seriesMinRaters: 10,
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
  const parts = blendParts(data, pickRows, options, out);
  return parts ? finishBlend(data, parts, options) : null;
}

/**
 * The blend's parts before their scaling, the picks' rows set aside and zeroed (`saved`: item,
 * neighbour and co-watched value per pick), with each part's best value outside the picks.
 */
export interface BlendParts {
  picks: number[];
  /** The item part; blended in place into the scores by finishBlend. */
  items: Float64Array;
  neighbours: Float64Array | null;
  co: Float64Array | null;
  saved: Float64Array;
  itemMax: number;
  nbMax: number;
  coMax: number;
}

/**
 * scoreBlended's first steps: null when no pick is an item row. Without `withMaxima`, nbMax and
 * coMax are left at 0 for the caller to set (partMaxima, or a pass of its own).
 */
export function blendParts(
  data: BlendData,
  pickRows: readonly number[],
  options: BlendOptions,
  out?: Float64Array,
  withMaxima = true,
): BlendParts | null {
  const { index, table } = data;
  const n = index.items.length;
  const picks = [...new Set(pickRows)].filter((r) => r >= 0 && r < n);
  if (picks.length === 0) return null;
  const items = out ? out.fill(0) : new Float64Array(n);
  for (const p of picks) {
    for (let e = table.ptr[p] as number; e < (table.ptr[p + 1] as number); e++) {
      const j = table.cols[e] as number;
      items[j] = (items[j] as number) + (table.sims[e] as number);
    }
  }
  // The user part never leaves this function: a work array reused across requests (scratch.ts),
  // zeroed by scoreByLikedNeighbours.
  const users =
    options.itemWeight < 1
      ? defaultParts(index, picks, options.neighbours, reusedFloat64("blend.users", n))
      : null;
  const neighbours = users?.neighbours ?? null;
  const co = users?.coWatched ?? null;
  // Every step below was a pass over all item rows (62k at 25M ratings); they are fused into
  // three, computing the same operations in the same order as the plain steps (scoreDefault, the
  // two maxima outside the picks, the blend, the genre factor, the best score for the series
  // bonus): same scores to the bit, which tests/core/recommend/blended-scores.test.ts checks against a plain version. The
  // picks' rows are set aside and zeroed meanwhile, so no pass looks a row up in a Set: a zero row
  // raises no maximum and blends to 0, the best score outside the picks.
  const saved = new Float64Array(picks.length * 3);
  picks.forEach((p, k) => {
    saved[3 * k] = items[p] as number;
    items[p] = 0;
    if (neighbours) {
      saved[3 * k + 1] = neighbours[p] as number;
      neighbours[p] = 0;
    }
    if (co) {
      saved[3 * k + 2] = co[p] as number;
      co[p] = 0;
    }
  });
  // Each pass is a function of its own: V8 optimises a function called per request as a whole,
  // where one long function with several loops ran on on-stack replacement and deoptimised.
  const itemMax = itemMaxOf(items, table, picks);
  const parts = { picks, items, neighbours, co, saved, itemMax, nbMax: 0, coMax: 0 };
  if (withMaxima) partMaxima(parts);
  return parts;
}

/** Sets the parts' nbMax and coMax: each user part's best value outside the picks. */
export function partMaxima(parts: BlendParts): void {
  if (!parts.neighbours) return;
  maxima(parts.neighbours, parts.co);
  parts.nbMax = partMax[0] as number;
  parts.coMax = partMax[1] as number;
}

/**
 * scoreBlended's remaining steps over its parts: the scaling, the blend, the picks' own rows and
 * the series bonus. `factors`, when given, are genreFactors' for these picks and options.
 */
export function finishBlend(
  data: BlendData,
  parts: BlendParts,
  options: BlendOptions,
  factors: GenreFactors | null = options.genreWeight > 0
    ? genreFactors(data, parts.picks, options)
    : null,
): Float64Array | null {
  const { picks, items, neighbours, co, saved, itemMax, nbMax, coMax } = parts;
  // scoreDefault answers null when neither of its parts scores outside the picks.
  const users = neighbours && (nbMax > 0 || coMax > 0) ? neighbours : null;
  const coWeight = options.neighbours.coWatched;
  const userMax = users ? scaleUsers(users, co, nbMax, coMax, coWeight) : 0;
  if (itemMax === 0 && userMax === 0) return null;
  const wI = itemMax > 0 ? options.itemWeight / itemMax : 0;
  const wU = users && userMax > 0 ? (1 - options.itemWeight) / userMax : 0;
  const { comboOf } = genreCombos(data.genres);
  const best = blend(items, users, wI, wU, factors, comboOf);
  const scores = items; // blended in place
  // The picks' own rows, as the plain steps leave them.
  picks.forEach((p, k) => {
    const item = saved[3 * k] as number;
    let score = wI * item + 0;
    if (users) {
      const c = co ? (saved[3 * k + 2] as number) : 0;
      const user = defaultScore(saved[3 * k + 1] as number, c, nbMax, coMax, coWeight);
      users[p] = user;
      score = wI * item + wU * user;
    }
    if (factors && score !== 0) score *= factors.factors[comboOf[p] as number] as number;
    scores[p] = score;
  });
  if (options.seriesBoost > 0) boostSeries(data, picks, best, scores, options);
  return scores;
}

/**
 * The best item part outside the picks (whose rows are zeroed): the item part is 0 but on the
 * picks' neighbour rows, so only those are read, not every row (each pass over the rows is about
 * 2 ns a row, read from memory more than computed).
 */
function itemMaxOf(
  items: Float64Array,
  table: ItemNeighbourTable,
  picks: readonly number[],
): number {
  let itemMax = 0;
  for (const p of picks) {
    const end = table.ptr[p + 1] as number;
    for (let e = table.ptr[p] as number; e < end; e++) {
      const i = items[table.cols[e] as number] as number;
      if (i > itemMax) itemMax = i;
    }
  }
  return itemMax;
}

/** maxima's answer: the best neighbour part, then the best co-watched part. */
const partMax = new Float64Array(2);

/** The best value of each array (0 for an absent one), into partMax. */
function maxima(neighbours: Float64Array, co: Float64Array | null): void {
  let nbMax = 0;
  let coMax = 0;
  // The length in a local: read in the loop's test, it was re-read at every row (a typed array's
  // length is a load and a check), which made each of these passes about twice as long.
  const length = neighbours.length;
  if (co) {
    for (let j = 0; j < length; j++) {
      const u = neighbours[j] as number;
      const c = co[j] as number;
      if (u > nbMax) nbMax = u;
      if (c > coMax) coMax = c;
    }
  } else {
    for (let j = 0; j < length; j++) {
      const u = neighbours[j] as number;
      if (u > nbMax) nbMax = u;
    }
  }
  partMax[0] = nbMax;
  partMax[1] = coMax;
}

/** scoreDefault's score in place of the neighbour part, from the two parts; returns its best. */
function scaleUsers(
  users: Float64Array,
  co: Float64Array | null,
  nbMax: number,
  coMax: number,
  coWeight: number,
): number {
  let userMax = 0;
  const length = users.length; // in a local, as in maxima
  // One loop per case: V8 keeps a test that never changes inside the loop, at a cost per row.
  if (co) {
    for (let j = 0; j < length; j++) {
      const u = defaultScore(users[j] as number, co[j] as number, nbMax, coMax, coWeight);
      users[j] = u;
      if (u > userMax) userMax = u;
    }
  } else {
    for (let j = 0; j < length; j++) {
      const u = defaultScore(users[j] as number, 0, nbMax, coMax, coWeight);
      users[j] = u;
      if (u > userMax) userMax = u;
    }
  }
  return userMax;
}

/**
 * wI · items + wU · users, times the genre factor, in place of `items`; returns the best score.
 * A zero score stays as it is: × a finite factor that is still so, so the usual case needs no
 * test per row.
 */
function blend(
  items: Float64Array,
  users: Float64Array | null,
  wI: number,
  wU: number,
  genre: GenreFactors | null,
  comboOf: Int32Array,
): number {
  let best = 0;
  const length = items.length; // in a local, as in maxima
  if (users && genre?.finite) {
    const { factors } = genre;
    for (let j = 0; j < length; j++) {
      const score =
        (wI * (items[j] as number) + wU * (users[j] as number)) *
        (factors[comboOf[j] as number] as number);
      items[j] = score;
      if (score > best) best = score;
    }
    return best;
  }
  const factors = genre?.factors ?? null;
  for (let j = 0; j < length; j++) {
    let score = users
      ? wI * (items[j] as number) + wU * (users[j] as number)
      : wI * (items[j] as number) + 0;
    if (factors && score !== 0) score *= factors[comboOf[j] as number] as number;
    items[j] = score;
    if (score > best) best = score;
  }
  return best;
}

/**
 * exp(g · Σ_{genres γ} share(γ)^a · idf(γ)) per genre combination (genreCombos), as a work array
 * reused across requests. A genre no pick has adds exactly +0 to the sum when a > 0, so only the
 * combination's genres shared with the picks are summed (in the same ascending order), and a
 * combination sharing none has factor exp(0) = 1.
 */
export interface GenreFactors {
  /** Per genre combination. */
  factors: Float64Array;
  /** Whether every factor is finite (it is unless g is huge): then 0 × factor is 0. */
  finite: boolean;
}

export function genreFactors(
  data: BlendData,
  picks: readonly number[],
  options: BlendOptions,
): GenreFactors {
  // Reused: allocating a typed array took more than filling this one.
  const pull = genrePull.fill(0);
  let picked = 0;
  for (const p of picks) {
    const bits = data.genres[p] as number;
    picked |= bits;
    for (let g = 0; g < 32; g++) if (bits & (1 << g)) pull[g] = (pull[g] as number) + 1;
  }
  // With a > 0 only the picks' genres are read (the mask below): the others' powers, 26 of the
  // 32 on average, are not computed.
  const picksOnly = options.genreAgree > 0;
  for (let g = 0; g < 32; g++) {
    if (picksOnly && pull[g] === 0) continue;
    const share = (pull[g] as number) / picks.length;
    pull[g] = options.genreWeight * share ** options.genreAgree * (data.genreIdf[g] as number);
  }
  // 0 ** 0 is 1: with a = 0 every genre pulls.
  const mask = options.genreAgree > 0 ? picked : -1;
  const { combos } = genreCombos(data.genres);
  const factors = reusedFloat64("blend.genreFactors", combos.length);
  // A combination's factor depends only on the genres it shares with the picks, and the picks
  // have few (6 on average over the bench's sets) where ml-latest-small has 951 combinations:
  // each shared subset's factor is computed once (the exp and the loop over a combination's
  // genres were this function's 9 % of a recommendation). The sum is formed as below, in the same
  // order, so every factor is the same to the bit.
  const subsets = subsetsOf(mask);
  const finite = subsets
    ? factorsBySubset(combos, mask, pull, factors, subsets)
    : factorsByCombo(combos, mask, pull, factors);
  return { factors, finite };
}

/** Each combination's factor from its genres shared with the picks; whether all are finite. */
function factorsByCombo(
  combos: Uint32Array,
  mask: number,
  pull: Float64Array,
  factors: Float64Array,
): boolean {
  let finite = true;
  for (let c = 0; c < combos.length; c++) {
    const factor = factorOf(combos[c] as number, mask, pull);
    factors[c] = factor;
    if (!Number.isFinite(factor)) finite = false;
  }
  return finite;
}

function factorOf(combo: number, mask: number, pull: Float64Array): number {
  let sum = 0;
  for (let bits = combo & mask; bits !== 0; bits &= bits - 1) {
    sum += pull[31 - Math.clz32(bits & -bits)] as number;
  }
  return sum === 0 ? 1 : Math.exp(sum);
}

/** factorsByCombo, each subset of the picks' genres computed once (GenreSubsets). */
function factorsBySubset(
  combos: Uint32Array,
  mask: number,
  pull: Float64Array,
  factors: Float64Array,
  subsets: GenreSubsets,
): boolean {
  const { known, stamps, stamp } = subsets;
  // Every factor is one of the subsets' computed below (or the empty subset's 1), so they are
  // all finite when those are.
  let finite = true;
  const length = combos.length;
  for (
    let c = knownUntil(combos, mask, factors, subsets, 0);
    c < length;
    c = knownUntil(combos, mask, factors, subsets, c + 1)
  ) {
    const combo = combos[c] as number;
    const factor = factorOf(combo, mask, pull);
    const subset = subsetOf(combo & mask, subsets);
    known[subset] = factor;
    stamps[subset] = stamp;
    factors[c] = factor;
    if (!Number.isFinite(factor)) finite = false;
  }
  return finite;
}

/** The number of a subset of the picks' genres (GenreSubsets). */
function subsetOf(shared: number, subsets: GenreSubsets): number {
  return (
    (subsets.byte0[shared & 255] as number) |
    (subsets.byte1[(shared >>> 8) & 255] as number) |
    (subsets.byte2[(shared >>> 16) & 255] as number) |
    (subsets.byte3[shared >>> 24] as number)
  );
}

/**
 * Each combination's factor from `from` on while its subset's is known, into `factors`; returns
 * the first combination whose subset's is not (or the length). A loop of its own, with no call
 * in it: with factorOf called in the loop, V8 reloaded every array's bounds at every step.
 */
function knownUntil(
  combos: Uint32Array,
  mask: number,
  factors: Float64Array,
  subsets: GenreSubsets,
  from: number,
): number {
  const { byte0, byte1, byte2, byte3, known, stamps, stamp } = subsets;
  const length = combos.length;
  let c = from;
  for (; c < length; c++) {
    const shared = (combos[c] as number) & mask;
    const subset =
      (byte0[shared & 255] as number) |
      (byte1[(shared >>> 8) & 255] as number) |
      (byte2[(shared >>> 16) & 255] as number) |
      (byte3[shared >>> 24] as number);
    // The empty subset is known (factor 1), so one test, rarely failed, decides.
    if (stamps[subset] !== stamp) break;
    factors[c] = known[subset] as number;
  }
  return c;
}

/** Genres of the picks up to which genreFactors keeps each subset's factor: 2^12 entries. */
const SUBSET_GENRES = 12;

/**
 * The subsets of the picks' genres, numbered: bit r of a subset's number is the picks' r-th genre.
 * A combination's number is read from four tables of 256 (`byte0`…, one per byte of its genre
 * bits), not from a loop over its genres. An entry of `known` counts only when its stamp is this
 * request's, so nothing is cleared between requests. Per thread: 53 KB.
 */
class GenreSubsets {
  /** Each subset's factor, when its stamp is `stamp`. */
  readonly known = new Float64Array(1 << SUBSET_GENRES);
  readonly stamps = new Int32Array(1 << SUBSET_GENRES);
  stamp = 0;
  readonly byte0 = new Int32Array(256);
  readonly byte1 = new Int32Array(256);
  readonly byte2 = new Int32Array(256);
  readonly byte3 = new Int32Array(256);

  /** Ready for a request whose picks have the genres `mask`. */
  start(mask: number): void {
    this.stamp = this.stamp === 0x7fffffff ? 1 : this.stamp + 1;
    if (this.stamp === 1) this.stamps.fill(0);
    this.known[0] = 1;
    this.stamps[0] = this.stamp;
    // Each genre's bit in a subset's number: its rank among the picks' genres.
    const bitOf = genreBitOf.fill(0);
    for (let bits = mask, r = 0; bits !== 0; bits &= bits - 1, r++) {
      bitOf[31 - Math.clz32(bits & -bits)] = 1 << r;
    }
    numberSubsets(this.byte0, mask & 255, bitOf, 0);
    numberSubsets(this.byte1, (mask >>> 8) & 255, bitOf, 8);
    numberSubsets(this.byte2, (mask >>> 16) & 255, bitOf, 16);
    numberSubsets(this.byte3, mask >>> 24, bitOf, 24);
  }
}

/**
 * table[v] for every v within the byte `m` (the only entries read: a combination's bits are
 * masked first), in ascending order so that v without its lowest bit is already there.
 */
function numberSubsets(table: Int32Array, m: number, bitOf: Int32Array, shift: number): void {
  for (let v = m & -m; v !== 0; v = (v - m) & m) {
    const low = v & -v;
    table[v] = (table[v ^ low] as number) | (bitOf[shift + 31 - Math.clz32(low)] as number);
  }
}

const genrePull = new Float64Array(32);
const genreBitOf = new Int32Array(32);
const genreSubsets = new GenreSubsets();

/** This thread's GenreSubsets ready for `mask`, or null when the picks have too many genres. */
function subsetsOf(mask: number): GenreSubsets | null {
  let count = 0;
  for (let bits = mask; bits !== 0; bits &= bits - 1) count++;
  if (count > SUBSET_GENRES) return null;
  genreSubsets.start(mask);
  return genreSubsets;
}

/** Each item row's genre combination, numbered; computed once per genre table (per thread). */
const combosOf = new WeakMap<Uint32Array, { comboOf: Int32Array; combos: Uint32Array }>();
export function genreCombos(genres: Uint32Array): { comboOf: Int32Array; combos: Uint32Array } {
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

/** Item rows per series id (CSR), built once per series table (per thread). */
const rowsOf = new WeakMap<Int32Array, { ptr: Int32Array; rows: Int32Array }>();
export function seriesRows(series: Int32Array): { ptr: Int32Array; rows: Int32Array } {
  let found = rowsOf.get(series);
  if (!found) {
    let top = -1;
    for (const s of series) if (s > top) top = s;
    const ptr = new Int32Array(top + 2);
    for (const s of series) if (s >= 0) ptr[s + 1] = (ptr[s + 1] as number) + 1;
    for (let s = 0; s <= top; s++) ptr[s + 1] = (ptr[s + 1] as number) + (ptr[s] as number);
    const rows = new Int32Array(ptr[top + 1] as number);
    const next = ptr.slice(0, top + 1);
    series.forEach((s, j) => {
      if (s < 0) return;
      rows[next[s] as number] = j;
      next[s] = (next[s] as number) + 1;
    });
    found = { ptr, rows };
    rowsOf.set(series, found);
  }
  return found;
}

/**
 * The bonus for the movies of the picks' series with a score and `seriesMinRaters` raters,
 * outside the picks (the `seriesSlots` best-scored of them): s · best · likeRate, best being the
 * best score outside the picks. Read from each series' list of movies, not from a scan of every
 * row. Returns the rows it raised.
 */
export function boostSeries(
  data: BlendData,
  picks: readonly number[],
  best: number,
  scores: Float64Array,
  options: BlendOptions,
): number[] {
  const { ptr, rows } = seriesRows(data.series);
  const done: number[] = [];
  const members: number[] = [];
  for (const p of picks) {
    const s = data.series[p] as number;
    if (s < 0 || done.includes(s)) continue;
    done.push(s);
    for (let e = ptr[s] as number; e < (ptr[s + 1] as number); e++) {
      const j = rows[e] as number;
      if (scores[j] === 0 || picks.includes(j)) continue;
      if (data.index.raterCount(j) >= options.seriesMinRaters) members.push(j);
    }
  }
  if (members.length === 0) return members;
  members.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  const raised = members.slice(0, options.seriesSlots);
  for (const j of raised) {
    const raters = data.index.raterCount(j);
    const likeRate = ((data.table.likes[j] as number) + 1) / (raters + 2);
    scores[j] = (scores[j] as number) + options.seriesBoost * best * likeRate;
  }
  return raised;
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
