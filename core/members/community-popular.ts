import type { ScoredMovie } from "../recommend/recommender.ts";
import type { CommunityLikes } from "./taste-store.ts";

/** A workspace's own popular list takes over once its members gave this many likes… */
export const COMMUNITY_MIN_LIKES = 20;
/** …from at least this many members (one enthusiast is not a community). */
export const COMMUNITY_MIN_MEMBERS = 5;

export interface CommunityPopular {
  items: ScoredMovie[];
  /** community: ranked by members' likes; blended: members' likes interleaved with MovieLens's list. */
  source: "community" | "blended" | "movielens";
  /** Likes per movie from the workspace's members, for "Liked by 3 members here". */
  likesByMovie: Map<number, number>;
}

/**
 * The popular list for a workspace. With enough likes it ranks by them (MovieLens's list fills the
 * rest); before that, MovieLens's list and the members' favourites take turns, so the first likes
 * show up at once without a single member's taste ruling the list.
 */
export function communityPopular(
  community: CommunityLikes,
  movielens: readonly ScoredMovie[],
  limit: number,
  exclude: ReadonlySet<number> = new Set(),
): CommunityPopular {
  const likesByMovie = new Map(community.top.map((t) => [t.movieId, t.likes]));
  const theirs: ScoredMovie[] = community.top.map((t) => ({
    movieId: t.movieId,
    score: t.likes,
    because: [],
  }));
  const enough =
    community.likes >= COMMUNITY_MIN_LIKES && community.members >= COMMUNITY_MIN_MEMBERS;
  const source = enough ? "community" : theirs.length > 0 ? "blended" : "movielens";
  const ordered = enough ? [...theirs, ...movielens] : interleave(movielens, theirs);
  const seen = new Set<number>();
  const items: ScoredMovie[] = [];
  for (const item of ordered) {
    if (items.length >= limit) break;
    if (seen.has(item.movieId) || exclude.has(item.movieId)) continue;
    seen.add(item.movieId);
    items.push(item);
  }
  return { items, source, likesByMovie };
}

function interleave<T>(first: readonly T[], second: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(first.length, second.length); i++) {
    if (i < first.length) out.push(first[i] as T);
    if (i < second.length) out.push(second[i] as T);
  }
  return out;
}
