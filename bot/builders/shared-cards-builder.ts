import {
  MemorySharedCardsStore,
  type SharedCardsStore,
} from "../../core/cards/shared-cards-store.ts";
import type { Config } from "../config.ts";

/**
 * Where "Share to channel" finds the cards a member saw: Redis when REDIS_URL is set (a worker
 * keeps them, any bot instance takes the click), else this process's memory (jobs run here too).
 */
export async function buildSharedCards(
  config: Pick<Config, "redis" | "SHARE_TTL_MINUTES">,
): Promise<{ store: SharedCardsStore; close(): Promise<void> }> {
  const ttlMs = config.SHARE_TTL_MINUTES * 60_000;
  if (!config.redis) {
    return {
      store: new MemorySharedCardsStore({ ttlMs }),
      close: async () => {},
    };
  }
  const [{ closeConnection, createCommandConnection }, { RedisSharedCardsStore }] =
    await Promise.all([
      import("../queue/redis-connections.ts"),
      import("../queue/redis-shared-cards-store.ts"),
    ]);
  const redis = createCommandConnection(config.redis.url);
  return {
    store: new RedisSharedCardsStore({ redis, ttlMs }),
    close: () => closeConnection(redis),
  };
}
