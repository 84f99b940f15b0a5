export type Strategy = "personalized" | "popular";

export interface ScoredMovie {
  movieId: number;
  score: number;
  /** The liked movieIds that contributed most to this pick (for "because you liked …"); empty for popular. */
  because: number[];
  /** The liked movieId of the same series ("Same series as Toy Story"), when titles say so. */
  series?: number;
  /** Share (0..1) of the people who liked because[0] who also liked this movie. */
  lovedShare?: number;
  /**
   * Share (0..1) of all raters who liked this movie: its base like-rate. Popular films are liked by
   * many, which the group recommendation (core/movienight/) weighs in; absent when the adapter
   * does not know it.
   */
  likedShare?: number;
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
