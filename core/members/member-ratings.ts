import { createHash } from "node:crypto";
import { Catalog } from "../catalog/catalog.ts";
import type { MemberLike } from "./taste-store.ts";

/**
 * Members as raters: their likes join MovieLens's ratings under user ids of their own (far above
 * any MovieLens id, so the two never mix), each like a full-marks rating (rating_im 1.0). The
 * catalogue's checksum changes with the likes, so no cached model of plain MovieLens is reused.
 */
export const MEMBER_USER_BASE = 1_000_000_000;

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
    values[at] = 1;
    hash.update(`${like.member}:${like.movieId};`);
  }
  return new Catalog(catalog.movies, { length, userIds, movieIds, values }, hash.digest("hex"));
}
