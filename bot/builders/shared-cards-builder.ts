import {
  MemorySharedCardsStore,
  type SharedCardsStore,
} from "../../core/cards/shared-cards-store.ts";
import type { Config } from "../config.ts";
import { closeConnection, createCommandConnection } from "../queue/redis-connections.ts";
import { RedisSharedCardsStore } from "../queue/redis-shared-cards-store.ts";

/**
 * Where "Share to channel" finds the cards a member saw: Redis when REDIS_URL is set (a worker
 * keeps them, any bot instance takes the click), else this process's memory (jobs run here too).
 */
export function buildSharedCards(config: Pick<Config, "redis" | "SHARE_TTL_MINUTES">): {
  store: SharedCardsStore;
  close(): Promise<void>;
} {
  const ttlMs = config.SHARE_TTL_MINUTES * 60_000;
  if (!config.redis) {
    return {
      store: new MemorySharedCardsStore({ ttlMs }),
      close: async () => {},
    };
  }
  const redis = createCommandConnection(config.redis.url);
  return {
    store: new RedisSharedCardsStore({ redis, ttlMs }),
    close: () => closeConnection(redis),
  };
}
