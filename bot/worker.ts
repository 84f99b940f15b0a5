// `npm run worker`: a BullMQ worker as its own process (the Cloud Run worker service).
import pino from "pino";
import { createDeliverers } from "./chat.ts";
import { buildCore } from "./compose.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { closeConnection, createCommandConnection } from "./queue/redis-connections.ts";
import { RedisPosterCache } from "./queue/redis-poster-cache.ts";
import { RedisWatchCache } from "./queue/redis-watch-cache.ts";
import { runWorkerProcess } from "./worker-process.ts";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
  if (!config.REDIS_URL)
    throw new ConfigError("npm run worker needs REDIS_URL: the queue it consumes.");
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const logger = pino({ level: config.LOG_LEVEL });
const redisUrl = config.REDIS_URL as string;
try {
  await runWorkerProcess({
    config,
    logger,
    deliverers: createDeliverers(config),
    async buildCore(settings, log) {
      // Posters looked up by any instance are shared through Redis.
      const posterRedis = createCommandConnection(redisUrl);
      const core = await buildCore(settings, log, {
        posterCache: new RedisPosterCache({ redis: posterRedis }),
        watchCache: new RedisWatchCache({ redis: posterRedis }),
      });
      return {
        cards: core.cards,
        async close() {
          await core.close();
          await closeConnection(posterRedis);
        },
      };
    },
  });
} catch (error) {
  logger.fatal({ err: error }, "worker start-up failed");
  process.exit(1);
}
