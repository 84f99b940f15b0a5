import type { Redis } from "ioredis";
import type { PosterCache } from "../../core/posters/poster-cache.ts";

/** Stored for "looked up, no poster", so a miss is remembered as well as a hit. */
const NO_POSTER = "-";

/**
 * PosterCache on Redis: every bot and worker instance shares one cache, so TMDB sees each movie
 * once per TTL instead of once per instance. Redis trouble degrades to "not cached" (the TMDB
 * client then asks TMDB) instead of failing a card.
 */
export class RedisPosterCache implements PosterCache {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: { redis: Redis; keyPrefix?: string }) {
    this.redis = options.redis;
    this.prefix = options.keyPrefix ?? "moviebot:poster";
  }

  async get(tmdbId: number): Promise<string | null | undefined> {
    let value: string | null;
    try {
      value = await this.redis.get(this.key(tmdbId));
    } catch {
      return undefined;
    }
    if (value === null) return undefined;
    return value === NO_POSTER ? null : value;
  }

  async set(tmdbId: number, posterUrl: string | null, ttlSeconds: number): Promise<void> {
    try {
      await this.redis.set(
        this.key(tmdbId),
        posterUrl ?? NO_POSTER,
        "EX",
        Math.max(1, Math.round(ttlSeconds)),
      );
    } catch {
      // Not remembering is fine: the next look-up asks TMDB again.
    }
  }

  private key(tmdbId: number): string {
    return `${this.prefix}:${tmdbId}`;
  }
}
