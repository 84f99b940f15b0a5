import type { Logger } from "pino";
import type { CardService } from "../../core/cards/card-service.ts";
import { InProcessJobQueue } from "../../core/jobs/in-process-job-queue.ts";
import type { JobQueue } from "../../core/jobs/job.ts";
import { describeJob } from "../../core/jobs/job-schema.ts";
import { type Deliverers, runJob } from "../../core/jobs/run-job.ts";
import type { Config } from "../config.ts";
import { BullmqJobQueue } from "./bullmq-job-queue.ts";
import { FallbackJobQueue } from "./fallback-job-queue.ts";
import { createProducerConnection, createWorkerConnection } from "./redis-connections.ts";

export type QueueConfig = Pick<
  Config,
  | "REDIS_URL"
  | "QUEUE_NAME"
  | "QUEUE_CONCURRENCY"
  | "QUEUE_ATTEMPTS"
  | "QUEUE_BACKOFF_MS"
  | "QUEUE_ENQUEUE_TIMEOUT_MS"
  | "QUEUE_RESCUE_AFTER_MS"
>;

/** Jobs run in this process with bounded concurrency: the embedded default, and the fallback. */
export function createInProcessQueue(deps: {
  cards: CardService;
  deliverers: Deliverers;
  concurrency: number;
  logger: Logger;
}): InProcessJobQueue {
  return new InProcessJobQueue({
    handler: (job) => runJob(deps.cards, deps.deliverers, job),
    concurrency: deps.concurrency,
    onError: (error, job) =>
      deps.logger.error(
        { ...describeJob(job), err: error instanceof Error ? error.message : String(error) },
        "in-process job failed",
      ),
  });
}

/**
 * The JobQueue the chat adapters submit to: BullMQ on Redis when REDIS_URL is set (falling back to
 * in-process when Redis cannot take a job), else in-process only.
 */
export function createJobQueue(deps: {
  config: QueueConfig;
  cards: CardService;
  deliverers: Deliverers;
  logger: Logger;
}): { queue: JobQueue; bullmq: BullmqJobQueue | undefined } {
  const { config, logger } = deps;
  const inProcess = createInProcessQueue({ ...deps, concurrency: config.QUEUE_CONCURRENCY });
  if (!config.REDIS_URL) return { queue: inProcess, bullmq: undefined };
  const bullmq = new BullmqJobQueue({
    redis: createProducerConnection(config.REDIS_URL),
    queueName: config.QUEUE_NAME,
    attempts: config.QUEUE_ATTEMPTS,
    backoffMs: config.QUEUE_BACKOFF_MS,
    enqueueTimeoutMs: config.QUEUE_ENQUEUE_TIMEOUT_MS,
    logger,
    rescue: {
      eventsConnection: createWorkerConnection(config.REDIS_URL, "moviebot-events"),
      afterMs: config.QUEUE_RESCUE_AFTER_MS,
    },
  });
  bullmq.rescueWith((jobs) => {
    for (const job of jobs) {
      logger.warn(describeJob(job), "Redis lost a queued job; running it in-process");
      void inProcess.submit(job);
    }
  });
  return { queue: new FallbackJobQueue({ primary: bullmq, fallback: inProcess, logger }), bullmq };
}
