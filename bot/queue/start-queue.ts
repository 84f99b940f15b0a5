import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { CardService } from "../../core/cards/card-service.ts";
import type { JobQueue } from "../../core/jobs/job.ts";
import type { Deliverers } from "../../core/jobs/run-job.ts";
import type { Config } from "../config.ts";
import { createJobQueue } from "./create-job-queue.ts";
import { QueueMetrics, startMetricsLog } from "./queue-metrics.ts";
import { type RunningWorker, startWorker, workerSettingsFrom } from "./start-worker.ts";

export interface QueueRuntime {
  /** What the Slack and Discord adapters submit slow work to. */
  queue: JobQueue;
  metrics: QueueMetrics;
  /** The in-process BullMQ worker, when REDIS_URL is set and RUN_WORKER is true. */
  worker: RunningWorker | undefined;
  /** Stops the worker (in-flight jobs finish or are handed back within QUEUE_SHUTDOWN_MS), then the queue. */
  close(): Promise<void>;
}

/**
 * Everything `npm start` needs from the queue, in one call for the composition root: the JobQueue
 * (BullMQ with in-process fallback, or in-process only), queue metrics on `registry` (mount
 * `createMetricsRouter(registry)` for GET /metrics), the periodic metrics log line, and a worker
 * in this process unless RUN_WORKER=false (Cloud Run runs the worker as its own service).
 */
export function startQueue(deps: {
  config: Config;
  cards: CardService;
  deliverers: Deliverers;
  logger: Logger;
  registry: Registry;
}): QueueRuntime {
  const { config, logger } = deps;
  const { queue, bullmq } = createJobQueue(deps);
  const metrics = new QueueMetrics(
    deps.registry,
    bullmq
      ? { jobCounts: () => bullmq.jobCounts(), deadLetters: () => bullmq.deadLetters.count() }
      : {},
  );
  const worker =
    bullmq && config.RUN_WORKER
      ? startWorker({
          settings: workerSettingsFrom(config),
          cards: deps.cards,
          deliverers: deps.deliverers,
          logger,
          metrics,
        })
      : undefined;
  const stopLog = bullmq ? startMetricsLog(metrics, logger, config.QUEUE_METRICS_LOG_MS) : () => {};
  logger.info(
    { queue: bullmq ? "bullmq" : "in-process", worker: worker ? "in-process" : "none" },
    "job queue ready",
  );
  return {
    queue,
    metrics,
    worker,
    async close() {
      stopLog();
      await worker?.close();
      await queue.close();
    },
  };
}
