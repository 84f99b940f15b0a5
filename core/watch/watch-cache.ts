import { LRUCache } from "lru-cache";

/**
 * Port: where watch look-ups are remembered, as JSON text by key. In memory by default; Redis when
 * it is there, so every instance shares one cache. `undefined` = not cached.
 */
export interface WatchCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}

/** The in-process WatchCache, used when there is no Redis. */
export class MemoryWatchCache implements WatchCache {
  private readonly cache: LRUCache<string, string>;

  constructor(maxEntries = 10_000) {
    this.cache = new LRUCache({ max: maxEntries });
  }

  async get(key: string): Promise<string | undefined> {
    return this.cache.get(key);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.cache.set(key, value, { ttl: ttlSeconds * 1000 });
  }
}
