export type Strategy = "personalized" | "popular";

export interface ScoredMovie {
  movieId: number;
  score: number;
  /** The liked movieIds that contributed most to this pick (for "because you liked …"); empty for popular. */
  because: number[];
}

export interface Recommendation {
  strategy: Strategy;
  items: ScoredMovie[];
}

export interface RecommendOptions {
  signal?: AbortSignal;
}

/**
 * Port: recommendations. `liked` holds 1–25 movieIds already known to the catalog (callers filter
 * unknown ids); an empty list means cold start. Adapters: LocalRecommender, BigQueryRecommender.
 */
export interface Recommender {
  recommend(
    liked: readonly number[],
    limit: number,
    options?: RecommendOptions,
  ): Promise<Recommendation>;
  popular(limit: number, options?: RecommendOptions): Promise<Recommendation>;
}
