import pino from "pino";
import { afterEach, expect, it } from "vitest";
import { buildJobQueue } from "../../../bot/builders/queue-builder.ts";
import { type RunningWorker, startWorker } from "../../../bot/queue/start-worker.ts";
import type { JobQueue } from "../../../core/jobs/job.ts";
import type { Deliverers } from "../../../core/jobs/run-job.ts";
import { FakeRecommender } from "../../support/fakes.ts";
import { describeWith, requireCommand } from "../../support/requirements.ts";
import { eventually, testSettings } from "./fixtures/harness.ts";
import { OwnRedis } from "./fixtures/own-redis.ts";
import { type Platforms, startPlatforms } from "./fixtures/platforms.ts";
import { tinyCards } from "./fixtures/tiny-core.ts";

// These tests stop and restart a Redis of their own.
const redisServer = requireCommand("redis-server");

describeWith(redisServer)("Slack and Discord with Redis stopped mid-run, end to end", () => {
  const redis = new OwnRedis();
  let queue: JobQueue | undefined;
  let worker: RunningWorker | undefined;
  let platforms: Platforms | undefined;

  afterEach(async () => {
    await worker?.close();
    await platforms?.stop();
    await queue?.close();
    await redis.stop();
  });

  it("every signed request still gets a reply", async () => {
    await redis.start();
    const logger = pino({ level: "silent" });
    const cards = tinyCards(new FakeRecommender({ delayMs: 30 }));
    // Filled in once the stand-ins exist (they need the queue first); read at delivery time.
    const deliverers: Deliverers = {};
    const created = await buildJobQueue(
      {
        redis: { url: redis.url, runWorker: false },
        queue: testSettings("e2e-outage", {
          concurrency: 4,
          attempts: 3,
          backoffMs: 20,
          enqueueTimeoutMs: 300,
          rescueAfterMs: 500,
        }),
      },
      {
        cards,
        // The in-process fallback delivers with the same real deliverers as the worker.
        deliverers,
        logger,
      },
    );
    queue = created.queue;
    await created.bullmq?.ready();
    platforms = await startPlatforms(queue);
    Object.assign(deliverers, platforms.deliverers());
    worker = startWorker({
      redisUrl: redis.url,
      queue: testSettings("e2e-outage", { concurrency: 4, shutdownMs: 1_000 }),
      cards,
      deliverers,
      logger,
    });
    await worker.ready();

    const p = platforms;
    const slackNames: string[] = [];
    const discordTokens: string[] = [];
    const send = async (label: string, n: number) => {
      const names = Array.from({ length: n }, (_, i) => `${label}-${i}`);
      slackNames.push(...names);
      const [statuses, discord] = await Promise.all([
        Promise.all(names.map((name) => p.slackCommand(name))),
        Promise.all(Array.from({ length: n }, () => p.discordPopular())),
      ]);
      expect(statuses.every((s) => s === 200)).toBe(true);
      discordTokens.push(...discord.map((d) => d.token));
    };
    const counts = () => [
      ...slackNames.map((name) => p.slackReplies(name)),
      ...discordTokens.map((token) => p.discordEdits(token)),
    ];

    await send("before", 30);
    await eventually(() => counts().filter((n) => n > 0).length >= 8, "the worker under way");
    await redis.stop();
    await send("after", 10);

    await eventually(() => counts().every((n) => n >= 1), "a reply to every request", 20_000);
    expect(counts()).toHaveLength(80);
    // Only jobs a worker was finishing as Redis died may be answered twice.
    expect(counts().filter((n) => n > 1).length).toBeLessThanOrEqual(4);
  });
});
