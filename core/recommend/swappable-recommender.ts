import type { Recommendation, Recommender, RecommendOptions } from "./recommender.ts";

/**
 * A Recommender whose implementation can be replaced while serving: the hybrid mode builds a new
 * LocalRecommender from each refreshed ML.WEIGHTS export and swaps it in; requests in flight finish
 * on the one they started with.
 */
export class SwappableRecommender implements Recommender {
  private current: Recommender;

  constructor(initial: Recommender) {
    this.current = initial;
  }

  /** Serves `next` from now on and returns the one it replaces (for its owner to release). */
  swap(next: Recommender): Recommender {
    const previous = this.current;
    this.current = next;
    return previous;
  }

  recommend(
    liked: readonly number[],
    limit: number,
    options?: RecommendOptions,
  ): Promise<Recommendation> {
    return this.current.recommend(liked, limit, options);
  }

  popular(limit: number, options?: RecommendOptions): Promise<Recommendation> {
    return this.current.popular(limit, options);
  }
}
