import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export const JOB_STATES = ["waiting", "active", "completed", "failed", "delayed"] as const;
export type JobState = (typeof JOB_STATES)[number];

export type Outcome = "delivered" | "apologized" | "duplicate" | "retried" | "dead_letter";

export interface QueueCountSources {
  /** BullMQ's getJobCounts; absent when no Redis queue is configured. */
  jobCounts?: () => Promise<Partial<Record<JobState, number>>>;
  deadLetters?: () => Promise<number>;
}

/**
 * Queue metrics on a prom-client registry: job counts by state and dead letters (read from Redis
 * at scrape time, so every instance reports the shared queue), plus what this process saw —
 * outcomes and the enqueue → delivered latency.
 */
export class QueueMetrics {
  readonly latency: Histogram<"platform">;
  readonly outcomes: Counter<"outcome">;
  private readonly sources: QueueCountSources;

  constructor(registry: Registry, sources: QueueCountSources = {}) {
    this.sources = sources;
    this.latency = new Histogram({
      name: "moviebot_job_latency_seconds",
      help: "Time from enqueue to the reply being accepted by Slack or Discord.",
      labelNames: ["platform"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    this.outcomes = new Counter({
      name: "moviebot_jobs_total",
      help: "Jobs handled by this process, by outcome.",
      labelNames: ["outcome"],
      registers: [registry],
    });
    const counts = async () => this.counts();
    new Gauge({
      name: "moviebot_queue_jobs",
      help: "Jobs in the queue by state (shared across instances).",
      labelNames: ["state"],
      registers: [registry],
      async collect() {
        const snapshot = await counts();
        for (const state of JOB_STATES) this.set({ state }, snapshot[state] ?? 0);
      },
    });
    new Gauge({
      name: "moviebot_queue_dead_letters",
      help: "Dead-letter records kept in Redis (jobs that gave up).",
      registers: [registry],
      async collect() {
        this.set((await counts()).dead_letters ?? 0);
      },
    });
  }

  observeDelivered(platform: string, enqueuedAt: number, now = Date.now()): void {
    this.latency.observe({ platform }, Math.max(0, now - enqueuedAt) / 1000);
  }

  count(outcome: Outcome): void {
    this.outcomes.inc({ outcome });
  }

  /** Current counts for the periodic log line; zeros when Redis cannot answer. */
  async counts(): Promise<Partial<Record<JobState | "dead_letters", number>>> {
    const [jobs, dead] = await Promise.all([
      this.sources.jobCounts?.().catch(() => ({})) ?? {},
      this.sources.deadLetters?.().catch(() => 0) ?? 0,
    ]);
    return { ...jobs, dead_letters: dead };
  }
}

/** Logs the queue counts every `intervalMs` (0 = never), so they show in logs without a scraper. */
export function startMetricsLog(
  metrics: QueueMetrics,
  logger: { info(obj: object, msg: string): void },
  intervalMs: number,
): () => void {
  if (intervalMs <= 0) return () => {};
  const timer = setInterval(() => {
    void metrics.counts().then((counts) => logger.info({ queue: counts }, "queue metrics"));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
