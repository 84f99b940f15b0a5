import { recommenderOptions } from "../bot/builders/recommender-builder.ts";
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
    // The server's own defaults (config schema), so the bench measures what `npm start` serves.
    ...recommenderOptions(loadConfig({})),
    strategy,
    cacheDir,
    ...(onProgress ? { onProgress } : {}),
  });
}
