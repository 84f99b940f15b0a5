import { LIKED_THRESHOLD, type Ratings } from "../catalog/ratings.ts";
import {
  POPULAR_MIN_MEAN,
  POPULAR_MIN_RATINGS,
  POPULAR_PRIOR_RATINGS,
  type PopularMovie,
} from "../recommend/popular.ts";
import {
  EMPTY_ROWS,
  type MemberRows,
  type RatingIndex,
  type SparseRows,
} from "../recommend/rating-index.ts";
import type { MemberRating } from "./member-ratings.ts";

/**
 * Members' likes as raters after the base index's own (RatingIndex.members): the base is kept as
 * it is, and these few entries ride beside it, so an index with members costs a few MB instead of
 * a second copy of the base's arrays (600 MB at 25M ratings), and is built in milliseconds.
 * Members are new users with ids above every MovieLens id, so their rows go last and, in each
 * movie's raters, after every MovieLens rater: base then members reads each row as the full build
 * from the ratings orders it. Null when that does not hold (a member liked a movie nobody rated,
 * so the movie rows change, or the base already has such user ids): the caller then folds
 * through the full build.
 */
export function memberRowsOf(base: RatingIndex, rows: readonly MemberRating[]): MemberRows | null {
  if (!fitsBeside(base, rows)) return null;
  const baseUsers = base.baseUsers;
  // Rows come ordered by user, then movie (memberRatings): one new user row per distinct user.
  const ids: number[] = [];
  const byUserAdds: Add[] = [];
  for (const rating of rows) {
    const item = base.items.rowOf(rating.movieId);
    if (ids[ids.length - 1] !== rating.userId) ids.push(rating.userId);
    byUserAdds.push({ row: ids.length - 1, col: item, value: rating.rating_im });
  }
  byUserAdds.sort((a, b) => a.row - b.row || a.col - b.col);
  const byItemAdds = byUserAdds
    .map((add) => ({ row: add.col, col: baseUsers + add.row, value: add.value }))
    .sort((a, b) => a.row - b.row || a.col - b.col);
  const liked = (adds: Add[]) => adds.filter((add) => add.value >= LIKED_THRESHOLD);
  return {
    ids: Int32Array.from(ids),
    byUser: sparseRows(ids.length, byUserAdds),
    likedByUser: sparseRows(ids.length, liked(byUserAdds)),
    byItem: sparseRows(base.items.length, byItemAdds),
    likedByItem: sparseRows(base.items.length, liked(byItemAdds)),
  };
}

/**
 * Whether `rows` can ride beside `base` (memberRowsOf): every movie has a row in it, and every
 * member's id is above its users' (so their rows come after). A pass over the rows, no more.
 */
export function fitsBeside(base: RatingIndex, rows: readonly MemberRating[]): boolean {
  const baseUsers = base.baseUsers;
  const firstMember = rows[0]?.userId;
  if (firstMember !== undefined && baseUsers > 0) {
    if ((base.users.ids[baseUsers - 1] as number) >= firstMember) return false;
  }
  return rows.every((rating) => base.items.rowOf(rating.movieId) >= 0);
}

/** Flat ratings with the members' rows after MovieLens's: the input of a full index build. */
export function withMemberRatings(ratings: Ratings, rows: readonly MemberRating[]): Ratings {
  const length = ratings.length + rows.length;
  const userIds = new Int32Array(length);
  const movieIds = new Int32Array(length);
  const values = new Float32Array(length);
  userIds.set(ratings.userIds);
  movieIds.set(ratings.movieIds);
  values.set(ratings.values);
  for (const [i, row] of rows.entries()) {
    userIds[ratings.length + i] = row.userId;
    movieIds[ratings.length + i] = row.movieId;
    values[ratings.length + i] = row.rating_im;
  }
  return { length, userIds, movieIds, values };
}

/**
 * popularMovies over the index's movie rows instead of flat ratings (which a snapshot's index
 * would have to rebuild first: two 100 MB arrays at 25M ratings). Same rule, same order. With
 * members, the sums are those a full build's rows give (the base's ratings, then the members'),
 * the base's part summed once per base index (baseSums) so a refresh costs a pass over the movies.
 */
export function popularOfIndex(index: RatingIndex): PopularMovie[] {
  const base = baseSums(index);
  const members = index.members?.byItem ?? EMPTY_ROWS;
  const memberItems = members.ptr.length - 1;
  let memberTotal = 0;
  let exact = base.exact;
  for (const v of members.values) {
    memberTotal += v;
    if (!Number.isInteger(v * EXACT_UNIT)) exact = false;
  }
  const count = index.byItem.values.length + members.values.length;
  // The full build sums every rating in row order, the members' after the base's in each row. In
  // exact arithmetic (BaseSums.exact) the base's total plus the members' is that sum to the bit.
  const total =
    members.values.length === 0
      ? base.total
      : exact && base.total + memberTotal < EXACT_TOTAL
        ? base.total + memberTotal
        : orderedTotal(index);
  const prior = count === 0 ? 0 : total / count;
  const m = POPULAR_PRIOR_RATINGS;
  const out: PopularMovie[] = [];
  for (let item = 0; item < index.items.length; item++) {
    const n = index.raterCount(item);
    if (n < POPULAR_MIN_RATINGS) continue;
    let sum = base.sums[item] as number;
    if (item < memberItems) {
      for (let e = members.ptr[item] as number; e < (members.ptr[item + 1] as number); e++)
        sum += members.values[e] as number;
    }
    const mean = sum / n;
    // Float32 ratings: 0.8 is stored as 0.800000011…, as in popularMovies.
    if (mean < POPULAR_MIN_MEAN - 1e-6) continue;
    const movieId = index.items.ids[item] as number;
    out.push({ movieId, ratingCount: n, meanRating: mean, score: (sum + m * prior) / (n + m) });
  }
  return out.sort(
    (a, b) => b.score - a.score || b.ratingCount - a.ratingCount || a.movieId - b.movieId,
  );
}

interface BaseSums {
  /** Per item row, the sum of its ratings in row order. */
  sums: Float64Array;
  /** Every rating summed in row order. */
  total: number;
  /**
   * Whether every partial sum is exact: each rating a multiple of 2^-27 (a Float32 of at least
   * 1/16, as every rating_im of 0.1 to 1 is) and the total below 2^26 (EXACT_TOTAL), so 53 bits
   * hold every partial sum. Then the order of the additions cannot change the total.
   */
  exact: boolean;
}

const baseSumsOf = new WeakMap<Float32Array, BaseSums>();
function baseSums(index: RatingIndex): BaseSums {
  const { ptr, values } = index.byItem;
  let found = baseSumsOf.get(values);
  if (!found) {
    const sums = new Float64Array(index.items.length);
    let total = 0;
    let exact = true;
    for (let item = 0; item < sums.length; item++) {
      let sum = 0;
      for (let e = ptr[item] as number; e < (ptr[item + 1] as number); e++) {
        const v = values[e] as number;
        sum += v;
        total += v;
        if (!Number.isInteger(v * EXACT_UNIT)) exact = false;
      }
      sums[item] = sum;
    }
    found = { sums, total, exact: exact && total < EXACT_TOTAL };
    baseSumsOf.set(values, found);
  }
  return found;
}

const EXACT_UNIT = 2 ** 27;
const EXACT_TOTAL = 2 ** 26;

/** Every rating summed in a full build's order: each movie's base raters, then its members. */
function orderedTotal(index: RatingIndex): number {
  const { ptr, values } = index.byItem;
  const members = index.members?.byItem ?? EMPTY_ROWS;
  let total = 0;
  for (let item = 0; item < index.items.length; item++) {
    for (let e = ptr[item] as number; e < (ptr[item + 1] as number); e++)
      total += values[e] as number;
    if (item + 1 < members.ptr.length) {
      for (let e = members.ptr[item] as number; e < (members.ptr[item + 1] as number); e++)
        total += members.values[e] as number;
    }
  }
  return total;
}

interface Add {
  row: number;
  col: number;
  value: number;
}

/** Compressed sparse rows of `rowCount` rows from `adds` ordered by row, then column. */
function sparseRows(rowCount: number, adds: readonly Add[]): SparseRows {
  const ptr = new Int32Array(rowCount + 1);
  const cols = new Int32Array(adds.length);
  const values = new Float32Array(adds.length);
  for (const [at, add] of adds.entries()) {
    ptr[add.row + 1] = (ptr[add.row + 1] as number) + 1;
    cols[at] = add.col;
    values[at] = add.value;
  }
  for (let r = 0; r < rowCount; r++) ptr[r + 1] = (ptr[r + 1] as number) + (ptr[r] as number);
  return { ptr, cols, values };
}
