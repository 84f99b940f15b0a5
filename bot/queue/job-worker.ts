import { randomUUID } from "node:crypto";
import { type Job as BullJob, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { QueueSettings } from "../config.ts";
import { createJobProcessor, type ProcessorDeps } from "./job-processor.ts";
import type { Outcome } from "./queue-metrics.ts";
import { BULL_PREFIX } from "./queue-names.ts";
import { retryDelayMs } from "./retry-policy.ts";

export interface JobWorkerOptions extends Omit<ProcessorDeps, "owner"> {
  /** A worker connection (createWorkerConnection); BullMQ duplicates it for its blocking reads. */
  redis: Redis;
  /** The config's queue section, as is. */
  queue: QueueSettings;
}

export function createJobWorker(options: JobWorkerOptions): Worker<unknown, Outcome, string> {
  const owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const processor = createJobProcessor({ ...options, owner });
  const worker = new Worker<unknown, Outcome, string>(
    options.queue.name,
    (job: BullJob<unknown, Outcome, string>) => processor.process(job),
    {
      connection: options.redis,
      prefix: BULL_PREFIX,
      concurrency: options.queue.concurrency,
      lockDuration: options.queue.lockMs,
      stalledInterval: options.queue.stalledIntervalMs,
      maxStalledCount: options.queue.maxStalled,
      settings: {
        backoffStrategy: (attemptsMade, _type, error) =>
          retryDelayMs(attemptsMade, options.queue.backoffMs, error),
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
