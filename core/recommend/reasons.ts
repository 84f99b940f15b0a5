import { likedReasons, sharedLikers } from "./liked-neighbours.ts";
import type { RatingIndex } from "./rating-index.ts";
import { scratchUint32 } from "./scratch.ts";

/** Why a movie was recommended, in item rows of the rating index. */
export interface RowReasons {
  /** The picks that explain it best, strongest first (at most `max`). */
  because: number[];
  /** A pick of the same series, or -1. */
  series: number;
  /** Share (0..1) of the people who liked because[0] who also liked the movie; null without one. */
  lovedShare: number | null;
}

/** Picks beyond this are explained one merge per pick and row (explainRow); a mask bit each below. */
const MASK_BITS = 32;

/**
 * The picks behind a recommendation: a pick of the same series first (the strongest reason a fan
 * understands), then the picks whose likers overlap most with the movie's (likedReasons), and the
 * share of the first one's likers who liked the movie too. That share differs from card to card
 * even with a single pick ("Loved by 64 % of people who liked Heat").
 */
export function explainRow(
  index: RatingIndex,
  series: Int32Array | null,
  row: number,
  pickRows: readonly number[],
  max: number,
): RowReasons {
  const ranked = likedReasons(index, row, pickRows, pickRows.length);
  return reasonsFrom(index, series, row, pickRows, ranked, max, (first) =>
    sharedLikers(index, first, row),
  );
}

/**
 * explainRow for every row of an answer in one pass over the likers: each user who liked a pick
 * gets a bit per pick, then each row's likers are read once. The merge explainRow does costs
 * (row's likers + pick's likers) per pick and row: at 25M ratings, 10 answers × 5 blockbuster
 * picks were 4M steps where this is 600k. Same answers, to the bit (a test compares them).
 */
export function explainRows(
  index: RatingIndex,
  series: Int32Array | null,
  rows: readonly number[],
  pickRows: readonly number[],
  max: number,
): RowReasons[] {
  const picks = [...new Set(pickRows)].filter((p) => p >= 0 && p < index.items.length);
  if (picks.length > MASK_BITS) {
    return rows.map((row) => explainRow(index, series, row, pickRows, max));
  }
  const size = (i: number) => index.likerCount(i);
  // The base's likers, then the members' (RatingIndex.members), if any.
  const segments = index.members
    ? [index.likedByItem, index.members.likedByItem]
    : [index.likedByItem];
  // Zeroed after use, so the next answer on this thread finds it clean.
  const mask = scratchUint32("reasons.mask", index.users.length);
  picks.forEach((p, bit) => {
    for (const { ptr, cols } of segments) {
      // Bounds in locals, as in co-watched.ts: V8 re-reads them at every step otherwise.
      const end = ptr[p + 1] as number;
      for (let e = ptr[p] as number; e < end; e++) {
        const u = cols[e] as number;
        mask[u] = (mask[u] as number) | (1 << bit);
      }
    }
  });
  const shared = new Int32Array(picks.length);
  const byMask = picks.length <= MASK_COUNT_BITS ? maskCounts.subarray(0, 2 << picks.length) : null;
  const answers = rows.map((row) => {
    shared.fill(0);
    for (const { ptr, cols } of segments) {
      if (byMask) countByMask(mask, ptr, cols, row, byMask);
      else countBits(mask, ptr, cols, row, shared);
    }
    if (byMask) addMaskCounts(byMask, shared);
    // likedReasons' ranking: the cosine of the two sets of likers, ties to the lower row.
    const scored: { row: number; cosine: number }[] = [];
    if (size(row) > 0) {
      picks.forEach((p, bit) => {
        const both = shared[bit] as number;
        if (both > 0) scored.push({ row: p, cosine: both / Math.sqrt(size(row) * size(p)) });
      });
    }
    const ranked = scored
      .sort((x, y) => y.cosine - x.cosine || x.row - y.row)
      .slice(0, pickRows.length)
      .map((s) => s.row);
    return reasonsFrom(index, series, row, pickRows, ranked, max, (first) => {
      const bit = picks.indexOf(first);
      return bit < 0 ? 0 : (shared[bit] as number);
    });
  });
  mask.fill(0);
  return answers;
}

/** Picks up to which a row's likers are counted per mask (countByMask): 2^5 counts. */
const MASK_COUNT_BITS = 5;
const maskCounts = new Int32Array(2 << MASK_COUNT_BITS);

/**
 * How many of the row's likers have each mask, into `counts`: one count per liker, where counting
 * each of a liker's bits loops as many times as it has (0 for most), a branch mispredicted often.
 */
function countByMask(
  mask: Uint32Array,
  ptr: Int32Array,
  cols: Int32Array,
  row: number,
  counts: Int32Array,
): void {
  const end = ptr[row + 1] as number;
  const half = counts.length >> 1;
  let e = ptr[row] as number;
  for (; e + 1 < end; e += 2) {
    const a = mask[cols[e] as number] as number;
    const b = (mask[cols[e + 1] as number] as number) + half;
    counts[a] = (counts[a] as number) + 1;
    counts[b] = (counts[b] as number) + 1;
  }
  if (e < end) {
    const a = mask[cols[e] as number] as number;
    counts[a] = (counts[a] as number) + 1;
  }
}

/** Each mask's count added to its picks' (its bits'), the counts zeroed for the next row. */
function addMaskCounts(counts: Int32Array, shared: Int32Array): void {
  const half = counts.length >> 1;
  for (let v = 1; v < half; v++) {
    const c = (counts[v] as number) + (counts[v + half] as number);
    if (c === 0) continue;
    for (let m = v; m !== 0; m &= m - 1) {
      const bit = 31 - Math.clz32(m & -m);
      shared[bit] = (shared[bit] as number) + c;
    }
  }
  counts.fill(0);
}

/** Each of the row's likers added to the picks it liked (its mask's bits). */
function countBits(
  mask: Uint32Array,
  ptr: Int32Array,
  cols: Int32Array,
  row: number,
  shared: Int32Array,
): void {
  const end = ptr[row + 1] as number;
  for (let e = ptr[row] as number; e < end; e++) {
    // Only the set bits: a blockbuster's likers mostly liked one or two of the picks.
    for (let m = mask[cols[e] as number] as number; m !== 0; m &= m - 1) {
      const bit = 31 - Math.clz32(m & -m);
      shared[bit] = (shared[bit] as number) + 1;
    }
  }
}

function reasonsFrom(
  index: RatingIndex,
  series: Int32Array | null,
  row: number,
  pickRows: readonly number[],
  ranked: number[],
  max: number,
  likedBoth: (pick: number) => number,
): RowReasons {
  const own = series ? (series[row] as number) : -1;
  const sameSeries = own < 0 ? -1 : (pickRows.find((p) => series?.[p] === own) ?? -1);
  const because =
    sameSeries >= 0 ? [sameSeries, ...ranked.filter((p) => p !== sameSeries)] : ranked;
  const first = because[0];
  return {
    because: because.slice(0, max),
    series: sameSeries,
    lovedShare: first === undefined ? null : likedBoth(first) / likers(index, first),
  };
}

function likers(index: RatingIndex, row: number): number {
  return Math.max(1, index.likerCount(row));
}
