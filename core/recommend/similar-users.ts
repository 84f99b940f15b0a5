import type { RatingIndex } from "./rating-index.ts";

export interface SimilarUser {
  userId: number;
  /** Row in the rating index. */
  userRow: number;
  /** How many of the liked movies this user rated rating_im >= 0.8. */
  shared: number;
}

/**
 * Step 1 of the reference method: the top-k users who liked (rating_im >= 0.8) the most of the given
 * movies. Ties on `shared` go to the lower userId, so the result is deterministic and the SQL twin
 * (ORDER BY shared DESC, userId ASC LIMIT k) returns the same users.
 */
export function similarUsers(
  index: RatingIndex,
  likedItemRows: readonly number[],
  k: number,
): SimilarUser[] {
  // The base's likers, then the members' (RatingIndex.members), if any.
  const segments = index.members
    ? [index.likedByItem, index.members.likedByItem]
    : [index.likedByItem];
  // Two bytes per user: liked lists are capped at 25 well below 65535, and a fresh 324 KB array
  // at 162k users is cheaper than resetting a shared one.
  const shared = new Uint16Array(index.users.length);
  let maxShared = 0;
  for (const item of new Set(likedItemRows)) {
    if (item < 0 || item >= index.items.length) continue;
    for (const { ptr, cols } of segments) {
      for (let e = ptr[item] as number; e < (ptr[item + 1] as number); e++) {
        const u = cols[e] as number;
        const s = (shared[u] as number) + 1;
        shared[u] = s;
        if (s > maxShared) maxShared = s;
      }
    }
  }
  if (maxShared === 0 || k <= 0) return [];
  // Bucket by count: one ascending scan keeps each bucket in userId order without sorting.
  const buckets: number[][] = Array.from({ length: maxShared + 1 }, () => []);
  for (let u = 0; u < shared.length; u++) {
    const s = shared[u] as number;
    if (s > 0) buckets[s]?.push(u);
  }
  const out: SimilarUser[] = [];
  for (let s = maxShared; s > 0 && out.length < k; s--) {
    for (const u of buckets[s] ?? []) {
      if (out.length === k) break;
      out.push({ userId: index.users.ids[u] as number, userRow: u, shared: s });
    }
  }
  return out;
}
