import { type Job as BullJob, Worker } from "bullmq";
import type { Logger } from "pino";
import type { MovieNightService } from "../../core/movienight/movie-night-service.ts";
import { parseNightJob } from "../../core/movienight/night-job-schema.ts";
import type { NightJob } from "../../core/movienight/night-ports.ts";
import { nightQueueName } from "./bullmq-night-timers.ts";
import { BULL_PREFIX } from "./queue-names.ts";
import { closeConnection, createWorkerConnection } from "./redis-connections.ts";

/**
 * When the worker took the job: the occurrence a scheduler's job stands for is the latest one at or
 * before this (a delayed job is never taken early). Not `timestamp + delay`: the scheduler's first
 * job carries the moment the schedule was set, so a schedule set more than a minute ahead claimed
 * the week before's occurrence and a second run of the real one posted again.
 */
function takenAt(job: BullJob): number {
  return job.processedOn ?? Date.now();
}

/**
 * Runs movie-night jobs from Redis (`npm run worker`, or `npm start` with RUN_WORKER): closes and
 * weekly posts, dispatched by name. Several workers may run; BullMQ hands each job to one, and the
 * service's state changes and claims make any second run (a retry, a stalled job) do nothing.
 */
export function startNightWorker(deps: {
  redisUrl: string;
  queueName: string;
  service: MovieNightService;
  logger: Logger;
}): { ready(): Promise<void>; close(): Promise<void> } {
  const redis = createWorkerConnection(deps.redisUrl, "moviebot-night-worker");
  const worker = new Worker<unknown, void, NightJob["kind"]>(
    nightQueueName(deps.queueName),
    async (job) => {
      const data = parseNightJob(job.data);
      switch (job.name) {
        case "close-joining":
        case "close-voting":
          await deps.service.run(data);
          return;
        case "scheduled":
          await deps.service.run(data, takenAt(job));
          return;
        default:
          throw new Error(`unknown movie-night job ${String(job.name)}`);
      }
    },
    { connection: redis, prefix: BULL_PREFIX, concurrency: 4 },
  );
  worker.on("failed", (job, error) => {
    deps.logger.warn({ job: job?.name, reason: error.message }, "movie-night job failed");
  });
  worker.on("error", (error) =>
    deps.logger.warn({ err: error.message }, "movie-night worker error"),
  );
  return {
    ready: () => worker.waitUntilReady().then(() => undefined),
    async close() {
      await worker.close().catch(() => {});
      await closeConnection(redis);
    },
  };
}
