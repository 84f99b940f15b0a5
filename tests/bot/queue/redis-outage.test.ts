import pino from "pino";
import { afterEach, expect, it } from "vitest";
import { buildJobQueue } from "../../../bot/builders/queue-builder.ts";
import { type RunningWorker, startWorker } from "../../../bot/queue/start-worker.ts";
import type { JobQueue } from "../../../core/jobs/job.ts";
import { FakeRecommender } from "../../support/fakes.ts";
import { describeWith, requireCommand } from "../../support/requirements.ts";
import { eventually, testSettings } from "./fixtures/harness.ts";
import { slackJob } from "./fixtures/jobs.ts";
import { OwnRedis } from "./fixtures/own-redis.ts";
import { RecordingDeliverer } from "./fixtures/recording-deliverer.ts";
import { tinyCards } from "./fixtures/tiny-core.ts";

// These tests stop and restart a Redis of their own.
const redisServer = requireCommand("redis-server");

describeWith(redisServer)("Redis stopped mid-run", () => {
  let redis = new OwnRedis();
  let queue: JobQueue | undefined;
  let worker: RunningWorker | undefined;

  afterEach(async () => {
    await worker?.close();
    await queue?.close();
    await redis.stop();
  });

  it("every request still gets a reply: queued, in-flight and new ones", async () => {
    redis = new OwnRedis();
    await redis.start();
    const lines: string[] = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => lines.push(line) });
    const deliverer = new RecordingDeliverer();
    const cards = tinyCards(new FakeRecommender({ delayMs: 30 }));
    const created = await buildJobQueue(
      {
        redis: { url: redis.url, runWorker: false },
        queue: testSettings("outage", {
          concurrency: 4,
          attempts: 3,
          backoffMs: 20,
          enqueueTimeoutMs: 300,
          rescueAfterMs: 500,
        }),
      },
      {
        cards,
        deliverers: { slack: deliverer },
        logger,
      },
    );
    queue = created.queue;
    await created.bullmq?.ready();
    worker = startWorker({
      redisUrl: redis.url,
      queue: testSettings("outage", { concurrency: 4, shutdownMs: 1_000 }),
      cards,
      deliverers: { slack: deliverer },
      logger,
    });
    await worker.ready();

    // 60 jobs queue up behind a worker that handles 4 at a time, then Redis dies with the backlog.
    const before = Array.from({ length: 60 }, (_, i) => slackJob(`before-${i}`));
    await Promise.all(before.map((job) => queue?.submit(job)));
    await eventually(() => deliverer.deliveries.length >= 8, "the worker under way");
    await redis.stop();
    const after = Array.from({ length: 20 }, (_, i) => slackJob(`after-${i}`));
    await Promise.all(after.map((job) => queue?.submit(job)));

    const all = [...before, ...after];
    await eventually(
      () => all.every((job) => deliverer.counts().has(`http://127.0.0.1:9/hooks/${job.id}`)),
      "a reply for every request",
      20_000,
    );
    const repeated = [...deliverer.counts().values()].filter((n) => n > 1).length;
    // Only jobs a worker was finishing as Redis died can be answered twice (and replace_original
    // keeps that to one message on screen); everything else exactly once.
    expect(repeated).toBeLessThanOrEqual(4);
    expect(created.bullmq?.pendingCount).toBe(0);
    const logs = lines.join("\n");
    expect(logs).toMatch(/rescuing queued jobs to run in-process/);
    expect(logs).toMatch(/job queue unavailable; running the job in-process/);
  });

  it("jobs lost in a quick Redis restart without persistence are run in-process", async () => {
    redis = new OwnRedis();
    await redis.start();
    const deliverer = new RecordingDeliverer();
    const created = await buildJobQueue(
      {
        redis: { url: redis.url, runWorker: false },
        queue: testSettings("restart", {
          concurrency: 4,
          attempts: 3,
          backoffMs: 20,
          enqueueTimeoutMs: 300,
          rescueAfterMs: 600_000,
        }),
      },
      {
        cards: tinyCards(),
        deliverers: { slack: deliverer },
        logger: pino({ level: "silent" }),
      },
    );
    queue = created.queue;
    await created.bullmq?.ready();
    // No worker yet: the jobs wait in Redis, and a restart without persistence loses them.
    const jobs = Array.from({ length: 5 }, (_, i) => slackJob(`restart-${i}`));
    await Promise.all(jobs.map((job) => queue?.submit(job)));
    expect(created.bullmq?.pendingCount).toBe(5);
    await redis.stop();
    await redis.start();
    await eventually(() => deliverer.deliveries.length === 5, "the lost jobs answered in-process");
    expect(created.bullmq?.pendingCount).toBe(0);
    expect([...deliverer.counts().values()].every((n) => n === 1)).toBe(true);
  });
});
