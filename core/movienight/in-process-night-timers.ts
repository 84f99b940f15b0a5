import type { NightSchedule } from "./movie-night.ts";
import type { NightJob, NightTimers } from "./night-ports.ts";
import { nextOccurrence, occurrenceAtOrBefore } from "./weekly-schedule.ts";

/** setTimeout takes at most 2^31 − 1 ms (24.8 days); longer waits are chained. */
const MAX_DELAY = 2 ** 31 - 1;
/**
 * An occurrence missed by at most this long (the process was down at 19:00 and back at 19:05)
 * still runs at start-up; the occurrence's claim keeps it to one post if it had run after all.
 */
export const MISSED_OCCURRENCE_GRACE_MS = 15 * 60_000;

export type NightJobHandler = (job: NightJob) => Promise<void>;

/**
 * The embedded timers (no Redis): setTimeout in this process, keyed so setting a timer twice
 * keeps one. They live in memory only: MovieNightService.restore() sets them again from the
 * database at start-up, which is what makes a close survive a restart.
 */
export class InProcessNightTimers implements NightTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private handler: NightJobHandler | null = null;
  private readonly onError: (error: unknown, job: NightJob) => void;
  private readonly now: () => number;
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(
    options: { onError?: (error: unknown, job: NightJob) => void; now?: () => number } = {},
  ) {
    this.onError = options.onError ?? (() => {});
    this.now = options.now ?? Date.now;
  }

  /** Who runs the jobs (the service); set once both exist. */
  handle(handler: NightJobHandler): void {
    this.handler = handler;
  }

  async at(job: Exclude<NightJob, { kind: "scheduled" }>, at: number): Promise<void> {
    this.set(`${job.kind}:${job.nightId}`, at, () => this.fire(job));
  }

  async weekly(schedule: NightSchedule): Promise<void> {
    const key = `scheduled:${schedule.id}`;
    const now = this.now();
    const last = occurrenceAtOrBefore(schedule, now - 60_000);
    const job: NightJob = { kind: "scheduled", scheduleId: schedule.id };
    const arm = (from: number) =>
      this.set(key, nextOccurrence(schedule, from), async () => {
        await this.fire(job);
        arm(this.now());
      });
    if (now - last <= MISSED_OCCURRENCE_GRACE_MS && schedule.createdAt < last) {
      this.set(key, now, async () => {
        await this.fire(job);
        arm(this.now());
      });
    } else {
      arm(now);
    }
  }

  async stopWeekly(scheduleId: string): Promise<void> {
    this.clear(`scheduled:${scheduleId}`);
  }

  /** Stops every timer and waits for jobs already running. */
  async close(): Promise<void> {
    this.closed = true;
    for (const key of [...this.timers.keys()]) this.clear(key);
    await Promise.allSettled([...this.running]);
  }

  private set(key: string, at: number, fire: () => Promise<void>): void {
    if (this.closed) return;
    this.clear(key);
    const wait = Math.max(0, at - this.now());
    const timer = setTimeout(
      () => {
        this.timers.delete(key);
        if (wait > MAX_DELAY) this.set(key, at, fire);
        else void fire();
      },
      Math.min(wait, MAX_DELAY),
    );
    // Timers never keep the process alive on their own; the server does.
    timer.unref();
    this.timers.set(key, timer);
  }

  private clear(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  private async fire(job: NightJob): Promise<void> {
    if (!this.handler || this.closed) return;
    const run = this.handler(job).catch((error: unknown) => this.onError(error, job));
    this.running.add(run);
    try {
      await run;
    } finally {
      this.running.delete(run);
    }
  }
}
