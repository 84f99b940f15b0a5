import { LIKED_THRESHOLD, type Ratings } from "../catalog/ratings.ts";

/** How many of the most-liked movies count as "the head" for popularity bias. */
export const HEAD_SIZE = 50;

/** The `n` movieIds with the most likes (rating_im >= 0.8); ties to the lower id. */
export function mostLiked(ratings: Ratings, n = HEAD_SIZE): Set<number> {
  const likes = new Map<number, number>();
  for (let i = 0; i < ratings.length; i++) {
    if ((ratings.values[i] as number) < LIKED_THRESHOLD) continue;
    const id = ratings.movieIds[i] as number;
    likes.set(id, (likes.get(id) ?? 0) + 1);
  }
  return new Set(
    [...likes]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, n)
      .map(([id]) => id),
  );
}

/**
 * Popularity bias: the share of all recommended slots that go to `head` (the catalogue's most-liked
 * movies). A list of the MovieLens top 50 scores 1; a recommender that knows what was picked, low.
 */
export function popularityBias(
  lists: readonly (readonly number[])[],
  head: ReadonlySet<number>,
): number {
  let slots = 0;
  let inHead = 0;
  for (const list of lists) {
    for (const id of list) {
      slots++;
      if (head.has(id)) inHead++;
    }
  }
  return slots === 0 ? 0 : inHead / slots;
}

/** Catalogue coverage: distinct movies recommended over all lists / catalogue size. */
export function coverage(lists: readonly (readonly number[])[], catalogueSize: number): number {
  const seen = new Set<number>();
  for (const list of lists) for (const id of list) seen.add(id);
  return catalogueSize === 0 ? 0 : seen.size / catalogueSize;
}
