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
 * A pick whose walk covers at least this many ratings per item row is counted densely: how many
 * of its sampled raters rated each item, a Uint16 per item row, kept for the next request that
 * picks it (PICK_COUNTS_BYTES). People pick the films they know, and those are the big walks, so
 * they recur. Found kept, a pick costs one pass over the item rows instead of its walk; not found,
 * its walk plus that pass, so a small walk is cheaper done afresh. On ml-latest-small (9.7k
 * movies; paired in process against the plain walk, 3,000 liked sets) a threshold of 1, 1.5, 2
 * and 3 left co-watched at 0.64, 0.59, 0.57 and 0.58 of its median time: at 2, the ~800 picks
 * whose raters hold 19.4k ratings or more, all of which fit. At 25M ratings (62k movies) no pick
 * qualifies, as MAX_RATINGS_PER_PICK caps every walk at 100k: 16 MB would keep ~135 of the
 * thousands of capped picks there, and at a threshold of 1 the measured hit rate of 10 % made
 * co-watched 50 % slower (median 1.0 → 1.5 ms per request).
 */
export const DENSE_WALK_PER_ITEM = 2;

/**
 * Bytes of kept counts per thread (module state is per worker thread; the server runs two
 * recommend threads), least recently used dropped first: 2 bytes per item row and pick, so
 * 16 MB keeps ~860 picks of ml-latest-small's 9.7k movies.
 */
export const PICK_COUNTS_BYTES = 16 * 1024 * 1024;

/** One pick's counts: how many of its `sampled` raters rated each item row. */
interface PickCounts {
  owner: Map<number, PickCounts>;
  pick: number;
  maxRaters: number;
  maxRatings: number;
  sampled: number;
  counts: Uint16Array;
}

/**
 * Kept counts per index: a new index (members folded in at a refresh) starts with none, and its
 * predecessor's are never read again (they leave `recent` as the least recently used). `recent`
 * orders every index's entries for eviction, oldest first, so the bound holds across indexes.
 */
const keptByIndex = new WeakMap<RatingIndex, Map<number, PickCounts>>();
const recent = new Set<PickCounts>();
let keptBytes = 0;
let budget = PICK_COUNTS_BYTES;
let hits = 0;
let misses = 0;

/** What this thread keeps now, and how often a densely counted pick was found kept or not. */
export function keptPickCounts(): { picks: number; bytes: number; hits: number; misses: number } {
  return { picks: recent.size, bytes: keptBytes, hits, misses };
}

/** This thread's bound on kept bytes (PICK_COUNTS_BYTES unless set): tests set a small one. */
export function keepPickCountsWithin(bytes: number): void {
  budget = bytes;
  for (const oldest of recent) {
    if (keptBytes <= budget) break;
    drop(oldest);
  }
}

/** Drops every kept count of this thread. */
export function forgetPickCounts(): void {
  for (const entry of recent) entry.owner.delete(entry.pick);
  recent.clear();
  keptBytes = 0;
  hits = 0;
  misses = 0;
}

/** A pick's kept counts under these caps, now the most recently used; counts under others go. */
function keptCounts(
  index: RatingIndex,
  pick: number,
  maxRaters: number,
  maxRatings: number,
): PickCounts | undefined {
  const entry = keptByIndex.get(index)?.get(pick);
  if (!entry) return undefined;
  if (entry.maxRaters !== maxRaters || entry.maxRatings !== maxRatings) {
    drop(entry);
    return undefined;
  }
  recent.delete(entry);
  recent.add(entry);
  return entry;
}

/**
 * A zeroed Uint16Array of `n` for a pick about to be counted, room made for it among the kept:
 * the least recently used entries go, and the last one of `n` is reused (allocating a 19 KB
 * array took 14 µs, zeroing one 0.4 µs).
 */
function countsFor(n: number): Uint16Array {
  const bytes = 2 * n;
  let reused: Uint16Array | null = null;
  for (const oldest of recent) {
    if (keptBytes + bytes <= budget) break;
    drop(oldest);
    if (oldest.counts.length === n) reused = oldest.counts;
  }
  return reused ? reused.fill(0) : new Uint16Array(n);
}

/** Keeps a pick's counts, room made by countsFor. */
function keep(index: RatingIndex, entry: Omit<PickCounts, "owner">): void {
  const bytes = entry.counts.byteLength;
  if (keptBytes + bytes > budget) return;
  let owner = keptByIndex.get(index);
  if (!owner) {
    owner = new Map();
    keptByIndex.set(index, owner);
  }
  const kept = { ...entry, owner };
  owner.set(entry.pick, kept);
  recent.add(kept);
  keptBytes += bytes;
}

function drop(entry: PickCounts): void {
  entry.owner.delete(entry.pick);
  recent.delete(entry);
  keptBytes -= entry.counts.byteLength;
}

/**
 * Σ over picks of P(rated i | rated pick): of the people who rated (watched) a pick, the share who
 * also rated i, whatever the rating. It sees what neighbours by likes miss: films watched together,
 * the pool the held-out likes are drawn from. Per item row; the picks themselves score too (the
 * caller excludes them). `out`, when given, is zeroed and filled instead of a new array.
 *
 * A pick with a big walk (DENSE_WALK_PER_ITEM) adds counts[i] · share, its counts kept for the
 * next request; a small one adds share per rating as it walks. Which way a pick goes depends on
 * the pick alone, never on what is kept, so an answer is the same to the bit whether its counts
 * were kept or counted now (and the same on every thread).
 */
export function coWatchedScores(
  index: RatingIndex,
  pickRows: readonly number[],
  maxRaters = MAX_RATERS_PER_PICK,
  maxRatings = MAX_RATINGS_PER_PICK,
  out?: Float64Array,
): Float64Array {
  const { byItem, byUser, members, baseUsers } = index;
  const n = index.items.length;
  // Members (RatingIndex.members) rate after the base's raters: a pick's raters are the base's
  // row, then the members' row, as one list; a user's ratings are in one or the other.
  const memberItems = members?.byItem ?? EMPTY_ROWS;
  const memberUsers = members?.byUser ?? EMPTY_ROWS;
  const scores = out ?? new Float64Array(n);
  // Densely counted picks wait here and are added together, in pick order, by one pass over the
  // item rows (`dense.flush`), the first one written rather than added to a zeroed array: 2.1 of
  // the bench's 3.1 picks per request are dense, each a pass of its own before.
  const dense = new DenseCounts(scores, out === undefined);
  for (const pick of new Set(pickRows)) {
    if (pick < 0 || pick >= n) continue;
    const kept = keptCounts(index, pick, maxRaters, maxRatings);
    if (kept) {
      hits++;
      dense.add(kept.counts, 1 / kept.sampled);
      continue;
    }
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
    // Uint16 counts hold up to 65,535 raters of an item (one rating per user and item);
    // MAX_RATERS_PER_PICK keeps `sampled` far below that.
    const isDense = Math.min(walk, maxRatings) >= DENSE_WALK_PER_ITEM * n && sampled <= 0xffff;
    // What waits is added first: the walk adds to the scores as it goes, and countsFor may hand
    // over a waiting pick's array.
    dense.flush();
    const counts = isDense ? countsFor(n) : null;
    for (let s = 0; s < sampled; s++) {
      const u = raterAt(Math.floor(s * step));
      const rows = u < baseUsers ? byUser : memberUsers;
      const r = u < baseUsers ? u : u - baseUsers;
      const cols = rows.cols;
      // The walk's inner loops, a third of a recommendation's CPU: their bound is read once here.
      // V8 cannot hoist it itself (a store to a typed array may alias any other), so it re-read
      // ptr[r + 1] at every rating (co-watched alone 91 → 80 µs per request on ml-latest-small).
      // Written out here: as a function called per rater, the same loop took twice as long.
      const end = rows.ptr[r + 1] as number;
      if (counts) {
        for (let e = rows.ptr[r] as number; e < end; e++) {
          const item = cols[e] as number;
          counts[item] = (counts[item] as number) + 1;
        }
      } else {
        for (let e = rows.ptr[r] as number; e < end; e++) {
          const item = cols[e] as number;
          scores[item] = (scores[item] as number) + share;
        }
      }
    }
    if (counts) {
      misses++;
      dense.add(counts, share);
      keep(index, { pick, maxRaters, maxRatings, sampled, counts });
    }
  }
  dense.flush();
  return scores;
}

/**
 * Densely counted picks' contributions, counts[i] · share each, added to the scores in the order
 * they came, up to three in one pass over the item rows. Until something is added the scores are
 * taken as zero and written instead (zeroed first if a walk comes before): 0 + x is x for the
 * x ≥ 0 a count times a share is, so the sums are the same to the bit as one pass per pick over
 * a zeroed array. The same whether a pick's counts were kept or just counted.
 */
class DenseCounts {
  private readonly counts: Uint16Array[] = [];
  private readonly shares: number[] = [];
  /** Whether the scores are still to be taken as zero (not written yet). */
  private untouched = true;
  private readonly scores: Float64Array;
  /** Whether the scores already hold zeros (a new array). */
  private readonly zero: boolean;

  constructor(scores: Float64Array, zero: boolean) {
    this.scores = scores;
    this.zero = zero;
  }

  add(counts: Uint16Array, share: number): void {
    this.counts.push(counts);
    this.shares.push(share);
  }

  /** Adds what waits; afterwards the scores hold every pick so far (zeros if none). */
  flush(): void {
    const { counts, shares, scores } = this;
    let at = 0;
    while (at < counts.length) {
      const take = Math.min(3, counts.length - at);
      const a = counts[at] as Uint16Array;
      const sa = shares[at] as number;
      if (take === 1) {
        if (this.untouched) writeCounts1(scores, a, sa);
        else addCounts1(scores, a, sa);
      } else {
        const b = counts[at + 1] as Uint16Array;
        const sb = shares[at + 1] as number;
        if (take === 2) {
          if (this.untouched) writeCounts2(scores, a, sa, b, sb);
          else addCounts2(scores, a, sa, b, sb);
        } else {
          const c = counts[at + 2] as Uint16Array;
          const sc = shares[at + 2] as number;
          if (this.untouched) writeCounts3(scores, a, sa, b, sb, c, sc);
          else addCounts3(scores, a, sa, b, sb, c, sc);
        }
      }
      this.untouched = false;
      at += take;
    }
    counts.length = 0;
    shares.length = 0;
    if (this.untouched && !this.zero) scores.fill(0);
    this.untouched = false;
  }
}

// One function per case, each a single loop V8 optimises on its own (see blended-scores.ts).
function writeCounts1(s: Float64Array, a: Uint16Array, sa: number): void {
  const n = a.length;
  for (let i = 0; i < n; i++) s[i] = (a[i] as number) * sa;
}
function addCounts1(s: Float64Array, a: Uint16Array, sa: number): void {
  const n = a.length;
  for (let i = 0; i < n; i++) s[i] = (s[i] as number) + (a[i] as number) * sa;
}
function writeCounts2(s: Float64Array, a: Uint16Array, sa: number, b: Uint16Array, sb: number) {
  const n = a.length;
  for (let i = 0; i < n; i++) s[i] = (a[i] as number) * sa + (b[i] as number) * sb;
}
function addCounts2(s: Float64Array, a: Uint16Array, sa: number, b: Uint16Array, sb: number) {
  const n = a.length;
  for (let i = 0; i < n; i++)
    s[i] = (s[i] as number) + (a[i] as number) * sa + (b[i] as number) * sb;
}
function writeCounts3(
  s: Float64Array,
  a: Uint16Array,
  sa: number,
  b: Uint16Array,
  sb: number,
  c: Uint16Array,
  sc: number,
): void {
  const n = a.length;
  for (let i = 0; i < n; i++) {
    s[i] = (a[i] as number) * sa + (b[i] as number) * sb + (c[i] as number) * sc;
  }
}
function addCounts3(
  s: Float64Array,
  a: Uint16Array,
  sa: number,
  b: Uint16Array,
  sb: number,
  c: Uint16Array,
  sc: number,
): void {
  const n = a.length;
  for (let i = 0; i < n; i++) {
    s[i] = (s[i] as number) + (a[i] as number) * sa + (b[i] as number) * sb + (c[i] as number) * sc;
  }
}
