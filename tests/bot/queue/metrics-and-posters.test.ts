import type { AddressInfo } from "node:net";
import express from "express";
import { Redis } from "ioredis";
import { Registry } from "prom-client";
import { afterEach, expect, it } from "vitest";
import { createMetricsRouter } from "../../../bot/http/metrics-routes.ts";
import type { BullmqJobQueue } from "../../../bot/queue/bullmq-job-queue.ts";
import { QueueMetrics, startMetricsLog } from "../../../bot/queue/queue-metrics.ts";
import { RedisPosterCache } from "../../../bot/queue/redis-poster-cache.ts";
import type { RunningWorker } from "../../../bot/queue/start-worker.ts";
import { PermanentDeliveryError } from "../../../core/jobs/delivery-errors.ts";
import { describeWith, requireRedis } from "../../support/requirements.ts";
import { cleanUp, eventually, testProducer, testWorker } from "./fixtures/harness.ts";
import { REDIS_URL, slackJob, uniqueQueueName } from "./fixtures/jobs.ts";
import { RecordingDeliverer } from "./fixtures/recording-deliverer.ts";
import { tinyCards } from "./fixtures/tiny-core.ts";

const redis = await requireRedis();

describeWith(redis)("GET /metrics", () => {
  const queueName = uniqueQueueName("metrics");
  let producer: BullmqJobQueue | undefined;
  let worker: RunningWorker | undefined;

  afterEach(async () => {
    await worker?.close();
    await producer?.close();
    await cleanUp(queueName);
  });

  it("reports job counts by state, dead letters, outcomes and latency in Prometheus text", async () => {
    const registry = new Registry();
    const slack = new RecordingDeliverer();
    slack.failNext = [
      new PermanentDeliveryError("invalid_blocks", { status: 400, targetGone: false }),
    ];
    producer = testProducer(queueName);
    let running: RunningWorker | undefined;
    const metrics = new QueueMetrics(registry, {
      jobCounts: () => running?.jobCounts() ?? Promise.resolve({}),
      deadLetters: () => running?.deadLetters.count() ?? Promise.resolve(0),
    });
    running = testWorker(queueName, tinyCards(), { slack }, { metrics });
    worker = running;
    await producer.submit(slackJob("m-rejected"));
    await eventually(() => slack.deliveries.length === 1, "the apology");
    await producer.submit(slackJob("m-ok"));
    await eventually(() => slack.deliveries.length === 2, "the result");

    const app = express().use(createMetricsRouter(registry));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const { port } = server.address() as AddressInfo;
    let text = "";
    await eventually(async () => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      text = await response.text();
      return text.includes('moviebot_queue_jobs{state="completed"} 1');
    }, "completed count in /metrics");
    server.close();

    expect(text).toContain('moviebot_queue_jobs{state="failed"} 1');
    expect(text).toContain('moviebot_queue_jobs{state="waiting"} 0');
    expect(text).toContain("moviebot_queue_dead_letters 1");
    expect(text).toContain('moviebot_jobs_total{outcome="delivered"} 1');
    expect(text).toContain('moviebot_jobs_total{outcome="dead_letter"} 1');
    expect(text).toContain('moviebot_job_latency_seconds_count{platform="slack"} 1');
  });
});

describeWith(redis)("queue metrics in the logs", () => {
  it("logs the counts by state and dead letters periodically", async () => {
    const metrics = new QueueMetrics(new Registry(), {
      jobCounts: async () => ({ waiting: 3, active: 1, failed: 2 }),
      deadLetters: async () => 2,
    });
    const lines: object[] = [];
    const stop = startMetricsLog(metrics, { info: (obj) => lines.push(obj) }, 10);
    await eventually(() => lines.length >= 2, "two log lines");
    stop();
    expect(lines[0]).toEqual({ queue: { waiting: 3, active: 1, failed: 2, dead_letters: 2 } });
  });
});

describeWith(redis)("RedisPosterCache", () => {
  it("remembers posters and known misses, each with the TTL asked for", async () => {
    const redis = new Redis(REDIS_URL);
    const keyPrefix = `moviebot:test-poster-${process.pid}-${Date.now()}`;
    const cache = new RedisPosterCache({ redis, keyPrefix });
    expect(await cache.get(603)).toBeUndefined();
    await cache.set(603, "https://img.example/matrix.jpg", 60);
    await cache.set(604, null, 60);
    expect(await cache.get(603)).toBe("https://img.example/matrix.jpg");
    expect(await cache.get(604)).toBeNull();
    // Another instance (another connection) sees the same cache.
    const other = new RedisPosterCache({ redis: new Redis(REDIS_URL), keyPrefix });
    expect(await other.get(603)).toBe("https://img.example/matrix.jpg");
    expect(await redis.ttl(`${keyPrefix}:603`)).toBeGreaterThan(50);
    await cache.set(605, "https://img.example/x.jpg", 1);
    expect(await redis.ttl(`${keyPrefix}:605`)).toBe(1);
    await redis.del(`${keyPrefix}:603`, `${keyPrefix}:604`, `${keyPrefix}:605`);
    await redis.quit();
  });

  it("degrades to 'not cached' when Redis is down", async () => {
    const redis = new Redis("redis://127.0.0.1:1", {
      enableOfflineQueue: false,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    const cache = new RedisPosterCache({ redis });
    await cache.set(1, "https://img.example/a.jpg", 60);
    expect(await cache.get(1)).toBeUndefined();
    redis.disconnect();
  });
});
