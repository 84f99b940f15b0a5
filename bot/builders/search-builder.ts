import type { Logger } from "pino";
import type { SearchSource } from "../../core/adapters/files/serving-snapshot.ts";
import { ThreadedSearch } from "../../core/adapters/threads/threaded-search.ts";
import { CachingMovieSearch } from "../../core/search/caching-movie-search.ts";
import { GuardedMovieSearch } from "../../core/search/guarded-movie-search.ts";
import type { LocalMovieSearch } from "../../core/search/local-movie-search.ts";
import type { MovieSearch } from "../../core/search/movie-search.ts";
import type { Config } from "../config.ts";
import type { Closers } from "./recommender-builder.ts";

/**
 * The search chat pickers and the API use. The embedded index is always built: it is the whole
 * search by default, and the fallback that keeps autocomplete inside Slack's and Discord's
 * 3-second window when Elasticsearch is slow.
 */
export async function buildSearch(
  config: Config,
  logger: Logger,
  data: { readonly search: LocalMovieSearch; searchSource(): SearchSource },
  closers: Closers,
  /** A search thread already started on these data (core-builder starts it early). */
  started?: ThreadedSearch,
): Promise<MovieSearch> {
  if (config.SEARCH_BACKEND !== "elasticsearch") {
    // On a thread, the event loop's own copy of the index is built only if the thread fails.
    let embedded: MovieSearch;
    if (config.SEARCH_THREADS > 0) {
      const threaded = started ?? new ThreadedSearch(() => data.search, data.searchSource());
      closers.push(() => threaded.close());
      embedded = threaded;
    } else embedded = data.search;
    return new CachingMovieSearch(embedded, {
      size: config.SEARCH_CACHE_SIZE,
      ttlMs: config.SEARCH_CACHE_TTL_MS,
    });
  }
  // Elasticsearch's client only when it is the backend: a start without it does not load it (part
  // of what a cold start spends before /healthz, issue 18).
  const { elasticsearchSearchFromConfig } = await import("./elasticsearch-builder.ts");
  return new GuardedMovieSearch({
    primary: elasticsearchSearchFromConfig(config),
    fallback: data.search,
    budgetMs: config.SEARCH_BUDGET_MS,
    cacheSize: config.SEARCH_CACHE_SIZE,
    cacheTtlMs: config.SEARCH_CACHE_TTL_MS,
    failureThreshold: config.SEARCH_FAILURE_THRESHOLD,
    cooldownMs: config.SEARCH_COOLDOWN_MS,
    // While the circuit is open every keystroke falls back: worth a debug line, not a warning each.
    onFallback: (reason, error) =>
      reason === "circuit_open"
        ? logger.debug({ reason }, "search: Elasticsearch skipped (circuit open)")
        : logger.warn({ reason, err: error }, "Elasticsearch did not answer; embedded index used"),
  });
}
