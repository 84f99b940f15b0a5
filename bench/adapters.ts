import { loadConfig } from "../bot/config.ts";
import type { Catalog } from "../core/catalog/catalog.ts";
import type { Recommender } from "../core/recommend/recommender.ts";
import type { MovieSearch } from "../core/search/movie-search.ts";

export type StrategyName = "default" | "reference";

/** The server's own defaults (config schema), so the bench measures what `npm start` serves. */
export function recommenderDefaults(cacheDir: string | null) {
  const config = loadConfig({});
  return {
    k: config.RECOMMENDER_K,
    factors: config.MF_FACTORS,
    alpha: config.MF_ALPHA,
    lambda: config.MF_LAMBDA,
    iterations: config.MF_ITERATIONS,
    cacheDir,
  };
}

interface SearchModule {
  LocalMovieSearch: { fromCatalog(catalog: Catalog): MovieSearch };
}
interface RecommenderModule {
  LocalRecommender: {
    create(
      catalog: Catalog,
      options: ReturnType<typeof recommenderDefaults> & {
        strategy: StrategyName;
        onProgress?: (event: { phase: string }) => void;
      },
    ): Promise<Recommender>;
  };
}

// Imported by name at run time: the embedded adapters are built on other branches, and the bench
// must type-check before they land. The shapes above are the contract they were briefed with.
const SEARCH_MODULE = "../core/search/local-movie-search.ts";
const RECOMMENDER_MODULE = "../core/recommend/local-recommender.ts";

export async function createSearch(catalog: Catalog): Promise<MovieSearch> {
  const module = (await import(SEARCH_MODULE)) as SearchModule;
  return module.LocalMovieSearch.fromCatalog(catalog);
}

export async function createRecommender(
  catalog: Catalog,
  strategy: StrategyName,
  cacheDir: string | null,
  onProgress?: (event: { phase: string }) => void,
): Promise<Recommender> {
  const module = (await import(RECOMMENDER_MODULE)) as RecommenderModule;
  return module.LocalRecommender.create(catalog, {
    ...recommenderDefaults(cacheDir),
    strategy,
    ...(onProgress ? { onProgress } : {}),
  });
}
