// The queue section of the benchmarks: what the queue path adds to a reply (submit → delivered,
// p50/p99) and jobs per second on this machine, in-process vs BullMQ on Redis. The core is a stub
// that answers at once, so the figures are the queue's own cost. `npm run bench:queue` prints it
// alone (bench/queue-bench.ts); `benchQueue` gives the same figures as rows to `npm run bench`.
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pino from "pino";
import { createInProcessQueue } from "../bot/builders/queue-builder.ts";
import { loadConfig } from "../bot/config.ts";
import { BullmqJobQueue } from "../bot/queue/bullmq-job-queue.ts";
import { BULL_PREFIX, moviebotKeyPrefix } from "../bot/queue/queue-names.ts";
import { createProducerConnection } from "../bot/queue/redis-connections.ts";
import { startWorker } from "../bot/queue/start-worker.ts";
import type { Job, JobQueue, ReplyDeliverer, ReplyTarget } from "../core/jobs/job.ts";
import { tinyCards } from "../tests/bot/queue/fixtures/tiny-core.ts";
import { type BenchRow, info, ms, quantile } from "./report.ts";

const logger = pino({ level: "silent" });

export interface QueueBenchOptions {
  redisUrl: string;
  /** Worker (and in-process) concurrency. */
  concurrency?: number;
  quick?: boolean;
}

export interface QueueFigures {
  path: "in-process" | "BullMQ (Redis)";
  mode: "one at a time" | "burst";
  jobs: number;
  p50: number;
  p99: number;
  perSecond: number;
}

/** Resolves each job's promise when its reply is "delivered". */
class TimingDeliverer implements ReplyDeliverer {
  private readonly waiting = new Map<string, () => void>();
  async deliver(target: ReplyTarget): Promise<void> {
    this.done(target);
  }
  async apologize(target: ReplyTarget): Promise<void> {
    this.done(target);
  }
  expect(job: Job): Promise<void> {
    return new Promise((resolve) => this.waiting.set(keyOf(job.reply), resolve));
  }
  private done(target: ReplyTarget): void {
    const key = keyOf(target);
    this.waiting.get(key)?.();
    this.waiting.delete(key);
  }
}

const keyOf = (target: ReplyTarget) =>
  target.platform === "slack" ? target.responseUrl : target.interactionToken;

function job(i: number, run: string): Job {
  return {
    id: `${run}-${i}`,
    request: { name: "popular", limit: 3 },
    reply: {
      platform: "slack",
      responseUrl: `http://127.0.0.1:9/bench/${run}/${i}`,
      responseType: "ephemeral",
      replaceOriginal: true,
    },
    receivedAt: Date.now(),
  };
}

async function timeOne(queue: JobQueue, deliverer: TimingDeliverer, j: Job): Promise<number> {
  const delivered = deliverer.expect(j);
  const start = performance.now();
  await queue.submit(j);
  await delivered;
  return performance.now() - start;
}

async function measure(
  path: QueueFigures["path"],
  queue: JobQueue,
  deliverer: TimingDeliverer,
  sequential: number,
  burst: number,
): Promise<QueueFigures[]> {
  const run = randomUUID().slice(0, 8);
  for (let i = 0; i < 20; i++) await timeOne(queue, deliverer, job(i, `${run}w`)); // warm-up
  const one: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < sequential; i++) one.push(await timeOne(queue, deliverer, job(i, `${run}s`)));
  const oneSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const many = await Promise.all(
    Array.from({ length: burst }, (_, i) => timeOne(queue, deliverer, job(i, `${run}b`))),
  );
  const manySeconds = (performance.now() - t1) / 1000;
  const figures = (mode: QueueFigures["mode"], times: number[], seconds: number) => ({
    path,
    mode,
    jobs: times.length,
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
    perSecond: times.length / seconds,
  });
  return [figures("one at a time", one, oneSeconds), figures("burst", many, manySeconds)];
}

/** In-process then BullMQ (producer and worker in this process, Redis at `redisUrl`). */
export async function measureQueue(options: QueueBenchOptions): Promise<QueueFigures[]> {
  const concurrency = options.concurrency ?? 16;
  const sequential = options.quick ? 100 : 300;
  const burst = options.quick ? 500 : 2000;
  const cards = tinyCards();
  const figures: QueueFigures[] = [];

  const inProcessDeliverer = new TimingDeliverer();
  const inProcess = createInProcessQueue({
    cards,
    deliverers: { slack: inProcessDeliverer },
    concurrency,
    logger,
  });
  figures.push(...(await measure("in-process", inProcess, inProcessDeliverer, sequential, burst)));
  await inProcess.close();

  const queueName = `bench-${randomUUID().slice(0, 8)}`;
  const bullDeliverer = new TimingDeliverer();
  const producer = new BullmqJobQueue({
    redis: createProducerConnection(options.redisUrl),
    queueName,
    attempts: 3,
    backoffMs: 100,
    enqueueTimeoutMs: 5_000,
    logger,
  });
  const worker = startWorker({
    redisUrl: options.redisUrl,
    queue: { ...loadConfig({}).queue, name: queueName, concurrency, backoffMs: 100 },
    cards,
    deliverers: { slack: bullDeliverer },
    logger,
  });
  await worker.ready();
  try {
    figures.push(...(await measure("BullMQ (Redis)", producer, bullDeliverer, sequential, burst)));
  } finally {
    await worker.close();
    await producer.close();
    await cleanUp(options.redisUrl, queueName);
  }
  return figures;
}

/** The figures as `npm run bench` rows (informational: the issue sets no target). */
export async function benchQueue(options: QueueBenchOptions): Promise<BenchRow[]> {
  const figures = await measureQueue(options);
  const rows = figures.flatMap((f) => [
    // Submit → delivered, over f.jobs jobs.
    info("queue", `${f.path}, ${f.mode}: p50 | p99`, `${ms(f.p50)} | ${ms(f.p99)}`),
    info("queue", `${f.path}, ${f.mode}: jobs/s`, String(Math.round(f.perSecond))),
  ]);
  const one = (path: QueueFigures["path"]) =>
    figures.find((f) => f.path === path && f.mode === "one at a time");
  const added = (one("BullMQ (Redis)")?.p50 ?? Number.NaN) - (one("in-process")?.p50 ?? 0);
  rows.push(info("queue", "BullMQ adds to a reply (p50, one at a time)", ms(added)));
  return rows;
}

async function cleanUp(redisUrl: string, queueName: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection: redis, prefix: BULL_PREFIX });
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  const keys = await redis.keys(`${moviebotKeyPrefix(queueName)}:*`);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  await redis.quit();
}
