import type { Logger } from "pino";
import { TmdbClient } from "../../core/adapters/tmdb/tmdb-client.ts";
import { TmdbPosterSource } from "../../core/adapters/tmdb/tmdb-poster-source.ts";
import { TmdbWatchSource } from "../../core/adapters/tmdb/tmdb-watch-source.ts";
import { MemoryPosterCache } from "../../core/posters/memory-poster-cache.ts";
import type { PosterCache } from "../../core/posters/poster-cache.ts";
import { NoPosters, type PosterSource } from "../../core/posters/poster-source.ts";
import type { WatchCache } from "../../core/watch/watch-cache.ts";
import { MemoryWatchCache } from "../../core/watch/watch-cache.ts";
import { NoWatchDetails, type WatchSource } from "../../core/watch/watch-source.ts";
import type { Config } from "../config.ts";
import type { Closers } from "./recommender-builder.ts";

/**
 * Posters, providers and trailers. They share one TMDB client: one bound on requests, one 429
 * policy. With Redis, their look-ups are cached for every instance (bot and worker).
 */
export async function buildPostersAndWatch(
  config: Config,
  logger: Logger,
  closers: Closers,
): Promise<{ posters: PosterSource; watch: WatchSource }> {
  if (!config.TMDB_API_KEY && !config.TMDB_READ_ACCESS_TOKEN) {
    logger.info("no TMDB key: cards have no posters, providers or trailers");
    return { posters: new NoPosters(), watch: new NoWatchDetails() };
  }
  const caches = config.redis
    ? await redisCaches(config.redis.url, closers)
    : { posters: new MemoryPosterCache(), watch: new MemoryWatchCache() };
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

/** The look-ups' caches on Redis, shared by every instance; its client loaded only then. */
async function redisCaches(
  url: string,
  closers: Closers,
): Promise<{ posters: PosterCache; watch: WatchCache }> {
  const [{ closeConnection, createCommandConnection }, { RedisPosterCache }, { RedisWatchCache }] =
    await Promise.all([
      import("../queue/redis-connections.ts"),
      import("../queue/redis-poster-cache.ts"),
      import("../queue/redis-watch-cache.ts"),
    ]);
  const redis = createCommandConnection(url);
  closers.push(() => closeConnection(redis));
  return { posters: new RedisPosterCache({ redis }), watch: new RedisWatchCache({ redis }) };
}
