import { Queue } from "bullmq";
import type { Logger } from "pino";
import type { CardService } from "../../core/cards/card-service.ts";
import type { Deliverers } from "../../core/jobs/run-job.ts";
import type { Config } from "../config.ts";
import { DeadLetterLog } from "./dead-letters.ts";
import { DeliveryLedger } from "./delivery-ledger.ts";
import { createJobWorker } from "./job-worker.ts";
import type { QueueMetrics } from "./queue-metrics.ts";
import { BULL_PREFIX, moviebotKeyPrefix } from "./queue-names.ts";
import {
  closeConnection,
  createCommandConnection,
  createWorkerConnection,
} from "./redis-connections.ts";

export interface WorkerSettings {
  redisUrl: string;
  queueName: string;
  concurrency: number;
  backoffMs: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  /** How long SIGTERM waits for in-flight jobs before handing them back. */
  shutdownMs: number;
  /** Delivery lease: longer than one delivery can take. */
  leaseMs: number;
}

export function workerSettingsFrom(config: Config): WorkerSettings {
  if (!config.REDIS_URL) throw new Error("REDIS_URL is required to run a queue worker");
  return {
    redisUrl: config.REDIS_URL,
    queueName: config.QUEUE_NAME,
    concurrency: config.QUEUE_CONCURRENCY,
    backoffMs: config.QUEUE_BACKOFF_MS,
    lockDurationMs: config.QUEUE_LOCK_MS,
    stalledIntervalMs: config.QUEUE_STALLED_INTERVAL_MS,
    maxStalledCount: config.QUEUE_MAX_STALLED,
    shutdownMs: config.QUEUE_SHUTDOWN_MS,
    leaseMs: config.QUEUE_DELIVERY_LEASE_MS,
  };
}

export interface WorkerDeps {
  settings: WorkerSettings;
  cards: CardService;
  deliverers: Deliverers;
  logger: Logger;
  metrics?: QueueMetrics;
}

export interface RunningWorker {
  deadLetters: DeadLetterLog;
  /** BullMQ's job counts for this queue (for metrics). */
  jobCounts(): Promise<Record<string, number>>;
  /** Waits for ready (connected to Redis). */
  ready(): Promise<void>;
  /** Stops taking jobs; in-flight ones finish, or after `shutdownMs` are handed back (their locks lapse and another worker takes them). */
  close(): Promise<void>;
}

/** Starts a BullMQ worker on the shared queue: what `npm run worker` and `npm start` (RUN_WORKER) run. */
export function startWorker(deps: WorkerDeps): RunningWorker {
  const { settings, logger } = deps;
  const redis = createWorkerConnection(settings.redisUrl);
  const commands = createCommandConnection(settings.redisUrl);
  const prefix = moviebotKeyPrefix(settings.queueName);
  const deadLetters = new DeadLetterLog({ redis: commands, prefix });
  const ledger = new DeliveryLedger({
    redis: commands,
    prefix,
    leaseMs: settings.leaseMs,
    // The longest reply token (Slack's response_url, 30 min), with margin.
    rememberSeconds: 3600,
  });
  const worker = createJobWorker({
    redis,
    queueName: settings.queueName,
    concurrency: settings.concurrency,
    backoffMs: settings.backoffMs,
    lockDurationMs: settings.lockDurationMs,
    stalledIntervalMs: settings.stalledIntervalMs,
    maxStalledCount: settings.maxStalledCount,
    cards: deps.cards,
    deliverers: deps.deliverers,
    ledger,
    deadLetters,
    logger,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
  const queue = new Queue(settings.queueName, { connection: redis, prefix: BULL_PREFIX });
  queue.on("error", (error) => logger.debug({ err: error.message }, "queue connection error"));
  logger.info(
    { queue: settings.queueName, concurrency: settings.concurrency },
    "queue worker started",
  );

  let closing: Promise<void> | undefined;
  return {
    deadLetters,
    jobCounts: () => queue.getJobCounts("waiting", "active", "completed", "failed", "delayed"),
    ready: async () => {
      await worker.waitUntilReady();
      if (commands.status !== "ready") await new Promise((r) => commands.once("ready", r));
    },
    close() {
      closing ??= (async () => {
        const finished = await within(worker.close(), settings.shutdownMs);
        if (!finished) {
          logger.warn(
            { queue: settings.queueName, afterMs: settings.shutdownMs },
            "in-flight jobs did not finish in time; handing them back to the queue",
          );
          // Their locks lapse and the stalled check gives them to another worker. With Redis
          // gone even this cannot complete, so it gets a bound too.
          await within(worker.close(true), 1_000);
        }
        await within(queue.close(), 500);
        await closeConnection(redis);
        await closeConnection(commands);
        logger.info({ queue: settings.queueName }, "queue worker stopped");
      })();
      return closing;
    },
  };
}

/** True if `promise` settled within `ms`; never rejects (shutdown goes on regardless). */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const settled = promise.then(
    () => true,
    () => true,
  );
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref());
  return Promise.race([settled, timeout]);
}
