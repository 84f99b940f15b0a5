import { Redis } from "ioredis";

/**
 * The producer side (the HTTP process enqueueing jobs) must fail fast when Redis is down, so the
 * request can run in-process instead of waiting on a dead socket past Slack's 3-second window:
 * no offline queue (commands fail at once while disconnected), one retry per request, a short
 * connect timeout. It keeps reconnecting in the background so the queue comes back by itself.
 */
export function createProducerConnection(redisUrl: string): Redis {
  return quiet(
    new Redis(redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 1_000,
      retryStrategy: (times) => Math.min(times * 250, 5_000),
      connectionName: "moviebot-producer",
    }),
  );
}

/**
 * Workers block on Redis waiting for jobs; BullMQ requires `maxRetriesPerRequest: null` there so
 * a blocking call survives a reconnect instead of failing the worker loop.
 */
export function createWorkerConnection(redisUrl: string, name = "moviebot-worker"): Redis {
  return quiet(
    new Redis(redisUrl, {
      maxRetriesPerRequest: null,
      retryStrategy: (times) => Math.min(times * 250, 5_000),
      connectionName: name,
    }),
  );
}

/** Quits politely, or drops the socket if Redis is gone (quit would wait for a reply that never comes). */
export async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  if (redis.status !== "ready") {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

/**
 * A worker's plain commands (delivery ledger, dead letters): queued while reconnecting, but never
 * for longer than `commandTimeoutMs`, so a job whose reply is ready does not hang on a dead Redis.
 */
export function createCommandConnection(redisUrl: string, commandTimeoutMs = 2_000): Redis {
  return quiet(
    new Redis(redisUrl, {
      maxRetriesPerRequest: 1,
      commandTimeout: commandTimeoutMs,
      retryStrategy: (times) => Math.min(times * 250, 5_000),
      connectionName: "moviebot-worker-commands",
    }),
  );
}

/**
 * Connection errors repeat on every reconnect attempt while Redis is down; they reach the code
 * that cares through the commands that fail (enqueue falls back, the ledger is skipped). Without
 * a listener ioredis would print each one as an "Unhandled error event".
 */
function quiet(redis: Redis): Redis {
  redis.on("error", () => {});
  return redis;
}
