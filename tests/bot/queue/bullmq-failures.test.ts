import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pino from "pino";
import { afterEach, expect, it } from "vitest";
import type { BullmqJobQueue } from "../../../bot/queue/bullmq-job-queue.ts";
import { BULL_PREFIX } from "../../../bot/queue/queue-names.ts";
import { retryDelayMs } from "../../../bot/queue/retry-policy.ts";
import { type RunningWorker, startWorker } from "../../../bot/queue/start-worker.ts";
import { InvalidInputError } from "../../../core/errors.ts";
import {
  PermanentDeliveryError,
  TransientDeliveryError,
} from "../../../core/jobs/delivery-errors.ts";
import { FakeRecommender } from "../../support/fakes.ts";
import { describeWith, requireRedis } from "../../support/requirements.ts";
import { cleanUp, eventually, testProducer, testSettings } from "./fixtures/harness.ts";
import { discordJob, REDIS_URL, slackJob, uniqueQueueName } from "./fixtures/jobs.ts";
import { RecordingDeliverer } from "./fixtures/recording-deliverer.ts";
import { tinyCards } from "./fixtures/tiny-core.ts";

const redis = await requireRedis();

describeWith(redis)("BullMQ queue: failures", () => {
  let queueName = "";
  let producer: BullmqJobQueue | undefined;
  let worker: RunningWorker | undefined;
  let logLines: string[] = [];
  const slack = () => new RecordingDeliverer();

  function start(
    deliverers: { slack?: RecordingDeliverer; discord?: RecordingDeliverer },
    recommender = new FakeRecommender(),
  ) {
    logLines = [];
    const logger = pino({ level: "debug" }, { write: (line: string) => logLines.push(line) });
    producer = testProducer(queueName);
    worker = startWorker({
      redisUrl: REDIS_URL,
      queue: testSettings(queueName),
      cards: tinyCards(recommender),
      deliverers,
      logger,
    });
    return worker;
  }

  afterEach(async () => {
    await worker?.close();
    await producer?.close();
    await cleanUp(queueName);
    worker = undefined;
    producer = undefined;
  });

  it("retries transient failures (5xx, 429) and then delivers once", async () => {
    queueName = uniqueQueueName("transient");
    const deliverer = slack();
    deliverer.failNext = [
      new TransientDeliveryError("Slack answered 503", { status: 503 }),
      new TransientDeliveryError("Slack answered 429", { status: 429, retryAfterMs: 50 }),
    ];
    const running = start({ slack: deliverer });
    await producer?.submit(slackJob("t1"));
    await eventually(() => deliverer.deliveries.length >= 1, "a delivery after retries");
    await new Promise((r) => setTimeout(r, 200));
    expect(deliverer.deliveries.map((d) => d.kind)).toEqual(["result"]);
    expect(await running.deadLetters.count()).toBe(0);
  });

  it("retries a failing backend, and gives up with an apology and a dead letter when attempts run out", async () => {
    queueName = uniqueQueueName("exhausted");
    const deliverer = slack();
    const recommender = new FakeRecommender();
    recommender.failuresLeft = 100;
    const running = start({ slack: deliverer }, recommender);
    await producer?.submit(slackJob("x1"));
    await eventually(async () => (await running.deadLetters.count()) === 1, "a dead letter");
    const [letter] = await running.deadLetters.latest();
    expect(letter).toMatchObject({
      jobId: "x1",
      reason: "attempts_exhausted",
      attempts: 4,
      apologized: true,
    });
    expect(recommender.calls).toHaveLength(4);
    expect(deliverer.deliveries).toEqual([
      expect.objectContaining({
        kind: "apology",
        message: expect.stringMatching(/run the command again/),
      }),
    ]);
  });

  it("dead-letters a permanent delivery failure at once and apologises", async () => {
    queueName = uniqueQueueName("permanent");
    const deliverer = slack();
    deliverer.failNext = [
      new PermanentDeliveryError("invalid_blocks", { status: 400, targetGone: false }),
    ];
    const running = start({ slack: deliverer });
    await producer?.submit(slackJob("p1"));
    await eventually(async () => (await running.deadLetters.count()) === 1, "a dead letter");
    const [letter] = await running.deadLetters.latest();
    expect(letter).toMatchObject({
      reason: "delivery_rejected",
      attempts: 1,
      apologized: true,
      platform: "slack",
    });
    expect(deliverer.deliveries.map((d) => d.kind)).toEqual(["apology"]);
  });

  it("does not retry or apologise once the interaction token has expired", async () => {
    queueName = uniqueQueueName("expired");
    const deliverer = new RecordingDeliverer();
    const running = start({ discord: deliverer });
    // Discord tokens live 15 minutes; this interaction arrived 16 minutes ago.
    await producer?.submit(discordJob("900000000000000001", Date.now() - 16 * 60_000));
    await eventually(async () => (await running.deadLetters.count()) === 1, "a dead letter");
    const [letter] = await running.deadLetters.latest();
    expect(letter).toMatchObject({ reason: "token_expired", attempts: 1, apologized: false });
    expect(deliverer.deliveries).toEqual([]);
  });

  it("gives up with an apology when the next retry would come after the token dies", async () => {
    queueName = uniqueQueueName("toolate");
    const deliverer = new RecordingDeliverer();
    // Discord asks for 5 s; the token has 2 s left.
    deliverer.failNext = [
      new TransientDeliveryError("rate limited", { status: 429, retryAfterMs: 5000 }),
    ];
    const running = start({ discord: deliverer });
    await producer?.submit(discordJob("900000000000000009", Date.now() - 15 * 60_000 + 2_000));
    await eventually(async () => (await running.deadLetters.count()) === 1, "a dead letter");
    const [letter] = await running.deadLetters.latest();
    expect(letter).toMatchObject({ reason: "token_expired", attempts: 1, apologized: true });
    expect(deliverer.deliveries.map((d) => d.kind)).toEqual(["apology"]);
  });

  it("stops retrying when the platform says the token is gone (404 Unknown Webhook)", async () => {
    queueName = uniqueQueueName("gone");
    const deliverer = new RecordingDeliverer();
    deliverer.failNext = [
      new PermanentDeliveryError("Unknown Webhook", { status: 404, targetGone: true }),
    ];
    const running = start({ discord: deliverer });
    await producer?.submit(discordJob("900000000000000002"));
    await eventually(async () => (await running.deadLetters.count()) === 1, "a dead letter");
    const [letter] = await running.deadLetters.latest();
    expect(letter).toMatchObject({ reason: "token_expired", attempts: 1, apologized: false });
    expect(deliverer.failNext).toEqual([]);
    expect(deliverer.deliveries).toEqual([]);
  });

  it("answers a user error with its message instead of retrying", async () => {
    queueName = uniqueQueueName("usererr");
    const deliverer = slack();
    // Requests naming too many movies are refused at the door now; a user error the core raises
    // while computing still reaches the worker, and must come back as the user's message.
    const userError = new FakeRecommender();
    userError.recommend = async (liked, limit) => {
      userError.calls.push({ liked: [...liked], limit });
      throw new InvalidInputError("Pick at most 25 movies (got 30).", "too_many_liked");
    };
    const running = start({ slack: deliverer }, userError);
    const job = slackJob("u1");
    job.request = { name: "recommend", liked: [1, 2], titles: [], limit: 3 };
    await producer?.submit(job);
    await eventually(() => deliverer.deliveries.length >= 1, "an answer");
    expect(deliverer.deliveries[0]).toMatchObject({
      kind: "apology",
      message: expect.stringMatching(/at most 25/),
    });
    expect(userError.calls).toHaveLength(1);
    expect(await running.deadLetters.count()).toBe(0);
  });

  it("refuses at enqueue a request naming more movies than any door accepts", async () => {
    queueName = uniqueQueueName("toomany");
    start({ slack: slack() });
    const job = slackJob("u2");
    job.request = {
      name: "recommend",
      liked: Array.from({ length: 30 }, (_, i) => i + 1),
      titles: [],
      limit: 3,
    };
    await expect(producer?.submit(job)).rejects.toThrow(/liked/);
  });

  it("dead-letters invalid payloads and unknown job names without crashing, and keeps working", async () => {
    queueName = uniqueQueueName("invalid");
    const deliverer = slack();
    const running = start({ slack: deliverer });
    const raw = new Queue(queueName, {
      connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
      prefix: BULL_PREFIX,
    });
    await raw.add("recommend", {
      id: "bad1",
      request: { name: "recommend" },
      reply: { responseUrl: "https://secret.example/hook/SECRET-TOKEN" },
    });
    await raw.add("explode", { id: "bad2" });
    await producer?.submit(slackJob("good"));
    await eventually(async () => (await running.deadLetters.count()) === 2, "two dead letters");
    await eventually(() => deliverer.deliveries.length === 1, "the valid job delivered");
    const letters = await running.deadLetters.latest();
    expect(letters.map((l) => l.reason).sort()).toEqual(["invalid_payload", "unknown_job_name"]);
    expect(JSON.stringify(letters)).not.toContain("SECRET-TOKEN");
    await raw.close();
    await (raw.opts.connection as Redis).quit();
  });

  it("never writes reply URLs or interaction tokens to the logs", async () => {
    queueName = uniqueQueueName("secrets");
    const slackDeliverer = new RecordingDeliverer();
    const discordDeliverer = new RecordingDeliverer();
    slackDeliverer.failNext = [
      new TransientDeliveryError("POST http://127.0.0.1:9/hooks/leak-1 timed out"),
    ];
    discordDeliverer.failNext = [
      new PermanentDeliveryError("token tok-900000000000000003 rejected", { status: 400 }),
    ];
    start({ slack: slackDeliverer, discord: discordDeliverer });
    await producer?.submit(slackJob("leak-1"));
    await producer?.submit(discordJob("900000000000000003"));
    await eventually(
      () => slackDeliverer.deliveries.length + discordDeliverer.deliveries.length >= 2,
      "both handled",
    );
    const logs = logLines.join("\n");
    expect(logs).toContain("job failed; will retry");
    expect(logs).toContain("job dead-lettered");
    expect(logs).not.toContain("hooks/leak-1");
    expect(logs).not.toContain("tok-900000000000000003");
  });
});

describeWith(redis)("retry delay", () => {
  it("waits what a 429 asked for, else backs off exponentially", () => {
    expect(
      retryDelayMs(
        1,
        1000,
        new TransientDeliveryError("slow down", { status: 429, retryAfterMs: 2500 }),
      ),
    ).toBe(2500);
    const first = retryDelayMs(1, 1000, new Error("timeout"));
    const third = retryDelayMs(3, 1000, new Error("timeout"));
    expect(first).toBeGreaterThanOrEqual(750);
    expect(first).toBeLessThanOrEqual(1250);
    expect(third).toBeGreaterThanOrEqual(3000);
    expect(third).toBeLessThanOrEqual(5000);
  });
});
