import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { DeadLetterLog } from "./dead-letters.ts";
import { JOB_STATES, type QueueCountSources } from "./queue-metrics.ts";
import { BULL_PREFIX, moviebotKeyPrefix } from "./queue-names.ts";

/**
 * The shared queue's counts, read from Redis: the same answer in every process, so a worker
 * process can report them without reaching into its own worker. `close` ends the reader.
 */
export function redisQueueCounts(
  redis: Redis,
  queueName: string,
): Required<QueueCountSources> & { close(): Promise<void> } {
  const queue = new Queue(queueName, { connection: redis, prefix: BULL_PREFIX });
  queue.on("error", () => {});
  const deadLetters = new DeadLetterLog({ redis, prefix: moviebotKeyPrefix(queueName) });
  return {
    jobCounts: () => queue.getJobCounts(...JOB_STATES),
    deadLetters: () => deadLetters.count(),
    close: () => queue.close(),
  };
}
