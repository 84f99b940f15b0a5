import pino from "pino";
import { describe, expect, it } from "vitest";
import { buildJobQueue } from "../../../bot/builders/queue-builder.ts";
import type { FallbackJobQueue } from "../../../bot/queue/fallback-job-queue.ts";
import { eventually, testSettings } from "./fixtures/harness.ts";
import { discordJob, slackJob } from "./fixtures/jobs.ts";
import { RecordingDeliverer } from "./fixtures/recording-deliverer.ts";
import { tinyCards } from "./fixtures/tiny-core.ts";

describe("Redis unavailable at enqueue", () => {
  it("runs every job in-process, delivers it, and warns without leaking tokens", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => lines.push(line) });
    const slack = new RecordingDeliverer();
    const discord = new RecordingDeliverer();
    const { queue } = await buildJobQueue(
      {
        redis: { url: "redis://127.0.0.1:1", runWorker: false },
        queue: testSettings("unreachable", {
          concurrency: 4,
          attempts: 3,
          backoffMs: 10,
          enqueueTimeoutMs: 300,
          rescueAfterMs: 1_000,
        }),
      },
      {
        cards: tinyCards(),
        deliverers: { slack, discord },
        logger,
      },
    );
    const jobs = [slackJob("down-1"), slackJob("down-2"), discordJob("800000000000000001")];
    await Promise.all(jobs.map((job) => queue.submit(job)));
    await eventually(() => slack.deliveries.length + discord.deliveries.length === 3, "3 replies");
    expect(slack.deliveries.map((d) => d.kind)).toEqual(["result", "result"]);
    expect(discord.deliveries[0]?.titles).toEqual(["The Matrix", "The Matrix Reloaded"]);
    expect((queue as FallbackJobQueue).fallbacks).toBe(3);
    const logs = lines.join("\n");
    expect(logs).toMatch(/job queue unavailable; running the job in-process/);
    expect(logs).not.toContain("hooks/down-1");
    expect(logs).not.toContain("tok-800000000000000001");
    await queue.close();
  });

  it("runs in-process only, with no Redis configured", async () => {
    const slack = new RecordingDeliverer();
    const { queue, bullmq } = await buildJobQueue(
      {
        queue: testSettings("none", {
          concurrency: 2,
          attempts: 3,
          backoffMs: 10,
          enqueueTimeoutMs: 300,
          rescueAfterMs: 1_000,
        }),
      },
      {
        cards: tinyCards(),
        deliverers: { slack },
        logger: pino({ level: "silent" }),
      },
    );
    expect(bullmq).toBeUndefined();
    await queue.submit(slackJob("inproc"));
    await queue.submit(slackJob("inproc"));
    await queue.close();
    expect(slack.deliveries).toHaveLength(1);
  });
});
