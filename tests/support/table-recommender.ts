import type { Recommendation, Recommender } from "../../core/recommend/recommender.ts";

/**
 * In-memory Recommender for group tests: a member's first like names their list (as written,
 * best first); the popular list is its own. Picks are left out, as real recommenders do.
 */
export class TableRecommender implements Recommender {
  private readonly lists: Map<number, number[]>;
  private readonly popularList: number[];
  /** Films' base like-rates (ScoredMovie.likedShare), for those that have one. */
  private readonly likedShare: Map<number, number>;
  calls = 0;

  constructor(
    lists: Record<number, number[]>,
    popular: number[] = [],
    likedShare: Record<number, number> = {},
  ) {
    this.lists = new Map(Object.entries(lists).map(([k, v]) => [Number(k), v]));
    this.popularList = popular;
    this.likedShare = new Map(Object.entries(likedShare).map(([k, v]) => [Number(k), v]));
  }

  private withShare<T extends { movieId: number }>(item: T): T & { likedShare?: number } {
    const share = this.likedShare.get(item.movieId);
    return share === undefined ? item : { ...item, likedShare: share };
  }

  async recommend(liked: readonly number[], limit: number): Promise<Recommendation> {
    this.calls++;
    const list = this.lists.get(liked[0] as number) ?? [];
    return {
      strategy: "personalized",
      items: list
        .filter((id) => !liked.includes(id))
        .slice(0, limit)
        .map((movieId, i) =>
          this.withShare({ movieId, score: 100 - i, because: [liked[0] as number] }),
        ),
    };
  }

  async popular(limit: number): Promise<Recommendation> {
    return {
      strategy: "popular",
      items: this.popularList
        .slice(0, limit)
        .map((movieId, i) => this.withShare({ movieId, score: 1 - i / 100, because: [] })),
    };
  }
}
