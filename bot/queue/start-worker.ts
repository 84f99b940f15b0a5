import { Queue } from "bullmq";
import type { Logger } from "pino";
import type { CardService } from "../../core/cards/card-service.ts";
import type { Deliverers } from "../../core/jobs/run-job.ts";
import type { QueueSettings } from "../config.ts";
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

export interface WorkerDeps {
  redisUrl: string;
  /** The config's queue section, as is. */
  queue: QueueSettings;
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
  const { queue: settings, logger } = deps;
  const redis = createWorkerConnection(deps.redisUrl);
  const commands = createCommandConnection(deps.redisUrl);
  const prefix = moviebotKeyPrefix(settings.name);
  const deadLetters = new DeadLetterLog({ redis: commands, prefix });
  const ledger = new DeliveryLedger({
    redis: commands,
    prefix,
    leaseMs: settings.deliveryLeaseMs,
    // The longest reply token (Slack's response_url, 30 min), with margin.
    rememberSeconds: 3600,
  });
  const worker = createJobWorker({
    redis,
    queue: settings,
    cards: deps.cards,
    deliverers: deps.deliverers,
    ledger,
    deadLetters,
    logger,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
  const queue = new Queue(settings.name, { connection: redis, prefix: BULL_PREFIX });
  queue.on("error", (error) => logger.debug({ err: error.message }, "queue connection error"));
  logger.info({ queue: settings.name, concurrency: settings.concurrency }, "queue worker started");

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
            { queue: settings.name, afterMs: settings.shutdownMs },
            "in-flight jobs did not finish in time; handing them back to the queue",
          );
          // Their locks lapse and the stalled check gives them to another worker. With Redis
          // gone even this cannot complete, so it gets a bound too.
          await within(worker.close(true), 1_000);
        }
        await within(queue.close(), 500);
        await closeConnection(redis);
        await closeConnection(commands);
        logger.info({ queue: settings.name }, "queue worker stopped");
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
