import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, describe } from "vitest";
import { closeConnection, createCommandConnection } from "../../bot/queue/redis-connections.ts";
import { RedisSharedCardsStore } from "../../bot/queue/redis-shared-cards-store.ts";
import {
  MemorySharedCardsStore,
  type SharedCardsStore,
} from "../../core/cards/shared-cards-store.ts";
import { describeWith, requireRedis, TEST_REDIS_URL } from "./requirements.ts";

/**
 * The two SharedCardsStore adapters, for tests that must hold on both: in memory (no REDIS_URL)
 * and on a real Redis, each Redis store under a key prefix of its own so parallel files never meet.
 */
export interface SharedStoreKind {
  name: "memory" | "redis";
  make(ttlMs: number): SharedCardsStore;
  close(): Promise<void>;
}

export function memoryShared(): SharedStoreKind {
  return {
    name: "memory",
    make: (ttlMs) => new MemorySharedCardsStore({ ttlMs }),
    close: async () => {},
  };
}

export function redisShared(url = TEST_REDIS_URL): SharedStoreKind & { redis(): Redis } {
  let connection: Redis | undefined;
  const redis = () => {
    connection ??= createCommandConnection(url);
    return connection;
  };
  const keyPrefix = `moviebot-test:shared:${randomUUID()}`;
  return {
    name: "redis",
    make: (ttlMs) => new RedisSharedCardsStore({ redis: redis(), ttlMs, keyPrefix }),
    redis,
    async close() {
      if (!connection) return;
      const keys = await connection.keys(`${keyPrefix}:*`);
      if (keys.length > 0) await connection.del(...keys);
      await closeConnection(connection);
    },
  };
}

const redis = await requireRedis();

/**
 * The same suite with the cards kept in memory and on Redis (skipped with the reason when Redis
 * does not answer); each suite's Redis keys are its own and are removed after it.
 */
export function describeEachSharedStore(
  title: string,
  body: (kind: SharedStoreKind) => void,
): void {
  const memory = memoryShared();
  describe(`${title}, cards kept in memory`, () => {
    afterAll(() => memory.close());
    body(memory);
  });
  const onRedis = redisShared(redis.url);
  describeWith(redis)(`${title}, cards kept in redis`, () => {
    afterAll(() => onRedis.close());
    body(onRedis);
  });
}
