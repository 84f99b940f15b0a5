import { type Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Job } from "../../core/jobs/job.ts";
import { replyExpiresAt } from "../../core/jobs/job-schema.ts";
import { BULL_PREFIX } from "./queue-names.ts";
import { closeConnection } from "./redis-connections.ts";

/**
 * The jobs this process handed to Redis that no worker has finished yet, so they can be run
 * in-process if Redis goes away with them (a crash, a restart without persistence, a failover).
 *
 * - A job leaves the set when BullMQ reports it completed or failed (QueueEvents), or when its reply
 *   token expires (nothing could be delivered any more).
 * - Redis unreachable for `rescueAfterMs` → every pending job whose token still lives is rescued.
 * - Redis back after an outage → each pending job is looked up; the ones Redis lost are rescued.
 *
 * A rescued job may also have been delivered by a worker just before the outage (its completion
 * event lost with Redis). Running it again is the lesser evil: replies replace the deferred
 * message (Slack replace_original, Discord PATCH @original), so the user still sees one answer,
 * where skipping it could leave them with none.
 */
export class PendingJobs {
  private readonly pending = new Map<string, Job>();
  private readonly events: QueueEvents;
  private readonly eventsConnection: Redis;
  private readonly queue: Queue;
  private readonly logger: Logger;
  private readonly rescueAfterMs: number;
  private readonly pruneTimer: NodeJS.Timeout;
  private lostTimer: NodeJS.Timeout | undefined;
  private outage = false;
  private onRescue: (jobs: Job[]) => void = () => {};
  private closed = false;

  constructor(options: {
    queue: Queue;
    /** The producer connection: its close/ready events tell when Redis goes and comes back. */
    producer: Redis;
    /** A separate blocking connection for the event stream (createWorkerConnection). */
    eventsConnection: Redis;
    rescueAfterMs: number;
    logger: Logger;
  }) {
    this.queue = options.queue;
    this.logger = options.logger;
    this.rescueAfterMs = options.rescueAfterMs;
    this.eventsConnection = options.eventsConnection;
    this.events = new QueueEvents(options.queue.name, {
      connection: options.eventsConnection,
      prefix: BULL_PREFIX,
    });
    this.events.on("completed", ({ jobId }) => this.pending.delete(jobId));
    this.events.on("failed", ({ jobId }) => this.pending.delete(jobId));
    this.events.on("error", (error) =>
      this.logger.debug({ err: error.message }, "queue events error"),
    );
    options.producer.on("close", () => this.disconnected());
    options.producer.on("ready", () => this.reconnected());
    this.pruneTimer = setInterval(() => this.pruneExpired(), 60_000);
    this.pruneTimer.unref();
  }

  /** Called with jobs that Redis lost; the caller runs them elsewhere. */
  rescueWith(handler: (jobs: Job[]) => void): void {
    this.onRescue = handler;
  }

  add(bullJobId: string, job: Job): void {
    this.pending.set(bullJobId, job);
  }

  delete(bullJobId: string): void {
    this.pending.delete(bullJobId);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves once the event stream is being read, so no completion is missed (tests, start-up). */
  async ready(): Promise<void> {
    await this.events.waitUntilReady();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pruneTimer);
    clearTimeout(this.lostTimer);
    await Promise.race([
      this.events.close(),
      new Promise((resolve) => setTimeout(resolve, 500).unref()),
    ]);
    await closeConnection(this.eventsConnection);
  }

  private disconnected(): void {
    if (this.closed || this.lostTimer) return;
    this.outage = true;
    this.lostTimer = setTimeout(() => {
      const jobs = [...this.pending.keys()];
      this.rescue(jobs, "Redis unreachable");
    }, this.rescueAfterMs);
    this.lostTimer.unref();
  }

  private reconnected(): void {
    clearTimeout(this.lostTimer);
    this.lostTimer = undefined;
    if (!this.outage || this.closed) return;
    this.outage = false;
    void this.reconcile();
  }

  /** After an outage: rescue what Redis no longer has, forget what finished while we were not listening. */
  private async reconcile(): Promise<void> {
    const lost: string[] = [];
    for (const id of [...this.pending.keys()]) {
      try {
        const job = await this.queue.getJob(id);
        if (!job) lost.push(id);
        else if (job.finishedOn) this.pending.delete(id);
      } catch {
        return; // Redis went again; the next outage handles these.
      }
    }
    this.rescue(lost, "Redis lost the jobs");
  }

  private rescue(ids: string[], why: string): void {
    const now = Date.now();
    const jobs: Job[] = [];
    for (const id of ids) {
      const job = this.pending.get(id);
      this.pending.delete(id);
      if (job && now < replyExpiresAt(job)) jobs.push(job);
    }
    if (jobs.length === 0) return;
    this.logger.warn({ jobs: jobs.length, why }, "rescuing queued jobs to run in-process");
    this.onRescue(jobs);
  }

  private pruneExpired(): void {
    const now = Date.now();
    for (const [id, job] of this.pending) if (now >= replyExpiresAt(job)) this.pending.delete(id);
  }
}
