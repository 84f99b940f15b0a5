import type { Recommendation, Recommender } from "../../core/recommend/recommender.ts";

/**
 * In-memory Recommender for group tests: a member's first like names their list (as written,
 * best first); the popular list is its own. Picks are left out, as real recommenders do.
 */
export class TableRecommender implements Recommender {
  private readonly lists: Map<number, number[]>;
  private readonly popularList: number[];
  calls = 0;

  constructor(lists: Record<number, number[]>, popular: number[] = []) {
    this.lists = new Map(Object.entries(lists).map(([k, v]) => [Number(k), v]));
    this.popularList = popular;
  }

  async recommend(liked: readonly number[], limit: number): Promise<Recommendation> {
    this.calls++;
    const list = this.lists.get(liked[0] as number) ?? [];
    return {
      strategy: "personalized",
      items: list
        .filter((id) => !liked.includes(id))
        .slice(0, limit)
        .map((movieId, i) => ({ movieId, score: 100 - i, because: [liked[0] as number] })),
    };
  }

  async popular(limit: number): Promise<Recommendation> {
    return {
      strategy: "popular",
      items: this.popularList
        .slice(0, limit)
        .map((movieId, i) => ({ movieId, score: 1 - i / 100, because: [] })),
    };
  }
}
