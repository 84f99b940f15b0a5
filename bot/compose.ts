import { join } from "node:path";
import type { Client } from "@elastic/elasticsearch";
import type { BigQuery } from "@google-cloud/bigquery";
import type { Logger } from "pino";
import { createBigQueryClient } from "../core/adapters/bigquery/bigquery-client.ts";
import { BigQueryRecommender } from "../core/adapters/bigquery/bigquery-recommender.ts";
import {
  BigQueryWeightsSource,
  WeightsRefresher,
} from "../core/adapters/bigquery/bigquery-weights.ts";
import { createElasticsearchClient } from "../core/adapters/elasticsearch/elasticsearch-client.ts";
import { ElasticsearchMovieSearch } from "../core/adapters/elasticsearch/elasticsearch-movie-search.ts";
import {
  buildSnapshot,
  loadServingData,
  type SnapshotEvent,
} from "../core/adapters/files/serving-snapshot.ts";
import { ensureMovieLens } from "../core/adapters/movielens/download.ts";
import { ThreadedRecommender } from "../core/adapters/threads/threaded-recommender.ts";
import { TmdbClient } from "../core/adapters/tmdb/tmdb-client.ts";
import { TmdbPosterSource } from "../core/adapters/tmdb/tmdb-poster-source.ts";
import { TmdbWatchSource } from "../core/adapters/tmdb/tmdb-watch-source.ts";
import { CardService } from "../core/cards/card-service.ts";
import type { Catalog } from "../core/catalog/catalog.ts";
import { isMoviebotError, MoviebotError } from "../core/errors.ts";
import { InProcessJobQueue } from "../core/jobs/in-process-job-queue.ts";
import type { JobQueue } from "../core/jobs/job.ts";
import { describeJob } from "../core/jobs/job-schema.ts";
import { type Deliverers, runJob } from "../core/jobs/run-job.ts";
import type { TasteStore } from "../core/members/taste-store.ts";
import { MemoryPosterCache } from "../core/posters/memory-poster-cache.ts";
import type { PosterCache } from "../core/posters/poster-cache.ts";
import { NoPosters, type PosterSource } from "../core/posters/poster-source.ts";
import { CachingRecommender } from "../core/recommend/caching-recommender.ts";
import { FallbackRecommender } from "../core/recommend/fallback-recommender.ts";
import type { ItemNeighbourTable } from "../core/recommend/item-neighbours.ts";
import { LocalRecommender, type RecommenderProgress } from "../core/recommend/local-recommender.ts";
import type { MatrixFactorizationModel } from "../core/recommend/mf-model.ts";
import type { Recommender } from "../core/recommend/recommender.ts";
import { SwappableRecommender } from "../core/recommend/swappable-recommender.ts";
import { CachingMovieSearch } from "../core/search/caching-movie-search.ts";
import { GuardedMovieSearch } from "../core/search/guarded-movie-search.ts";
import type { LocalMovieSearch } from "../core/search/local-movie-search.ts";
import type { MovieSearch } from "../core/search/movie-search.ts";
import { MemoryWatchCache, type WatchCache } from "../core/watch/watch-cache.ts";
import { NoWatchDetails, type WatchSource } from "../core/watch/watch-source.ts";
import type { Config } from "./config.ts";
import { DiscordDeliverer } from "./discord/discord-deliverer.ts";
import { createDiscordRest } from "./discord/rest-client.ts";
import { startMembersRefresh } from "./members-refresh.ts";
import { createProgress } from "./progress.ts";
import { BullmqJobQueue } from "./queue/bullmq-job-queue.ts";
import { FallbackJobQueue } from "./queue/fallback-job-queue.ts";
import {
  closeConnection,
  createCommandConnection,
  createProducerConnection,
  createWorkerConnection,
} from "./queue/redis-connections.ts";
import { RedisPosterCache } from "./queue/redis-poster-cache.ts";
import { RedisWatchCache } from "./queue/redis-watch-cache.ts";
import { SlackDeliverer } from "./slack/slack-jobs.ts";
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
 * The pieces both composition roots (bot/app.ts for `npm start`, bot/worker-process.ts for
 * `npm run worker`) are built from: the core, the deliverers and the job queue. Each reads the
 * config it needs; nothing else reads the config.
 */

/**
 * The core: search, recommender and posters behind their ports, and the cards built from them.
 * With Redis, poster and where-to-watch look-ups are shared by every instance (bot and worker).
 */
export async function buildCore(config: Config, logger: Logger): Promise<Core> {
  const started = performance.now();
  const closers: (() => Promise<void> | void)[] = [];
  const dir = await movieLensDir(config, logger);
  const data = await loadServingData({
    dataDir: dir,
    snapshotPath: config.SNAPSHOT ? snapshotPath(config) : null,
    strategy: config.RECOMMENDER_STRATEGY,
    modelCacheDir: config.CACHE_DIR,
    onModelProgress: (event) => logTraining(logger, event),
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
  const built = await buildRecommender(config, logger, catalog, embedded, closers, local.itemTable);
  // The embedded recommender learns from members too: their likes are folded into its data at
  // start-up and every MEMBERS_REFRESH_MINUTES (BigQuery trains on its own ratings table).
  const folding = config.RECOMMENDER_BACKEND === "local" ? new SwappableRecommender(built) : null;
  const backend = folding ?? built;
  const recommender =
    config.RECOMMEND_CACHE_SIZE > 0
      ? new CachingRecommender(backend, {
          size: config.RECOMMEND_CACHE_SIZE,
          ttlMs: config.RECOMMEND_CACHE_TTL_MS,
        })
      : backend;
  if (recommender instanceof CachingRecommender) cacheStats.recommend = recommender.stats;

  const tmdbRedis = config.redis ? createCommandConnection(config.redis.url) : undefined;
  if (tmdbRedis) closers.push(() => closeConnection(tmdbRedis));
  const { posters, watch } = buildTmdb(config, logger, {
    posters: tmdbRedis ? new RedisPosterCache({ redis: tmdbRedis }) : new MemoryPosterCache(),
    watch: tmdbRedis ? new RedisWatchCache({ redis: tmdbRedis }) : new MemoryWatchCache(),
  });
  const members = await openTasteStore(config, logger);
  if (folding) {
    const refresher = startMembersRefresh({
      store: members,
      catalog,
      // The refreshed recommender runs off the event loop as the first one does; the threads of
      // the one it replaces stop once requests already sent to them have had time to finish.
      build: async (withMembers) => {
        const refreshed = await LocalRecommender.create(withMembers, {
          ...recommenderOptions(config),
          cacheDir: null,
        });
        return offEventLoop(config, withMembers, refreshed, []);
      },
      swap: (next) => retire(folding.swap(next), next),
      minutes: config.MEMBERS_REFRESH_MINUTES,
      logger,
    });
    closers.push(() => refresher.stop());
  }
  const cards = new CardService({
    catalog,
    search,
    recommender,
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
    recommender,
    posters,
    cards,
    cacheStats,
    members,
    async close() {
      for (const close of closers) await close();
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
    modelCacheDir: config.CACHE_DIR,
    onModelProgress: (event) => logTraining(logger, event),
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
  } catch (error) {
    if (!isMoviebotError(error) || error.code !== "download_failed") throw error;
    throw new MoviebotError(
      "download_failed",
      `MovieLens could not be downloaded from MOVIELENS_URL=${config.MOVIELENS_URL} (${error.message}): ` +
        "set MOVIELENS_DIR to an existing ml-latest-small folder, or MOVIELENS_URL to a reachable copy",
      { cause: error },
    );
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
 * The default and neighbours strategies on worker threads (RECOMMEND_THREADS), sharing the rating
 * index's memory:
 * the event loop stays free for /healthz and keystrokes. The reference strategy serves a factor
 * model in process: its per-request work is a dot product per movie.
 */
/** Stops the threads of a recommender swapped out, a grace period after the swap. */
function retire(previous: Recommender, next: Recommender): void {
  if (previous === next || !(previous instanceof ThreadedRecommender)) return;
  setTimeout(() => void previous.close(), 30_000).unref();
}

function offEventLoop(
  config: Config,
  catalog: Catalog,
  local: LocalRecommender,
  closers: (() => Promise<void> | void)[],
): Recommender {
  if (config.RECOMMEND_THREADS === 0 || local.options.strategy === "reference") return local;
  const threaded = new ThreadedRecommender(
    local.state,
    Int32Array.from(catalog.movies, (m) => m.movieId),
    local.options,
    config.RECOMMEND_THREADS,
  );
  closers.push(() => threaded.close());
  return threaded;
}

async function buildRecommender(
  config: Config,
  logger: Logger,
  catalog: Catalog,
  local: Recommender,
  closers: (() => Promise<void> | void)[],
  itemTable: ItemNeighbourTable | null,
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
      // The item-neighbour table depends on the ratings only: reuse it, do not rebuild it per model.
      swappable.swap(LocalRecommender.fromModel(catalog, model, serve, itemTable));
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

/** Posters, providers and trailers share one TMDB client: one bound on requests, one 429 policy. */
function buildTmdb(
  config: Config,
  logger: Logger,
  caches: { posters: PosterCache; watch: WatchCache },
): { posters: PosterSource; watch: WatchSource } {
  if (!config.TMDB_API_KEY && !config.TMDB_READ_ACCESS_TOKEN) {
    logger.info("no TMDB key: cards have no posters, providers or trailers");
    return { posters: new NoPosters(), watch: new NoWatchDetails() };
  }
  const client = new TmdbClient({
    apiUrl: config.TMDB_API_URL,
    apiKey: config.TMDB_API_KEY,
    readAccessToken: config.TMDB_READ_ACCESS_TOKEN,
    concurrency: config.TMDB_CONCURRENCY,
  });
  // The message only: a request error could carry the URL, and with it an api_key.
  const onError = (what: string) => (error: unknown, tmdbId: number) =>
    logger.debug({ tmdbId, error: (error as Error).message }, `${what} look-up failed`);
  return {
    posters: new TmdbPosterSource({
      client,
      imageBaseUrl: config.TMDB_IMAGE_BASE_URL,
      cache: caches.posters,
      onError: onError("poster"),
    }),
    watch: new TmdbWatchSource({
      client,
      cache: caches.watch,
      // Provider logos are small squares: TMDB's smallest logo size instead of the poster's.
      logoBaseUrl: config.TMDB_IMAGE_BASE_URL.replace(/\/(w\d+|original)\/?$/, "/w92"),
      timeoutMs: config.WATCH_BUDGET_MS,
      ttlSeconds: config.WATCH_CACHE_TTL_SECONDS,
      onError: onError("watch"),
    }),
  };
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
    case "items-cache-hit":
      logger.info({ path: event.path }, "item-neighbour table loaded from cache");
      break;
    case "items-built":
      logger.info({ seconds: event.seconds, pairs: event.pairs }, "item-neighbour table built");
      break;
    case "items-saved":
      logger.info({ path: event.path }, "item-neighbour table cached");
      break;
    case "items-cache-write-failed":
      logger.warn({ reason: event.message }, "could not cache the item-neighbour table");
      break;
  }
}

function since(start: number): number {
  return Math.round(performance.now() - start);
}

/** Where finished jobs are sent: each platform's response_url / interaction webhook. No bot secrets. */
export function buildDeliverers(config: Config): Deliverers {
  return {
    slack: new SlackDeliverer({ allowedOrigins: config.SLACK_RESPONSE_URL_ORIGINS }),
    // Interaction webhooks take the interaction token, not the bot token.
    discord: new DiscordDeliverer({ rest: createDiscordRest({ apiUrl: config.DISCORD_API_URL }) }),
  };
}

/** Jobs run in this process with bounded concurrency: the embedded default, and the fallback. */
export function createInProcessQueue(deps: {
  cards: CardService;
  deliverers: Deliverers;
  concurrency: number;
  logger: Logger;
}): InProcessJobQueue {
  return new InProcessJobQueue({
    handler: (job) => runJob(deps.cards, deps.deliverers, job),
    concurrency: deps.concurrency,
    onError: (error, job) =>
      deps.logger.error(
        { ...describeJob(job), err: error instanceof Error ? error.message : String(error) },
        "in-process job failed",
      ),
  });
}

/**
 * The JobQueue the chat adapters submit to: BullMQ on Redis when it is configured (falling back to
 * in-process when Redis cannot take a job), else in-process only. `bullmq` is the Redis side, for
 * its counts.
 */
export function buildJobQueue(
  config: Pick<Config, "redis" | "queue">,
  deps: { cards: CardService; deliverers: Deliverers; logger: Logger },
): { queue: JobQueue; bullmq: BullmqJobQueue | undefined } {
  const { queue: settings, redis } = config;
  const { logger } = deps;
  const inProcess = createInProcessQueue({ ...deps, concurrency: settings.concurrency });
  if (!redis) return { queue: inProcess, bullmq: undefined };
  const bullmq = new BullmqJobQueue({
    redis: createProducerConnection(redis.url),
    queueName: settings.name,
    attempts: settings.attempts,
    backoffMs: settings.backoffMs,
    enqueueTimeoutMs: settings.enqueueTimeoutMs,
    logger,
    rescue: {
      eventsConnection: createWorkerConnection(redis.url, "moviebot-events"),
      afterMs: settings.rescueAfterMs,
    },
  });
  bullmq.rescueWith((jobs) => {
    for (const job of jobs) {
      logger.warn(describeJob(job), "Redis lost a queued job; running it in-process");
      void inProcess.submit(job);
    }
  });
  return { queue: new FallbackJobQueue({ primary: bullmq, fallback: inProcess, logger }), bullmq };
}

// The cloud backends, from validated config (also used by the admin scripts). The config's
// superRefine has already checked that the settings each backend needs are present.

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is required`);
  return value;
}

/** CREATE MODEL's matrix-factorization options, named as BigQuery ML names them. */
export function modelOptionsFromConfig(config: Config) {
  return {
    num_factors: config.MF_FACTORS,
    wals_alpha: config.MF_ALPHA,
    l2_reg: config.MF_LAMBDA,
    max_iterations: config.MF_ITERATIONS,
  };
}

/** Serving client: Application Default Credentials, no client retries (the caller has a fallback). */
export function bigQueryClientFromConfig(config: Config): BigQuery {
  return createBigQueryClient({
    projectId: required(config.BIGQUERY_PROJECT, "BIGQUERY_PROJECT"),
    location: config.BIGQUERY_LOCATION,
    ...(config.BIGQUERY_API_URL ? { apiEndpoint: config.BIGQUERY_API_URL } : {}),
  });
}

/** BIGQUERY_SERVE=remote: every recommendation is one BigQuery query. */
export function bigQueryRecommenderFromConfig(
  config: Config,
  client: BigQuery = bigQueryClientFromConfig(config),
): BigQueryRecommender {
  return new BigQueryRecommender({
    client,
    dataset: required(config.BIGQUERY_DATASET, "BIGQUERY_DATASET"),
    model: config.BIGQUERY_MODEL,
    location: config.BIGQUERY_LOCATION,
    k: config.RECOMMENDER_K,
    timeoutMs: config.BIGQUERY_TIMEOUT_MS,
  });
}

/**
 * BIGQUERY_SERVE=local-weights: exports ML.WEIGHTS at start and every
 * BIGQUERY_WEIGHTS_REFRESH_MINUTES; `onModel` receives each model (wrap it with
 * LocalRecommender.fromModel and swap it into a SwappableRecommender).
 */
export function weightsRefresherFromConfig(
  config: Config,
  onModel: (model: MatrixFactorizationModel) => void,
  onError: (error: unknown) => void,
  client: BigQuery = bigQueryClientFromConfig(config),
): WeightsRefresher {
  const source = new BigQueryWeightsSource({
    client,
    dataset: required(config.BIGQUERY_DATASET, "BIGQUERY_DATASET"),
    model: config.BIGQUERY_MODEL,
    location: config.BIGQUERY_LOCATION,
    trainingOptions: modelOptionsFromConfig(config),
  });
  return new WeightsRefresher({
    source,
    intervalMs: config.BIGQUERY_WEIGHTS_REFRESH_MINUTES * 60_000,
    onModel,
    onError,
  });
}

export function elasticsearchClientFromConfig(config: Config): Client {
  return createElasticsearchClient({
    ...(config.ELASTICSEARCH_URL ? { url: config.ELASTICSEARCH_URL } : {}),
    ...(config.ELASTICSEARCH_CLOUD_ID ? { cloudId: config.ELASTICSEARCH_CLOUD_ID } : {}),
    ...(config.ELASTICSEARCH_API_KEY ? { apiKey: config.ELASTICSEARCH_API_KEY } : {}),
    timeoutMs: config.ELASTICSEARCH_TIMEOUT_MS,
  });
}

/** SEARCH_BACKEND=elasticsearch; wrap it in GuardedMovieSearch with the embedded index as fallback. */
export function elasticsearchSearchFromConfig(
  config: Config,
  client: Client = elasticsearchClientFromConfig(config),
): ElasticsearchMovieSearch {
  return new ElasticsearchMovieSearch({
    client,
    index: config.ELASTICSEARCH_INDEX,
    timeoutMs: config.ELASTICSEARCH_TIMEOUT_MS,
  });
}
