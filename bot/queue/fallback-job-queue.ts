import type { Logger } from "pino";
import type { Job, JobQueue } from "../../core/jobs/job.ts";
import { describeJob, InvalidJobError } from "../../core/jobs/job-schema.ts";

/**
 * Redis down must not lose a request: when the primary queue cannot take a job, it runs in this
 * process (InProcessJobQueue) instead, with a warning. A job is only lost if both fail, which
 * means this process cannot compute either.
 */
export class FallbackJobQueue implements JobQueue {
  private readonly primary: JobQueue;
  private readonly fallback: JobQueue;
  private readonly logger: Logger;
  private fallbackCount = 0;

  constructor(options: { primary: JobQueue; fallback: JobQueue; logger: Logger }) {
    this.primary = options.primary;
    this.fallback = options.fallback;
    this.logger = options.logger;
  }

  /** How many jobs ran in-process because the queue was unavailable (for tests and metrics). */
  get fallbacks(): number {
    return this.fallbackCount;
  }

  async submit(job: Job): Promise<void> {
    try {
      await this.primary.submit(job);
    } catch (error) {
      // A malformed job is the caller's bug, not an outage: running it in-process would not help.
      if (error instanceof InvalidJobError) throw error;
      this.fallbackCount += 1;
      this.logger.warn(
        { ...describeJob(job), err: error instanceof Error ? error.message : String(error) },
        "job queue unavailable; running the job in-process",
      );
      await this.fallback.submit(job);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.primary.close(), this.fallback.close()]);
  }
}
