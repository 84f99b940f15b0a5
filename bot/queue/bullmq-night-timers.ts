import { createHash } from "node:crypto";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { NightSchedule } from "../../core/movienight/movie-night.ts";
import type { NightJob, NightTimers } from "../../core/movienight/night-ports.ts";
import { cronPattern } from "../../core/movienight/weekly-schedule.ts";
import { BULL_PREFIX } from "./queue-names.ts";
import { closeConnection } from "./redis-connections.ts";

/** Names are NightJob kinds; typed as string since BullMQ types scheduler ids as job names too. */
export type NightQueue = Queue<NightJob, void, string>;

/** The movie nights' queue beside the recommendation queue: its own jobs, its own worker. */
export function nightQueueName(queueName: string): string {
  return `${queueName}-movienight`;
}

/** BullMQ builds iteration ids as repeat:<id>:<ms>, so a scheduler id gets no ':' of its own. */
export function schedulerIdOf(scheduleId: string): string {
  return `night-${createHash("sha256").update(scheduleId).digest("hex").slice(0, 32)}`;
}

/**
 * NightTimers on BullMQ: a close is a delayed job whose id is derived from the night, so setting
 * it again (a restart's restore) adds nothing; a weekly schedule is a job scheduler with the cron
 * pattern and the IANA zone (BullMQ computes each next run in that zone, daylight saving included).
 * Whichever worker takes a job runs it; the service's transactions keep a second run harmless.
 */
export class BullmqNightTimers implements NightTimers {
  readonly queue: NightQueue;
  private readonly redis: Redis;

  constructor(options: { redis: Redis; queueName: string; onError?: (error: Error) => void }) {
    this.redis = options.redis;
    this.queue = new Queue<NightJob, void, string>(nightQueueName(options.queueName), {
      connection: options.redis,
      prefix: BULL_PREFIX,
      defaultJobOptions: {
        // A close that failed (Slack down) is tried again; its state change keeps it to one post.
        attempts: 5,
        backoff: { type: "exponential", delay: 5_000 },
        // Kept a week, longer than any vote: a restore re-adding a finished close finds it there.
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
    this.queue.on("error", (error) => options.onError?.(error));
  }

  async at(job: Exclude<NightJob, { kind: "scheduled" }>, at: number): Promise<void> {
    await this.queue.add(job.kind, job, {
      jobId: `${job.kind}-${job.nightId}`,
      delay: Math.max(0, at - Date.now()),
    });
  }

  async weekly(schedule: NightSchedule): Promise<void> {
    await this.queue.upsertJobScheduler(
      schedulerIdOf(schedule.id),
      { pattern: cronPattern(schedule), tz: schedule.timeZone },
      {
        name: "scheduled",
        data: { kind: "scheduled", scheduleId: schedule.id },
        opts: { attempts: 3, backoff: { type: "exponential", delay: 5_000 } },
      },
    );
  }

  async stopWeekly(scheduleId: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerIdOf(scheduleId));
  }

  async close(): Promise<void> {
    await this.queue.close().catch(() => {});
    await closeConnection(this.redis);
  }
}
