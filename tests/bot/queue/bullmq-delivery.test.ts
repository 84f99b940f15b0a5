import { afterEach, expect, it } from "vitest";
import type { BullmqJobQueue } from "../../../bot/queue/bullmq-job-queue.ts";
import type { RunningWorker } from "../../../bot/queue/start-worker.ts";
import { FakeRecommender } from "../../support/fakes.ts";
import { describeWith, requireRedis } from "../../support/requirements.ts";
import { cleanUp, eventually, testProducer, testWorker } from "./fixtures/harness.ts";
import { discordJob, slackJob, uniqueQueueName } from "./fixtures/jobs.ts";
import { RecordingDeliverer } from "./fixtures/recording-deliverer.ts";
import { tinyCards } from "./fixtures/tiny-core.ts";

const redis = await requireRedis();

describeWith(redis)("BullMQ queue: delivery", () => {
  let queueName = "";
  let producer: BullmqJobQueue | undefined;
  let worker: RunningWorker | undefined;

  afterEach(async () => {
    await worker?.close();
    await producer?.close();
    await cleanUp(queueName);
  });

  it("delivers 200 concurrent jobs from both platforms, each exactly once", async () => {
    queueName = uniqueQueueName("200");
    const slack = new RecordingDeliverer();
    const discord = new RecordingDeliverer();
    producer = testProducer(queueName);
    worker = testWorker(queueName, tinyCards(new FakeRecommender({ delayMs: 5 })), {
      slack,
      discord,
    });
    const jobs = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0 ? slackJob(`s${i}`) : discordJob(`${1_000_000_000_000 + i}`),
    );
    await Promise.all(jobs.map((job) => producer?.submit(job)));
    await eventually(
      () => slack.deliveries.length + discord.deliveries.length >= 200,
      "200 deliveries",
    );
    // Give stragglers (a duplicate would come late) a moment before counting.
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.deliveries).toHaveLength(100);
    expect(discord.deliveries).toHaveLength(100);
    expect([...slack.counts().values()].every((n) => n === 1)).toBe(true);
    expect([...discord.counts().values()].every((n) => n === 1)).toBe(true);
    // The worker computed real cards: Slack asked for titles like "heat", Discord for popular.
    expect(slack.deliveries[0]?.titles).not.toContain("Heat");
    expect(slack.deliveries[0]?.titles.length).toBe(3);
    expect(discord.deliveries[0]?.titles).toEqual(["The Matrix", "The Matrix Reloaded"]);
  });

  it("runs the same interaction submitted twice only once", async () => {
    queueName = uniqueQueueName("dupe");
    const slack = new RecordingDeliverer();
    producer = testProducer(queueName);
    const job = slackJob("trigger-1:with-colon");
    await producer.submit(job);
    await producer.submit({ ...job });
    worker = testWorker(queueName, tinyCards(), { slack });
    await eventually(() => slack.deliveries.length >= 1, "first delivery");
    // A retry after the job completed must not run it again either.
    await producer.submit({ ...job });
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.deliveries).toHaveLength(1);
  });
});
