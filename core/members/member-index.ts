import { LIKED_THRESHOLD, type Ratings } from "../catalog/ratings.ts";
import {
  POPULAR_MIN_MEAN,
  POPULAR_MIN_RATINGS,
  POPULAR_PRIOR_RATINGS,
  type PopularMovie,
} from "../recommend/popular.ts";
import {
  RatingIndex,
  type Sections,
  type SparseRows,
  sharedFloat32,
  sharedInt32,
} from "../recommend/rating-index.ts";
import type { MemberRating } from "./member-ratings.ts";

/**
 * The base rating index with members' likes added, built by copying the base's rows and appending
 * the members' entries, without rebuilding it from flat ratings. At 25M ratings a rebuild sorts
 * 25M triples and holds three times the index in temporary arrays; this holds the new index only.
 * Members are new users with ids above every MovieLens id, so their rows go last and, in each
 * movie's row, after every MovieLens rater: the rows stay sorted as the full build leaves them.
 * Null when that does not hold (a member liked a movie nobody rated, so the movie rows change, or
 * the base already has such user ids): the caller then folds through the full build.
 */
export function appendMemberRatings(
  base: RatingIndex,
  rows: readonly MemberRating[],
): RatingIndex | null {
  const oldUsers = base.users.ids;
  const firstMember = rows[0]?.userId;
  if (firstMember === undefined) return base;
  if (oldUsers.length > 0 && (oldUsers[oldUsers.length - 1] as number) >= firstMember) return null;
  // Rows come ordered by user, then movie (memberRatings): one new user row per distinct user.
  const memberIds: number[] = [];
  const byUserAdds: Add[] = [];
  const byItemAdds: Add[] = [];
  for (const rating of rows) {
    const item = base.items.rowOf(rating.movieId);
    if (item < 0) return null;
    if (memberIds[memberIds.length - 1] !== rating.userId) memberIds.push(rating.userId);
    const user = oldUsers.length + memberIds.length - 1;
    byUserAdds.push({ row: user, col: item, value: rating.rating_im });
    byItemAdds.push({ row: item, col: user, value: rating.rating_im });
  }
  byItemAdds.sort((a, b) => a.row - b.row || a.col - b.col);
  const userCount = oldUsers.length + memberIds.length;
  const users = sharedInt32(userCount);
  users.set(oldUsers);
  users.set(memberIds, oldUsers.length);
  const liked = (adds: Add[]) => adds.filter((add) => add.value >= LIKED_THRESHOLD);
  const sections: Sections = { "users.ids": users, "items.ids": base.items.ids };
  const put = (name: string, rows: SparseRows) => {
    sections[`${name}.ptr`] = rows.ptr;
    sections[`${name}.cols`] = rows.cols;
    sections[`${name}.values`] = rows.values;
  };
  put("byUser", appended(base.byUser, userCount, byUserAdds));
  put("likedByUser", appended(base.likedByUser, userCount, liked(byUserAdds)));
  put("byItem", appended(base.byItem, base.items.length, byItemAdds));
  put("likedByItem", appended(base.likedByItem, base.items.length, liked(byItemAdds)));
  return new RatingIndex(sections);
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
 * would have to rebuild first: two 100 MB arrays at 25M ratings). Same rule, same order.
 */
export function popularOfIndex(index: RatingIndex): PopularMovie[] {
  const { ptr, values } = index.byItem;
  let total = 0;
  for (const v of values) total += v;
  const prior = values.length === 0 ? 0 : total / values.length;
  const m = POPULAR_PRIOR_RATINGS;
  const out: PopularMovie[] = [];
  for (let item = 0; item < index.items.length; item++) {
    const from = ptr[item] as number;
    const n = (ptr[item + 1] as number) - from;
    if (n < POPULAR_MIN_RATINGS) continue;
    let sum = 0;
    for (let e = from; e < from + n; e++) sum += values[e] as number;
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

interface Add {
  row: number;
  col: number;
  value: number;
}

/**
 * `source` with `adds` (ordered by row, then column) after each row's own entries, over `rowCount`
 * rows (the source's and new ones). Each row's block is copied whole.
 */
function appended(source: SparseRows, rowCount: number, adds: readonly Add[]): SparseRows {
  const oldRows = source.ptr.length - 1;
  const ptr = sharedInt32(rowCount + 1);
  const cols = sharedInt32(source.cols.length + adds.length);
  const values = sharedFloat32(source.cols.length + adds.length);
  let at = 0;
  let next = 0;
  for (let r = 0; r < rowCount; r++) {
    if (r < oldRows) {
      const from = source.ptr[r] as number;
      const to = source.ptr[r + 1] as number;
      cols.set(source.cols.subarray(from, to), at);
      values.set(source.values.subarray(from, to), at);
      at += to - from;
    }
    for (; next < adds.length && (adds[next] as Add).row === r; next++) {
      cols[at] = (adds[next] as Add).col;
      values[at] = (adds[next] as Add).value;
      at++;
    }
    ptr[r + 1] = at;
  }
  return { ptr, cols, values };
}
