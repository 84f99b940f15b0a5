import { LRUCache } from "lru-cache";
import {
  type PackedRecommendation,
  packRecommendation,
  unpackRecommendation,
} from "./packed-recommendation.ts";
import type { Recommendation, Recommender, RecommendOptions } from "./recommender.ts";

/**
 * Remembers recent recommendations. The same picks come back often (popular movies are picked by
 * many people; "Share to channel" and "More like this" re-ask what was just asked), the answer for
 * given picks does not change while the model does not, and a BigQuery backend bills per query.
 * Answers are kept packed (packed-recommendation.ts: a few objects each, not ninety, for the
 * garbage collector) and each caller gets its own copy.
 */
export class CachingRecommender implements Recommender {
  private readonly inner: Recommender;
  private readonly cache: LRUCache<string, PackedRecommendation>;
  /** Look-ups answered from memory and computed, since start: the bench's and /metrics' hit rate. */
  readonly stats = { hits: 0, misses: 0 };

  constructor(inner: Recommender, options: { size: number; ttlMs: number }) {
    this.inner = inner;
    this.cache = new LRUCache({ max: Math.max(1, options.size), ttl: Math.max(1, options.ttlMs) });
  }

  recommend(
    liked: readonly number[],
    limit: number,
    options?: RecommendOptions,
  ): Promise<Recommendation> {
    return this.cached(`r${limit}:${liked.join(",")}`, () =>
      this.inner.recommend(liked, limit, options),
    );
  }

  popular(limit: number, options?: RecommendOptions): Promise<Recommendation> {
    return this.cached(`p${limit}`, () => this.inner.popular(limit, options));
  }

  private async cached(
    key: string,
    compute: () => Promise<Recommendation>,
  ): Promise<Recommendation> {
    const hit = this.cache.get(key);
    if (hit) {
      this.stats.hits++;
      return unpackRecommendation(hit);
    }
    this.stats.misses++;
    const answer = await compute();
    this.cache.set(key, packRecommendation(answer));
    return answer;
  }
}
