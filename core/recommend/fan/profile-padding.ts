import type { Catalog } from "../../catalog/catalog.ts";
import { LIKED_THRESHOLD } from "../../catalog/ratings.ts";
import type { Recommendation, Recommender, RecommendOptions } from "../recommender.ts";
import { mulberry32 } from "../wals-trainer.ts";

/** Movies at least this many people liked: what a member's other likes plausibly are. */
const POOL_MIN_LIKES = 20;

/**
 * "A profile's worth" for the fan suite: a member who remembers 10 likes asks with their picks plus
 * other films they liked. The other films are drawn (fixed seed, per call) from movies many people
 * liked, and never recommended back, so the suite shows whether the picks' intent survives the
 * rest of a real profile.
 */
export class ProfilePadding implements Recommender {
  private readonly inner: Recommender;
  private readonly size: number;
  private readonly pool: number[];
  private readonly seed: number;
  private calls = 0;

  constructor(inner: Recommender, catalog: Catalog, options: { size: number; seed: number }) {
    this.inner = inner;
    this.size = options.size;
    this.seed = options.seed;
    const likes = new Map<number, number>();
    const { ratings } = catalog;
    for (let i = 0; i < ratings.length; i++) {
      if ((ratings.values[i] as number) < LIKED_THRESHOLD) continue;
      const movieId = ratings.movieIds[i] as number;
      likes.set(movieId, (likes.get(movieId) ?? 0) + 1);
    }
    this.pool = [...likes]
      .filter(([, n]) => n >= POOL_MIN_LIKES)
      .map(([id]) => id)
      .sort((a, b) => a - b);
  }

  /** The picks plus background likes up to `size`, drawn with this call's own seed. */
  padded(liked: readonly number[]): { input: number[]; background: Set<number> } {
    const random = mulberry32(this.seed + this.calls++);
    const background = new Set<number>();
    while (liked.length + background.size < this.size && background.size < this.pool.length) {
      const id = this.pool[Math.floor(random() * this.pool.length)] as number;
      if (!liked.includes(id)) background.add(id);
    }
    return { input: [...liked, ...background], background };
  }

  async recommend(
    liked: readonly number[],
    limit: number,
    options?: RecommendOptions,
  ): Promise<Recommendation> {
    const { input, background } = this.padded(liked);
    const result = await this.inner.recommend(input, limit + background.size, options);
    const items = result.items.filter((i) => !background.has(i.movieId)).slice(0, limit);
    return { ...result, items };
  }

  popular(limit: number, options?: RecommendOptions): Promise<Recommendation> {
    return this.inner.popular(limit, options);
  }
}
