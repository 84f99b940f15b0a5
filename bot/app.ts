import express from "express";
import type { Logger } from "pino";
import { Registry } from "prom-client";
import { createDeliverers, startChat } from "./chat.ts";
import { buildCore, type Core } from "./compose.ts";
import type { Config } from "./config.ts";
import { createApiRouter } from "./http/api-routes.ts";
import { createMetricsRouter } from "./http/metrics-routes.ts";
import { HttpServer } from "./http/server.ts";
import { closeConnection, createCommandConnection } from "./queue/redis-connections.ts";
import { RedisPosterCache } from "./queue/redis-poster-cache.ts";
import { RedisWatchCache } from "./queue/redis-watch-cache.ts";
import { startQueue } from "./queue/start-queue.ts";

export interface RunningApp {
  port: number;
  /** Resolves once the core is built and every route is served (or rejects if start-up failed). */
  ready: Promise<Core>;
  close(): Promise<void>;
}

/**
 * `npm start`: the HTTP server listens at once (so /healthz can say 503 "starting" to Cloud Run's
 * probe), builds the core, then installs the API and chat routes.
 */
export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  const server = new HttpServer(logger);
  const port = await server.listen(config.PORT, config.HOST);
  const closers: (() => Promise<void>)[] = [];

  const ready = (async () => {
    // With Redis, poster look-ups are shared by every instance (bot and worker).
    const posterRedis = config.REDIS_URL ? createCommandConnection(config.REDIS_URL) : undefined;
    if (posterRedis) closers.push(() => closeConnection(posterRedis));
    const core = await buildCore(
      config,
      logger,
      posterRedis
        ? {
            posterCache: new RedisPosterCache({ redis: posterRedis }),
            watchCache: new RedisWatchCache({ redis: posterRedis }),
          }
        : {},
    );
    closers.push(() => core.close());
    // BullMQ when REDIS_URL is set (with a worker here unless RUN_WORKER=false), else in-process.
    const registry = new Registry();
    const queue = startQueue({
      config,
      cards: core.cards,
      deliverers: createDeliverers(config),
      logger,
      registry,
    });
    closers.push(() => queue.close());
    const jobs = queue.queue;
    const chat = await startChat(config, core, jobs, logger);
    closers.push(() => chat.stop());

    const router = express.Router();
    for (const chatRouter of chat.routers) router.use(chatRouter);
    router.use(createApiRouter(core.cards, logger));
    router.use(createMetricsRouter(registry));
    server.ready(router);
    logger.info({ port }, "ready");
    return core;
  })();

  return {
    port,
    ready,
    async close() {
      // Stop taking requests, then let in-flight replies finish (chat first, queue last).
      await server.close();
      for (const close of closers.reverse()) await close();
    },
  };
}
