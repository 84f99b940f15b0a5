import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Job, JobName, JobQueue } from "../../core/jobs/job.ts";
import { parseJob } from "../../core/jobs/job-schema.ts";
import { DeadLetterLog } from "./dead-letters.ts";
import { PendingJobs } from "./pending-jobs.ts";
import type { JobState } from "./queue-metrics.ts";
import { BULL_PREFIX, bullJobId, moviebotKeyPrefix } from "./queue-names.ts";
import { closeConnection } from "./redis-connections.ts";

/** The BullMQ payload is the moviebot Job itself (validated JSON), named for its request. */
export type BullQueue = Queue<Job, string, JobName>;

export interface BullmqJobQueueOptions {
  /** A producer connection (createProducerConnection): fails fast while Redis is down. Closed by close(). */
  redis: Redis;
  queueName: string;
  /** Total tries per job, first run included. */
  attempts: number;
  /** First retry delay; doubles each time unless the platform said how long (429 retry-after). */
  backoffMs: number;
  /** An enqueue slower than this counts as "Redis is down" (the caller then runs the job in-process). */
  enqueueTimeoutMs: number;
  logger: Logger;
  /**
   * Keep track of enqueued jobs until a worker finishes them, and hand them to `rescueWith` if
   * Redis loses them. Needs its own blocking connection (createWorkerConnection) for the events.
   */
  rescue?: { eventsConnection: Redis; afterMs: number };
}

export class EnqueueTimeoutError extends Error {
  constructor(ms: number) {
    super(`Enqueue did not finish within ${ms} ms`);
    this.name = "EnqueueTimeoutError";
  }
}

/**
 * JobQueue on BullMQ: `submit` adds the job with a BullMQ id derived from the interaction, so a
 * retried interaction (Slack and Discord both resend when the ack is late) finds the job already
 * there and BullMQ adds nothing. Completed jobs are kept an hour — longer than any reply token
 * lives — so the dedupe still holds after the first run finished.
 */
export class BullmqJobQueue implements JobQueue {
  readonly queue: BullQueue;
  /** The workers' dead letters, readable from the bot process too (for /metrics). */
  readonly deadLetters: DeadLetterLog;
  private readonly redis: Redis;
  private readonly enqueueTimeoutMs: number;
  private readonly pending: PendingJobs | undefined;

  constructor(options: BullmqJobQueueOptions) {
    this.redis = options.redis;
    this.enqueueTimeoutMs = options.enqueueTimeoutMs;
    this.deadLetters = new DeadLetterLog({
      redis: options.redis,
      prefix: moviebotKeyPrefix(options.queueName),
    });
    this.queue = new Queue<Job, string, JobName>(options.queueName, {
      connection: options.redis,
      prefix: BULL_PREFIX,
      defaultJobOptions: {
        attempts: options.attempts,
        // A custom type: the worker's backoffStrategy honours retry-after, else doubles this delay.
        backoff: { type: "moviebot", delay: options.backoffMs },
        removeOnComplete: { age: 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
      },
    });
    // Connection errors are expected while Redis is down (submit then throws and the caller falls
    // back); without a listener EventEmitter would turn them into an uncaught exception.
    this.queue.on("error", (error) => {
      options.logger.debug({ err: error.message }, "queue connection error");
    });
    this.pending =
      options.rescue &&
      new PendingJobs({
        queue: this.queue,
        producer: options.redis,
        eventsConnection: options.rescue.eventsConnection,
        rescueAfterMs: options.rescue.afterMs,
        logger: options.logger,
      });
  }

  /** Jobs Redis lost (see PendingJobs) go to `handler`, typically an in-process queue. */
  rescueWith(handler: (jobs: Job[]) => void): void {
    this.pending?.rescueWith(handler);
  }

  /** Enqueued jobs no worker has finished yet (0 without rescue). */
  get pendingCount(): number {
    return this.pending?.size ?? 0;
  }

  async ready(): Promise<void> {
    await this.queue.waitUntilReady();
    await this.pending?.ready();
  }

  async submit(job: Job): Promise<void> {
    const valid = parseJob(job);
    const bullId = bullJobId(valid.id);
    // Tracked before the add, so a completion event that beats the add's reply is not missed.
    this.pending?.add(bullId, valid);
    try {
      await withTimeout(
        this.queue.add(valid.request.name, valid, { jobId: bullId }),
        this.enqueueTimeoutMs,
        () => new EnqueueTimeoutError(this.enqueueTimeoutMs),
      );
    } catch (error) {
      // The caller runs it elsewhere now; a rescue must not run it a second time.
      this.pending?.delete(bullId);
      throw error;
    }
  }

  jobCounts(): Promise<Partial<Record<JobState, number>>> {
    return this.queue.getJobCounts("waiting", "active", "completed", "failed", "delayed");
  }

  async close(): Promise<void> {
    await this.pending?.close();
    await withTimeout(this.queue.close(), 500, () => new EnqueueTimeoutError(500)).catch(() => {});
    await closeConnection(this.redis);
  }
}

export async function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
    // A promise that lost the race may still reject later; it has no one left to tell.
    promise.catch(() => {});
  }
}
