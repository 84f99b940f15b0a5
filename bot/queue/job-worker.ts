import { randomUUID } from "node:crypto";
import { type Job as BullJob, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { createJobProcessor, type ProcessorDeps } from "./job-processor.ts";
import type { Outcome } from "./queue-metrics.ts";
import { BULL_PREFIX } from "./queue-names.ts";
import { retryDelayMs } from "./retry-policy.ts";

export interface JobWorkerOptions extends Omit<ProcessorDeps, "owner"> {
  /** A worker connection (createWorkerConnection); BullMQ duplicates it for its blocking reads. */
  redis: Redis;
  queueName: string;
  concurrency: number;
  /** First retry delay when the platform did not say; doubles per attempt, with jitter. */
  backoffMs: number;
  /** How long a job stays locked to a worker without a renewal; a dead worker's jobs return after it. */
  lockDurationMs: number;
  /** How often to look for jobs whose worker died (stalled) and put them back in the queue. */
  stalledIntervalMs: number;
  /** Times a job may stall (its worker die mid-run) before it is dead-lettered. */
  maxStalledCount: number;
}

export function createJobWorker(options: JobWorkerOptions): Worker<unknown, Outcome, string> {
  const owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const processor = createJobProcessor({ ...options, owner });
  const worker = new Worker<unknown, Outcome, string>(
    options.queueName,
    (job: BullJob<unknown, Outcome, string>) => processor.process(job),
    {
      connection: options.redis,
      prefix: BULL_PREFIX,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: options.maxStalledCount,
      settings: {
        backoffStrategy: (attemptsMade, _type, error) =>
          retryDelayMs(attemptsMade, options.backoffMs, error),
      },
      name: owner,
    },
  );
  worker.on("failed", (job, error) => {
    // The processor handles its own give-ups; this catches the one BullMQ decides alone.
    if (job && /stalled more than allowable limit/i.test(error.message)) {
      void processor.stalledOut(job, error.message);
    }
  });
  worker.on("error", (error) => {
    options.logger.warn({ err: error.message }, "queue worker error");
  });
  return worker;
}
