import type { Logger } from "pino";
import { Registry } from "prom-client";
import type { CardService } from "../core/cards/card-service.ts";
import type { Deliverers } from "../core/jobs/run-job.ts";
import type { Config } from "./config.ts";
import { createMetricsRouter } from "./http/metrics-routes.ts";
import { HttpServer } from "./http/server.ts";
import { QueueMetrics, startMetricsLog } from "./queue/queue-metrics.ts";
import { startWorker, workerSettingsFrom } from "./queue/start-worker.ts";

export interface WorkerProcessDeps {
  config: Config;
  logger: Logger;
  /** The composition root's core builder (bot/compose.ts buildCore); `close` stops its background work. */
  buildCore: (
    config: Config,
    logger: Logger,
  ) => Promise<{ cards: CardService; close?: () => Promise<void> }>;
  /** The platform deliverers (Slack response_url, Discord interaction webhook). */
  deliverers: Deliverers;
  /** Where SIGTERM comes from; `process` in production. */
  signals?: NodeJS.EventEmitter;
  exit?: (code: number) => void;
}

/**
 * `npm run worker`: a queue worker as its own process (Cloud Run's worker service). It still
 * listens on PORT — /healthz for the platform's probes, /metrics for the scraper — and on SIGTERM
 * stops taking jobs and finishes or hands back the in-flight ones within QUEUE_SHUTDOWN_MS.
 */
export async function runWorkerProcess(
  deps: WorkerProcessDeps,
): Promise<{ port: number; close(): Promise<void> }> {
  const { config, logger } = deps;
  const http = new HttpServer(logger);
  const port = await http.listen(config.PORT, config.HOST);
  const core = await deps.buildCore(config, logger);
  const { cards } = core;
  const registry = new Registry();
  let counts: (() => Promise<Record<string, number>>) | undefined;
  let deadLetters: (() => Promise<number>) | undefined;
  const metrics = new QueueMetrics(registry, {
    jobCounts: () => counts?.() ?? Promise.resolve({}),
    deadLetters: () => deadLetters?.() ?? Promise.resolve(0),
  });
  const worker = startWorker({
    settings: workerSettingsFrom(config),
    cards,
    deliverers: deps.deliverers,
    logger,
    metrics,
  });
  counts = () => worker.jobCounts();
  deadLetters = () => worker.deadLetters.count();
  const stopLog = startMetricsLog(metrics, logger, config.QUEUE_METRICS_LOG_MS);
  http.ready(createMetricsRouter(registry));

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      stopLog();
      await worker.close();
      await http.close();
      await core.close?.();
    })();
    return closing;
  };
  const signals = deps.signals ?? process;
  const exit = deps.exit ?? ((code: number) => process.exit(code));
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    signals.once(signal, () => {
      logger.info({ signal }, "shutting down the worker");
      void close().then(() => exit(0));
    });
  }
  return { port, close };
}
