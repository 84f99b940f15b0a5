import type { Redis } from "ioredis";
import type { WatchCache } from "../../core/watch/watch-cache.ts";

/**
 * WatchCache on Redis: providers and trailers looked up by one instance serve all of them. Redis
 * trouble degrades to "not cached" (TMDB is asked again) instead of failing a card.
 */
export class RedisWatchCache implements WatchCache {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: { redis: Redis; keyPrefix?: string }) {
    this.redis = options.redis;
    this.prefix = options.keyPrefix ?? "moviebot";
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(`${this.prefix}:${key}`)) ?? undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    try {
      await this.redis.set(
        `${this.prefix}:${key}`,
        value,
        "EX",
        Math.max(1, Math.round(ttlSeconds)),
      );
    } catch {
      // Not remembering is fine: the next look-up asks TMDB again.
    }
  }
}
