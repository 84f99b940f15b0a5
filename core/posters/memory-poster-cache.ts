import { LRUCache } from "lru-cache";
import type { PosterCache } from "./poster-cache.ts";

/** The in-process PosterCache, used when there is no Redis. */
export class MemoryPosterCache implements PosterCache {
  // lru-cache cannot store null, so "no poster" is kept as an empty string.
  private readonly cache: LRUCache<number, string>;

  constructor(maxEntries = 20_000) {
    this.cache = new LRUCache({ max: maxEntries });
  }

  async get(tmdbId: number): Promise<string | null | undefined> {
    const value = this.cache.get(tmdbId);
    return value === undefined ? undefined : value === "" ? null : value;
  }

  async set(tmdbId: number, posterUrl: string | null, ttlSeconds: number): Promise<void> {
    this.cache.set(tmdbId, posterUrl ?? "", { ttl: ttlSeconds * 1000 });
  }
}
