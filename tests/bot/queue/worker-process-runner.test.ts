import { EventEmitter } from "node:events";
import pino from "pino";
import { afterEach, expect, it } from "vitest";
import { loadConfig } from "../../../bot/config.ts";
import type { BullmqJobQueue } from "../../../bot/queue/bullmq-job-queue.ts";
import { runWorkerProcess } from "../../../bot/worker-process.ts";
import { describeWith, requireRedis } from "../../support/requirements.ts";
import { cleanUp, eventually, testProducer } from "./fixtures/harness.ts";
import { REDIS_URL, slackJob, uniqueQueueName } from "./fixtures/jobs.ts";
import { RecordingDeliverer } from "./fixtures/recording-deliverer.ts";
import { tinyCards } from "./fixtures/tiny-core.ts";

const redis = await requireRedis();

describeWith(redis)("npm run worker (runWorkerProcess)", () => {
  const queueName = uniqueQueueName("runner");
  let producer: BullmqJobQueue | undefined;

  afterEach(async () => {
    await producer?.close();
    await cleanUp(queueName);
  });

  it("consumes the queue, serves /healthz and /metrics, and exits cleanly on SIGTERM", async () => {
    const config = loadConfig({
      PORT: "0",
      REDIS_URL,
      QUEUE_NAME: queueName,
      QUEUE_METRICS_LOG_MS: "0",
    });
    const slack = new RecordingDeliverer();
    const signals = new EventEmitter();
    const exits: number[] = [];
    let coreClosed = false;
    const { redis } = config;
    if (!redis) throw new Error("REDIS_URL is set above");
    const running = await runWorkerProcess({ ...config, redis }, pino({ level: "silent" }), {
      deliverers: { slack },
      core: {
        cards: tinyCards(),
        close: async () => {
          coreClosed = true;
        },
      },
      signals,
      exit: (code) => exits.push(code),
    });
    producer = testProducer(queueName);
    await producer.submit(slackJob("runner-1"));
    await eventually(() => slack.deliveries.length === 1, "the job delivered by the worker");

    const base = `http://127.0.0.1:${running.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('moviebot_jobs_total{outcome="delivered"} 1');
    expect(metrics).toMatch(/moviebot_queue_jobs\{state="completed"\} 1/);

    signals.emit("SIGTERM");
    await eventually(() => exits.length === 1, "exit after SIGTERM");
    expect(exits).toEqual([0]);
    expect(coreClosed).toBe(true);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
