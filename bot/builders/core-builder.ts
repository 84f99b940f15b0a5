import type { Logger } from "pino";
import type { SearchSource, ServingData } from "../../core/adapters/files/serving-snapshot.ts";
import { ThreadedSearch } from "../../core/adapters/threads/threaded-search.ts";
import { CardService } from "../../core/cards/card-service.ts";
import type { Catalog } from "../../core/catalog/catalog.ts";
import type { TasteStore } from "../../core/members/taste-store.ts";
import type { PosterSource } from "../../core/posters/poster-source.ts";
import type { Recommender } from "../../core/recommend/recommender.ts";
import { CachingMovieSearch } from "../../core/search/caching-movie-search.ts";
import type { MovieSearch } from "../../core/search/movie-search.ts";
import type { Config } from "../config.ts";
import type { EarlyStart } from "./early-search.ts";
import { buildRecommender, type Closers } from "./recommender-builder.ts";
import { buildSearch } from "./search-builder.ts";
import { loadMovieLens } from "./serving-data.ts";
import { openTasteStore } from "./taste-store-builder.ts";
import { buildPostersAndWatch } from "./tmdb-builder.ts";

export interface CacheStats {
  search?: { hits: number; misses: number };
  recommend?: { hits: number; misses: number };
}

export interface Core {
  catalog: Catalog;
  /** What chat pickers and the API search: the configured backend behind a time budget and cache. */
  search: MovieSearch;
  recommender: Recommender;
  posters: PosterSource;
  cards: CardService;
  /** Hit and miss counts of the answer caches that are on (for /metrics). */
  cacheStats: CacheStats;
  /** What members told the bot (likes, dislikes, seen, watchlist): DATABASE_URL's store. */
  members: TasteStore;
  /**
   * Starts what waits until the process answers: folding members' likes into the embedded
   * recommender (off the event loop), so a start with members is ready as fast as one without.
   */
  afterReady?(): void;
  /** Stops background work (the ML.WEIGHTS refresher) and closes the member database. */
  close(): Promise<void>;
}

/**
 * The core both composition roots (bot/app.ts for `npm start`, bot/worker-process.ts for
 * `npm run worker`) start from: search, recommender, posters, where-to-watch and the member
 * store behind their ports (each chosen by its builder in this folder), and the cards built from
 * them. `threadsStarted`: the threads main.ts started before the server's modules were loaded
 * (early-search.ts): the search thread, adopted if the snapshot served is the one it read, and the
 * recommendation threads, given their data here.
 */
export async function buildCore(
  config: Config,
  logger: Logger,
  threadsStarted: EarlyStart = {},
): Promise<Core> {
  const earlySearch = threadsStarted.search;
  const started = performance.now();
  const closers: Closers = [];
  // The search thread starts as soon as the snapshot's index bytes are read (or earlier, from the
  // file: earlySearch), so it builds its index on the other core while this one builds the rest
  // (the first keystroke after a cold start waited for it otherwise).
  let served: ServingData | undefined;
  const local = () => (served as ServingData).search;
  const early: { search?: ThreadedSearch; source?: SearchSource } = {};
  const wantsThread = config.SEARCH_BACKEND !== "elasticsearch" && config.SEARCH_THREADS > 0;
  const { dir, data } = await loadMovieLens(
    config,
    logger,
    wantsThread
      ? (source) => {
          if (earlySearch && source.fingerprint === earlySearch.fingerprint) {
            earlySearch.search.adopt(local, source);
            early.search = earlySearch.search;
          } else early.search = new ThreadedSearch(local, source);
          early.source = source;
        }
      : undefined,
  );
  served = data;
  const catalog = data.catalog;
  logger.info(
    { dir, movies: catalog.movies.length, ratings: catalog.ratings.length, ms: since(started) },
    "MovieLens loaded",
  );

  // A snapshot refused after its index was read was rebuilt from the CSV files: another index.
  const adopted = early.source === data.searchSource() ? early.search : undefined;
  if (early.search && !adopted) void early.search.close();
  if (earlySearch && earlySearch.search !== adopted) void earlySearch.search.close();
  const search = await buildSearch(config, logger, data, closers, adopted);
  const threads = threadsStarted.recommendThreads ?? [];
  const built = await buildRecommender(config, logger, catalog, data.recommender, closers, threads);
  // Threads started early that the recommender did not take (fewer wanted, or none in process).
  for (const thread of threads.splice(0)) void thread.terminate();
  const { posters, watch } = await buildPostersAndWatch(config, logger, closers);
  const members = await openTasteStore(config, logger);

  const cacheStats: CacheStats = {};
  if (search instanceof CachingMovieSearch) cacheStats.search = search.stats;
  if (built.stats) cacheStats.recommend = built.stats;
  const cards = new CardService({
    catalog,
    search,
    recommender: built.recommender,
    posters,
    watch,
    defaultRegion: config.WATCH_REGION,
    taste: members,
    // The reason only: recommendations go on without the profile.
    onTasteError: (error, what) =>
      logger.warn({ what, reason: (error as Error).message }, "member database failed"),
  });
  logger.info(
    {
      ms: since(started),
      search: config.SEARCH_BACKEND,
      recommender: config.RECOMMENDER_BACKEND,
      strategy: config.RECOMMENDER_STRATEGY,
    },
    "core ready",
  );
  return {
    catalog,
    search,
    recommender: built.recommender,
    posters,
    cards,
    cacheStats,
    members,
    afterReady: () => built.foldMembers(members),
    async close() {
      for (const close of closers) await close();
      await members.close();
    },
  };
}

function since(start: number): number {
  return Math.round(performance.now() - start);
}
