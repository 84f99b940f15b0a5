import { loadConfig } from "../bot/config.ts";
import type { Catalog } from "../core/catalog/catalog.ts";
import {
  LocalRecommender,
  type RecommenderProgress,
  type RecommenderStrategy,
} from "../core/recommend/local-recommender.ts";
import type { Recommender } from "../core/recommend/recommender.ts";
import { LocalMovieSearch } from "../core/search/local-movie-search.ts";
import type { MovieSearch } from "../core/search/movie-search.ts";

export type StrategyName = RecommenderStrategy;

/** The server's own defaults (config schema), so the bench measures what `npm start` serves. */
function recommenderDefaults() {
  const config = loadConfig({});
  return {
    k: config.RECOMMENDER_K,
    neighbours: config.RECOMMENDER_NEIGHBOURS,
    factors: config.MF_FACTORS,
    alpha: config.MF_ALPHA,
    lambda: config.MF_LAMBDA,
    iterations: config.MF_ITERATIONS,
  };
}

export function createSearch(catalog: Catalog): MovieSearch {
  return LocalMovieSearch.fromCatalog(catalog);
}

export function createRecommender(
  catalog: Catalog,
  strategy: StrategyName,
  cacheDir: string | null,
  onProgress?: (event: RecommenderProgress) => void,
): Promise<Recommender> {
  return LocalRecommender.create(catalog, {
    ...recommenderDefaults(),
    strategy,
    cacheDir,
    ...(onProgress ? { onProgress } : {}),
  });
}
