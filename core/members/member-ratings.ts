import { createHash } from "node:crypto";
import { Catalog } from "../catalog/catalog.ts";
import type { MemberLike } from "./taste-store.ts";

/**
 * Members as raters: their likes join MovieLens's ratings under user ids of their own (far above
 * any MovieLens id, so the two never mix), each like a full-marks rating (rating_im 1.0). The
 * catalogue's checksum changes with the likes, so no cached model of plain MovieLens is reused.
 */
export const MEMBER_USER_BASE = 1_000_000_000;

/**
 * A like is five stars: rating_im = rating / 5 = 1.0, above the course's "liked" line (rating_im ≥
 * 0.8). Dislikes, seen and watchlist entries are not ratings: in implicit-feedback training any
 * row is an interaction, so a dislike stored as a low rating would still pull the film closer.
 */
export const LIKE_RATING_IM = 1;

/** One row of the ratings table (BigQuery's, or the embedded recommender's) for a member's like. */
export interface MemberRating {
  userId: number;
  movieId: number;
  rating_im: number;
}

/** The members' likes as ratings rows, each once, ordered by user then movie. */
export function memberRatings(likes: readonly MemberLike[]): MemberRating[] {
  const rows = new Map<string, MemberRating>();
  for (const like of likes) {
    if (!(like.member > 0 && like.member < MEMBER_USER_BASE && like.movieId > 0)) continue;
    const userId = MEMBER_USER_BASE + like.member;
    rows.set(`${userId}:${like.movieId}`, {
      userId,
      movieId: like.movieId,
      rating_im: LIKE_RATING_IM,
    });
  }
  return [...rows.values()].sort((a, b) => a.userId - b.userId || a.movieId - b.movieId);
}

/** The rows as CSV with a header line, the shape a BigQuery load job reads (numbers only). */
export function memberRatingsCsv(rows: readonly MemberRating[]): string {
  return ["userId,movieId,rating_im", ...rows.map((r) => `${r.userId},${r.movieId},${r.rating_im}`)]
    .join("\n")
    .concat("\n");
}

export function foldMemberLikes(catalog: Catalog, likes: readonly MemberLike[]): Catalog {
  const known = likes.filter(
    (like) => catalog.has(like.movieId) && like.member > 0 && like.member < MEMBER_USER_BASE,
  );
  const { ratings } = catalog;
  const length = ratings.length + known.length;
  const userIds = new Int32Array(length);
  const movieIds = new Int32Array(length);
  const values = new Float32Array(length);
  userIds.set(ratings.userIds);
  movieIds.set(ratings.movieIds);
  values.set(ratings.values);
  const hash = createHash("sha256").update(catalog.checksum);
  for (const [i, like] of known.entries()) {
    const at = ratings.length + i;
    userIds[at] = MEMBER_USER_BASE + like.member;
    movieIds[at] = like.movieId;
    values[at] = LIKE_RATING_IM;
    hash.update(`${like.member}:${like.movieId};`);
  }
  return new Catalog(catalog.movies, { length, userIds, movieIds, values }, hash.digest("hex"));
}
