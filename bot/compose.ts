import { join } from "node:path";
import type { Logger } from "pino";
import {
  buildSnapshot,
  loadServingData,
  type SnapshotEvent,
} from "../core/adapters/files/serving-snapshot.ts";
import { ensureMovieLens } from "../core/adapters/movielens/download.ts";
import { ThreadedRecommender } from "../core/adapters/threads/threaded-recommender.ts";
import { TmdbPosterSource } from "../core/adapters/tmdb/tmdb-poster-source.ts";
import { CardService } from "../core/cards/card-service.ts";
import type { Catalog } from "../core/catalog/catalog.ts";
import type { TasteStore } from "../core/members/taste-store.ts";
import { MemoryPosterCache } from "../core/posters/memory-poster-cache.ts";
import type { PosterCache } from "../core/posters/poster-cache.ts";
import { NoPosters, type PosterSource } from "../core/posters/poster-source.ts";
import { CachingRecommender } from "../core/recommend/caching-recommender.ts";
import { FallbackRecommender } from "../core/recommend/fallback-recommender.ts";
import { LocalRecommender, type RecommenderProgress } from "../core/recommend/local-recommender.ts";
import type { Recommender } from "../core/recommend/recommender.ts";
import { SwappableRecommender } from "../core/recommend/swappable-recommender.ts";
import { CachingMovieSearch } from "../core/search/caching-movie-search.ts";
import { GuardedMovieSearch } from "../core/search/guarded-movie-search.ts";
import type { LocalMovieSearch } from "../core/search/local-movie-search.ts";
import type { MovieSearch } from "../core/search/movie-search.ts";
import {
  bigQueryRecommenderFromConfig,
  elasticsearchSearchFromConfig,
  weightsRefresherFromConfig,
} from "./backends.ts";
import type { Config } from "./config.ts";
import { createProgress } from "./progress.ts";
import { openTasteStore } from "./taste-store-from-config.ts";

/** Where MovieLens lives when MOVIELENS_DIR is unset: downloaded here on first start. */
export const DEFAULT_MOVIELENS_DIR = "data/ml-latest-small";

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
  /** Stops background work (the ML.WEIGHTS refresher) and closes the member database. */
  close(): Promise<void>;
}

/**
 * The composition root of the core: reads the config once and builds search, recommender and
 * posters behind their ports. Everything else receives what it needs from here.
 */
export async function buildCore(
  config: Config,
  logger: Logger,
  options: { posterCache?: PosterCache } = {},
): Promise<Core> {
  const started = performance.now();
  const closers: (() => void)[] = [];
  const dir = await movieLensDir(config, logger);
  const data = await loadServingData({
    dataDir: dir,
    snapshotPath: config.SNAPSHOT ? snapshotPath(config) : null,
    strategy: config.RECOMMENDER_STRATEGY,
    onEvent: (event) => logSnapshot(logger, event),
  });
  const catalog = data.catalog;
  logger.info(
    { dir, movies: catalog.movies.length, ratings: catalog.ratings.length, ms: since(started) },
    "MovieLens loaded",
  );

  const search = buildSearch(config, logger, data.search);
  const cacheStats: CacheStats = {};
  if (search instanceof CachingMovieSearch) cacheStats.search = search.stats;

  const trainingStarted = performance.now();
  const local = await LocalRecommender.createFrom(catalog, data.recommender, {
    ...recommenderOptions(config),
    cacheDir: config.CACHE_DIR,
    onProgress: (event) => logTraining(logger, event),
  });
  logger.info({ ms: since(trainingStarted) }, "embedded recommender ready");
  const embedded = offEventLoop(config, catalog, local, closers);
  const backend = await buildRecommender(config, logger, catalog, embedded, closers);
  const recommender =
    config.RECOMMEND_CACHE_SIZE > 0
      ? new CachingRecommender(backend, {
          size: config.RECOMMEND_CACHE_SIZE,
          ttlMs: config.RECOMMEND_CACHE_TTL_MS,
        })
      : backend;
  if (recommender instanceof CachingRecommender) cacheStats.recommend = recommender.stats;

  const posters = buildPosters(config, logger, options.posterCache ?? new MemoryPosterCache());
  const members = await openTasteStore(config, logger);
  const cards = new CardService({ catalog, search, recommender, posters });
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
    recommender,
    posters,
    cards,
    cacheStats,
    members,
    async close() {
      for (const close of closers) close();
      await members.close();
    },
  };
}

/**
 * `npm run snapshot`: builds the start-up snapshot from the CSV files now (downloading MovieLens
 * first if need be), whatever snapshot is there, so a Docker image or a deploy can ship it.
 */
export async function writeStartupSnapshot(config: Config, logger: Logger): Promise<string> {
  const path = snapshotPath(config);
  await buildSnapshot({
    dataDir: await movieLensDir(config, logger),
    snapshotPath: path,
    strategy: config.RECOMMENDER_STRATEGY,
    onEvent: (event) => {
      logSnapshot(logger, event);
      if (event.kind === "write-failed")
        throw new Error(`could not write ${path}: ${event.message}`);
    },
  });
  return path;
}

/** Where the start-up snapshot lives: derived from the data, so beside the other derived files. */
export function snapshotPath(config: Config): string {
  return join(config.CACHE_DIR, "snapshot.bin");
}

function logSnapshot(logger: Logger, event: SnapshotEvent): void {
  switch (event.kind) {
    case "loaded":
      logger.info({ path: event.path, bytes: event.bytes, ms: event.ms }, "snapshot loaded");
      break;
    case "missing":
      logger.info({ path: event.path }, "no snapshot yet: loading the CSV files, then writing one");
      break;
    case "unusable":
      logger.warn(
        { path: event.path, reason: event.reason, detail: event.message },
        "snapshot not used; rebuilding it from the CSV files",
      );
      break;
    case "written":
      logger.info({ path: event.path, bytes: event.bytes, ms: event.ms }, "snapshot written");
      break;
    case "write-failed":
      logger.warn({ path: event.path, reason: event.message }, "could not write the snapshot");
      break;
  }
}

/** The embedded recommender's strategy and training options, as the settings give them. */
export function recommenderOptions(config: Config) {
  return {
    strategy: config.RECOMMENDER_STRATEGY,
    k: config.RECOMMENDER_K,
    neighbours: config.RECOMMENDER_NEIGHBOURS,
    factors: config.MF_FACTORS,
    alpha: config.MF_ALPHA,
    lambda: config.MF_LAMBDA,
    iterations: config.MF_ITERATIONS,
  };
}

async function movieLensDir(config: Config, logger: Logger): Promise<string> {
  if (config.MOVIELENS_DIR) return config.MOVIELENS_DIR;
  const progress = createProgress("Downloading MovieLens ml-latest-small", {
    log: (line) => logger.info(line),
  });
  try {
    return await ensureMovieLens({
      dir: DEFAULT_MOVIELENS_DIR,
      url: config.MOVIELENS_URL,
      onProgress: progress,
    });
  } finally {
    progress.stop();
  }
}

/**
 * The embedded index is always built: it is the whole search by default, and the fallback that
 * keeps autocomplete inside Slack's and Discord's 3-second window when Elasticsearch is slow.
 */
function buildSearch(config: Config, logger: Logger, local: LocalMovieSearch): MovieSearch {
  if (config.SEARCH_BACKEND !== "elasticsearch") {
    return new CachingMovieSearch(local, {
      size: config.SEARCH_CACHE_SIZE,
      ttlMs: config.SEARCH_CACHE_TTL_MS,
    });
  }
  return new GuardedMovieSearch({
    primary: elasticsearchSearchFromConfig(config),
    fallback: local,
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

/**
 * The default strategy on worker threads (RECOMMEND_THREADS), sharing the rating index's memory:
 * the event loop stays free for /healthz and keystrokes. The reference strategy serves a factor
 * model in process: its per-request work is a dot product per movie.
 */
function offEventLoop(
  config: Config,
  catalog: Catalog,
  local: LocalRecommender,
  closers: (() => void)[],
): Recommender {
  if (config.RECOMMEND_THREADS === 0 || local.options.strategy !== "default") return local;
  const threaded = new ThreadedRecommender(
    local.state,
    Int32Array.from(catalog.movies, (m) => m.movieId),
    local.options,
    config.RECOMMEND_THREADS,
  );
  closers.push(() => void threaded.close());
  return threaded;
}

async function buildRecommender(
  config: Config,
  logger: Logger,
  catalog: Catalog,
  local: Recommender,
  closers: (() => void)[],
): Promise<Recommender> {
  if (config.RECOMMENDER_BACKEND !== "bigquery") return local;
  if (config.BIGQUERY_SERVE === "remote") {
    return new FallbackRecommender({
      primary: bigQueryRecommenderFromConfig(config),
      fallback: local,
      onFallback: (error) => logger.warn({ err: error }, "BigQuery failed; embedded answer served"),
    });
  }
  // Hybrid: the BigQuery-trained model, exported through ML.WEIGHTS, served in-process.
  const swappable = new SwappableRecommender(local);
  const serve = recommenderOptions(config);
  const refresher = weightsRefresherFromConfig(
    config,
    (model) => {
      swappable.swap(LocalRecommender.fromModel(catalog, model, serve));
      logger.info(
        { users: model.users.ids.length, items: model.items.ids.length },
        "ML.WEIGHTS model loaded",
      );
    },
    (error) => logger.warn({ err: error }, "ML.WEIGHTS refresh failed; keeping the previous model"),
  );
  await refresher
    .start()
    .catch((error) =>
      logger.warn({ err: error }, "first ML.WEIGHTS export failed; retrying on schedule"),
    );
  closers.push(() => refresher.stop());
  return swappable;
}

function buildPosters(config: Config, logger: Logger, cache: PosterCache): PosterSource {
  if (!config.TMDB_API_KEY && !config.TMDB_READ_ACCESS_TOKEN) {
    logger.info("no TMDB key: cards have no posters");
    return new NoPosters();
  }
  return new TmdbPosterSource({
    apiUrl: config.TMDB_API_URL,
    apiKey: config.TMDB_API_KEY,
    readAccessToken: config.TMDB_READ_ACCESS_TOKEN,
    imageBaseUrl: config.TMDB_IMAGE_BASE_URL,
    concurrency: config.TMDB_CONCURRENCY,
    cache,
    // The message only: a request error could carry the URL, and with it an api_key.
    onError: (error, tmdbId) =>
      logger.debug({ tmdbId, error: (error as Error).message }, "poster look-up failed"),
  });
}

function logTraining(logger: Logger, event: RecommenderProgress): void {
  switch (event.phase) {
    case "train":
      logger.info(`training the recommender: iteration ${event.iteration} of ${event.iterations}`);
      break;
    case "cache-hit":
      logger.info({ path: event.path }, "recommender model loaded from cache");
      break;
    case "trained":
      logger.info({ seconds: event.seconds }, "recommender trained");
      break;
    case "saved":
      logger.info({ path: event.path }, "recommender model cached");
      break;
    case "cache-write-failed":
      logger.warn({ reason: event.message }, "could not cache the recommender model");
      break;
  }
}

function since(start: number): number {
  return Math.round(performance.now() - start);
}
