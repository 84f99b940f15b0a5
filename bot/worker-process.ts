import type { Logger } from "pino";
import { collectDefaultMetrics, Registry } from "prom-client";
import type { Deliverers } from "../core/jobs/run-job.ts";
import { buildCore, type Core } from "./builders/core-builder.ts";
import { buildMovieNights } from "./builders/movienight-builder.ts";
import { buildDeliverers } from "./builders/queue-builder.ts";
import { buildSharedCards } from "./builders/shared-cards-builder.ts";
import type { Config, RedisSettings } from "./config.ts";
import { createMetricsRouter } from "./http/metrics-routes.ts";
import { HttpServer } from "./http/server.ts";
import { QueueMetrics, startMetricsLog } from "./queue/queue-metrics.ts";
import { closeConnection, createCommandConnection } from "./queue/redis-connections.ts";
import { redisQueueCounts } from "./queue/redis-queue-counts.ts";
import { startWorker } from "./queue/start-worker.ts";

export interface WorkerProcessOptions {
  /** Tests replace the core (a tiny catalogue) or the deliverers (a recorder); production never does. */
  core?: Pick<Core, "cards" | "close"> & Partial<Pick<Core, "afterReady">>;
  deliverers?: Deliverers;
  /** Where SIGTERM comes from; `process` in production. */
  signals?: NodeJS.EventEmitter;
  exit?: (code: number) => void;
}

/**
 * The composition root of `npm run worker` (Cloud Run's worker service), top to bottom: it still
 * listens on PORT — /healthz for the platform's probes, /metrics for the scraper — builds the core
 * and the deliverers, and consumes the queue; on SIGTERM it stops taking jobs and finishes or hands
 * back the in-flight ones within QUEUE_SHUTDOWN_MS.
 */
export async function runWorkerProcess(
  config: Config & { redis: RedisSettings },
  logger: Logger,
  options: WorkerProcessOptions = {},
): Promise<{ port: number; close(): Promise<void> }> {
  const http = new HttpServer(logger);
  const port = await http.listen(config.PORT, config.HOST);
  const core = options.core ?? (await buildCore(config, logger));
  // The worker keeps private results' cards in Redis; the bot that takes the Share click reads them.
  const shared = await buildSharedCards(config);
  const deliverers = options.deliverers ?? buildDeliverers(config, { store: shared.store, logger });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const countsConnection = createCommandConnection(config.redis.url);
  const counts = redisQueueCounts(countsConnection, config.queue.name);
  const metrics = new QueueMetrics(registry, counts);
  const worker = startWorker({
    redisUrl: config.redis.url,
    queue: config.queue,
    cards: core.cards,
    deliverers,
    logger,
    metrics,
  });
  const stopLog = startMetricsLog(metrics, logger, config.queue.metricsLogMs);
  // Movie nights' closes and weekly posts run here too (Cloud Run's always-on worker service).
  const nights = await buildMovieNights(config, core, logger, { runJobs: true });
  http.ready(createMetricsRouter(registry, config.METRICS_TOKEN));
  core.afterReady?.();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      stopLog();
      await worker.close();
      await nights?.close();
      await http.close();
      await counts.close().catch(() => {});
      await closeConnection(countsConnection);
      await shared.close();
      await core.close();
    })();
    return closing;
  };
  const signals = options.signals ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    signals.once(signal, () => {
      logger.info({ signal }, "shutting down the worker");
      void close().then(() => exit(0));
    });
  }
  return { port, close };
}
