import pLimit from "p-limit";
import type { Job, JobQueue } from "./job.ts";

/**
 * The embedded default: jobs run in this process with bounded concurrency, so a single machine
 * needs no Redis. Duplicate ids (a retried interaction) are dropped while remembered.
 */
export class InProcessJobQueue implements JobQueue {
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly seen = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly handler: (job: Job) => Promise<void>;
  private readonly onError: (error: unknown, job: Job) => void;

  constructor(options: {
    handler: (job: Job) => Promise<void>;
    concurrency?: number;
    onError?: (error: unknown, job: Job) => void;
  }) {
    this.handler = options.handler;
    this.limit = pLimit(options.concurrency ?? 4);
    this.onError = options.onError ?? (() => {});
  }

  async submit(job: Job): Promise<void> {
    if (this.seen.has(job.id)) return;
    this.seen.add(job.id);
    if (this.seen.size > 10_000) this.seen.delete(this.seen.values().next().value as string);
    const run = this.limit(() => this.handler(job)).catch((error) => this.onError(error, job));
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Waits for every job already submitted. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
