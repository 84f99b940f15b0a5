import pino from "pino";
import { describe, expect, it } from "vitest";
import { createJobQueue } from "../../bot/queue/create-job-queue.ts";
import type { FallbackJobQueue } from "../../bot/queue/fallback-job-queue.ts";
import { eventually } from "./fixtures/harness.ts";
import { discordJob, slackJob } from "./fixtures/jobs.ts";
import { RecordingDeliverer } from "./fixtures/recording-deliverer.ts";
import { tinyCards } from "./fixtures/tiny-core.ts";

describe("Redis unavailable at enqueue", () => {
  it("runs every job in-process, delivers it, and warns without leaking tokens", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => lines.push(line) });
    const slack = new RecordingDeliverer();
    const discord = new RecordingDeliverer();
    const { queue } = createJobQueue({
      // Nothing listens on port 1: every connection attempt is refused.
      config: {
        REDIS_URL: "redis://127.0.0.1:1",
        QUEUE_NAME: "unreachable",
        QUEUE_CONCURRENCY: 4,
        QUEUE_ATTEMPTS: 3,
        QUEUE_BACKOFF_MS: 10,
        QUEUE_ENQUEUE_TIMEOUT_MS: 300,
        QUEUE_RESCUE_AFTER_MS: 1_000,
      },
      cards: tinyCards(),
      deliverers: { slack, discord },
      logger,
    });
    const jobs = [slackJob("down-1"), slackJob("down-2"), discordJob("800000000000000001")];
    await Promise.all(jobs.map((job) => queue.submit(job)));
    await eventually(() => slack.deliveries.length + discord.deliveries.length === 3, "3 replies");
    expect(slack.deliveries.map((d) => d.kind)).toEqual(["result", "result"]);
    expect(discord.deliveries[0]?.titles).toEqual(["Toy Story", "Heat"]);
    expect((queue as FallbackJobQueue).fallbacks).toBe(3);
    const logs = lines.join("\n");
    expect(logs).toMatch(/job queue unavailable; running the job in-process/);
    expect(logs).not.toContain("hooks/down-1");
    expect(logs).not.toContain("tok-800000000000000001");
    await queue.close();
  });

  it("runs in-process only, with no Redis configured", async () => {
    const slack = new RecordingDeliverer();
    const { queue, bullmq } = createJobQueue({
      config: {
        REDIS_URL: undefined,
        QUEUE_NAME: "none",
        QUEUE_CONCURRENCY: 2,
        QUEUE_ATTEMPTS: 3,
        QUEUE_BACKOFF_MS: 10,
        QUEUE_ENQUEUE_TIMEOUT_MS: 300,
        QUEUE_RESCUE_AFTER_MS: 1_000,
      },
      cards: tinyCards(),
      deliverers: { slack },
      logger: pino({ level: "silent" }),
    });
    expect(bullmq).toBeUndefined();
    await queue.submit(slackJob("inproc"));
    await queue.submit(slackJob("inproc"));
    await queue.close();
    expect(slack.deliveries).toHaveLength(1);
  });
});
