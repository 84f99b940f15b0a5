import { likedReasons } from "./liked-neighbours.ts";
import type { RatingIndex } from "./rating-index.ts";

/** Why a movie was recommended, in item rows of the rating index. */
export interface RowReasons {
  /** The picks that explain it best, strongest first (at most `max`). */
  because: number[];
  /** A pick of the same series, or -1. */
  series: number;
  /** Share (0..1) of the people who liked because[0] who also liked the movie; null without one. */
  lovedShare: number | null;
}

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
  const own = series ? (series[row] as number) : -1;
  const sameSeries = own < 0 ? -1 : (pickRows.find((p) => series?.[p] === own) ?? -1);
  const because =
    sameSeries >= 0 ? [sameSeries, ...ranked.filter((p) => p !== sameSeries)] : ranked;
  const first = because[0];
  return {
    because: because.slice(0, max),
    series: sameSeries,
    lovedShare: first === undefined ? null : sharedLikers(index, first, row) / likers(index, first),
  };
}

function likers(index: RatingIndex, row: number): number {
  const { ptr } = index.likedByItem;
  return Math.max(1, (ptr[row + 1] as number) - (ptr[row] as number));
}

/** Users who liked both rows: a merge of two ascending lists. */
function sharedLikers(index: RatingIndex, a: number, b: number): number {
  const { ptr, cols } = index.likedByItem;
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
