import { afterEach, expect, it } from "vitest";
import type { BullmqJobQueue } from "../../../bot/queue/bullmq-job-queue.ts";
import type { RunningWorker } from "../../../bot/queue/start-worker.ts";
import { FakeRecommender } from "../../support/fakes.ts";
import { describeWith, requireRedis } from "../../support/requirements.ts";
import { exited, spawnWorker } from "./fixtures/child.ts";
import { cleanUp, eventually, testProducer, testWorker } from "./fixtures/harness.ts";
import { uniqueQueueName } from "./fixtures/jobs.ts";
import { type Platforms, startPlatforms } from "./fixtures/platforms.ts";
import { tinyCards } from "./fixtures/tiny-core.ts";

const redis = await requireRedis();

const DEFERRED = 5; // Discord's DeferredChannelMessageWithSource

/** 100 signed Slack commands and 100 signed Discord interactions, all at once. */
async function sendBurst(platforms: Platforms, label: string) {
  const slackNames = Array.from({ length: 100 }, (_, i) => `${label}-${i}`);
  const [slackStatuses, discord] = await Promise.all([
    Promise.all(slackNames.map((name) => platforms.slackCommand(name))),
    Promise.all(Array.from({ length: 100 }, () => platforms.discordPopular())),
  ]);
  expect(slackStatuses.every((s) => s === 200)).toBe(true);
  expect(discord.every((d) => d.status === 200 && d.type === DEFERRED)).toBe(true);
  return { slackNames, discordTokens: discord.map((d) => d.token) };
}

function replyCounts(platforms: Platforms, burst: Awaited<ReturnType<typeof sendBurst>>) {
  return [
    ...burst.slackNames.map((name) => platforms.slackReplies(name)),
    ...burst.discordTokens.map((token) => platforms.discordEdits(token)),
  ];
}

describeWith(redis)("Slack and Discord through the BullMQ queue, end to end", () => {
  let queueName = "";
  let producer: BullmqJobQueue | undefined;
  let worker: RunningWorker | undefined;
  let platforms: Platforms | undefined;
  const children: Awaited<ReturnType<typeof spawnWorker>>[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    await worker?.close();
    await platforms?.stop();
    await producer?.close();
    await cleanUp(queueName);
    worker = undefined;
  });

  it("200 concurrent signed commands and interactions each get exactly one reply", async () => {
    queueName = uniqueQueueName("e2e200");
    producer = testProducer(queueName);
    platforms = await startPlatforms(producer);
    worker = testWorker(
      queueName,
      tinyCards(new FakeRecommender({ delayMs: 5 })),
      platforms.deliverers(),
    );
    const burst = await sendBurst(platforms, "burst");
    await eventually(
      () => replyCounts(platforms as Platforms, burst).every((n) => n >= 1),
      "a reply to every request",
      30_000,
    );
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would land by now
    expect(replyCounts(platforms, burst).every((n) => n === 1)).toBe(true);
    // The replies are the worker's cards: Slack got Block Kit, Discord an edit with embeds.
    const slackReply = platforms.slackStandIn.repliesTo("burst-0")[0];
    expect(JSON.stringify(slackReply)).toContain("Toy Story");
    const edit = platforms.discordStandIn.requests.find((r) => r.method === "PATCH");
    const embeds = (edit?.body as { embeds?: unknown[] } | undefined)?.embeds ?? [];
    expect(embeds.length).toBeGreaterThan(0);
  });

  it("a worker killed mid-run and restarted still answers every request exactly once", async () => {
    queueName = uniqueQueueName("e2ekill");
    producer = testProducer(queueName);
    platforms = await startPlatforms(producer);
    const burst = await sendBurst(platforms, "kill");
    const total = () => replyCounts(platforms as Platforms, burst).filter((n) => n > 0).length;

    const first = await spawnWorker(
      queueName,
      40,
      platforms.discordApiUrl,
      platforms.slackStandIn.url,
    );
    children.push(first);
    await eventually(() => total() >= 30, "the first worker replying");
    first.kill("SIGKILL");
    await exited(first);
    expect(total()).toBeLessThan(200);

    const second = await spawnWorker(
      queueName,
      5,
      platforms.discordApiUrl,
      platforms.slackStandIn.url,
    );
    children.push(second);
    await eventually(() => total() === 200, "a reply to every request", 30_000);
    await new Promise((r) => setTimeout(r, 1_500)); // stalled re-runs would land by now
    const counts = replyCounts(platforms, burst);
    const repeated = counts.filter((n) => n > 1).length;
    // A repeat is only possible for a job killed between the platform accepting its reply and
    // the ledger recording it (see DeliveryLedger): at most the 8 the dead worker had in flight.
    expect(repeated).toBeLessThanOrEqual(8);
    expect(counts.every((n) => n <= 2)).toBe(true);
  });

  it("does not retry replies whose token expired, and records why", async () => {
    queueName = uniqueQueueName("e2eexpired");
    producer = testProducer(queueName);
    platforms = await startPlatforms(producer);
    // Slack answers an expired response_url with 404 expired_url; Discord with 404 Unknown Webhook.
    platforms.slackStandIn.script("/respond/old", { status: 404, body: "expired_url" });
    platforms.discordStandIn.responder = (_req, res) => {
      res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ message: "Unknown Webhook", code: 10015 }));
    };
    const running = testWorker(queueName, tinyCards(), platforms.deliverers());
    worker = running;
    expect(await platforms.slackCommand("old")).toBe(200);
    const { token } = await platforms.discordPopular();
    await eventually(async () => (await running.deadLetters.count()) === 2, "two dead letters");
    await new Promise((r) => setTimeout(r, 500)); // a retry would land by now
    expect(platforms.slackReplies("old")).toBe(1);
    expect(platforms.discordEdits(token)).toBe(1);
    const letters = await running.deadLetters.latest();
    expect(letters.map((l) => [l.platform, l.reason, l.attempts, l.apologized]).sort()).toEqual([
      ["discord", "token_expired", 1, false],
      ["slack", "token_expired", 1, false],
    ]);
  });
});
