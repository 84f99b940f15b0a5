import pino from "pino";
import { Registry } from "prom-client";
import { afterEach, expect, it } from "vitest";
import { loadConfig } from "../../bot/config.ts";
import { type QueueRuntime, startQueue } from "../../bot/queue/start-queue.ts";
import { describeWith, requireRedis } from "../support/requirements.ts";
import { cleanUp, eventually } from "./fixtures/harness.ts";
import { REDIS_URL, slackJob, uniqueQueueName } from "./fixtures/jobs.ts";
import { RecordingDeliverer } from "./fixtures/recording-deliverer.ts";
import { tinyCards } from "./fixtures/tiny-core.ts";

const redis = await requireRedis();

describeWith(redis)("startQueue: what npm start runs", () => {
  const queueName = uniqueQueueName("start");
  let runtime: QueueRuntime | undefined;

  afterEach(async () => {
    await runtime?.close();
    await cleanUp(queueName);
  });

  it("with RUN_WORKER=false only enqueues: the job waits in Redis for the worker service", async () => {
    const slack = new RecordingDeliverer();
    runtime = startQueue({
      config: loadConfig({ REDIS_URL, RUN_WORKER: "false", QUEUE_NAME: queueName }),
      cards: tinyCards(),
      deliverers: { slack },
      logger: pino({ level: "silent" }),
      registry: new Registry(),
    });
    expect(runtime.worker).toBeUndefined();
    await runtime.queue.submit(slackJob("waits"));
    await eventually(async () => (await runtime?.metrics.counts())?.waiting === 1, "one waiting");
    expect(slack.deliveries).toEqual([]);
  });

  it("without REDIS_URL runs jobs in-process", async () => {
    const slack = new RecordingDeliverer();
    runtime = startQueue({
      config: loadConfig({}),
      cards: tinyCards(),
      deliverers: { slack },
      logger: pino({ level: "silent" }),
      registry: new Registry(),
    });
    expect(runtime.worker).toBeUndefined();
    await runtime.queue.submit(slackJob("inline"));
    await eventually(() => slack.deliveries.length === 1, "delivered in-process");
  });
});
