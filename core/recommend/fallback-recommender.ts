import { isMoviebotError } from "../errors.ts";
import type { Recommendation, Recommender, RecommendOptions } from "./recommender.ts";

export interface FallbackRecommenderOptions {
  primary: Recommender;
  /** Answers when the primary's backend is slow or down (the embedded LocalRecommender). */
  fallback: Recommender;
  /** Told of every fallback with the primary's error; core has no logger, the composition root logs. */
  onFallback?: (error: unknown) => void;
}

/**
 * The recommender side of "a cloud backend never takes the bot down": a BigQuery timeout, 5xx or
 * credential failure (backend_timeout / backend_unavailable) is answered by the embedded
 * recommender instead. Other errors (bad input, the caller's own abort) propagate unchanged.
 */
export class FallbackRecommender implements Recommender {
  private readonly options: FallbackRecommenderOptions;

  constructor(options: FallbackRecommenderOptions) {
    this.options = options;
  }

  recommend(
    liked: readonly number[],
    limit: number,
    options: RecommendOptions = {},
  ): Promise<Recommendation> {
    return this.guard(options, (r) => r.recommend(liked, limit, options));
  }

  popular(limit: number, options: RecommendOptions = {}): Promise<Recommendation> {
    return this.guard(options, (r) => r.popular(limit, options));
  }

  private async guard(
    options: RecommendOptions,
    call: (recommender: Recommender) => Promise<Recommendation>,
  ): Promise<Recommendation> {
    try {
      return await call(this.options.primary);
    } catch (error) {
      const backendFailed =
        isMoviebotError(error) &&
        (error.code === "backend_timeout" || error.code === "backend_unavailable");
      // When the caller itself gave up, nobody is waiting for a fallback answer.
      if (!backendFailed || options.signal?.aborted) throw error;
      this.options.onFallback?.(error);
      return call(this.options.fallback);
    }
  }
}
