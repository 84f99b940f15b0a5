// npm run bench:queue — what the queue path adds to a reply, and how many jobs per second this
// machine moves: submit → delivered, in-process vs BullMQ on Redis (REDIS_URL, default local).
// The core is a stub that answers at once, so the numbers are the queue's own cost.
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import Table from "cli-table3";
import { Redis } from "ioredis";
import pino from "pino";
import { BullmqJobQueue } from "../bot/queue/bullmq-job-queue.ts";
import { createInProcessQueue } from "../bot/queue/create-job-queue.ts";
import { BULL_PREFIX, moviebotKeyPrefix } from "../bot/queue/queue-names.ts";
import { createProducerConnection } from "../bot/queue/redis-connections.ts";
import { startWorker } from "../bot/queue/start-worker.ts";
import type { Job, JobQueue, ReplyDeliverer, ReplyTarget } from "../core/jobs/job.ts";
import { tinyCards } from "../tests/queue/fixtures/tiny-core.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SEQUENTIAL = Number(process.env.BENCH_QUEUE_SEQUENTIAL ?? 300);
const BURST = Number(process.env.BENCH_QUEUE_BURST ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_QUEUE_CONCURRENCY ?? 16);
const logger = pino({ level: "silent" });

/** Resolves each job's promise when its reply is "delivered". */
class TimingDeliverer implements ReplyDeliverer {
  readonly waiting = new Map<string, () => void>();
  async deliver(target: ReplyTarget): Promise<void> {
    this.done(target);
  }
  async apologize(target: ReplyTarget): Promise<void> {
    this.done(target);
  }
  private done(target: ReplyTarget): void {
    const key = target.platform === "slack" ? target.responseUrl : target.interactionToken;
    this.waiting.get(key)?.();
    this.waiting.delete(key);
  }
  expect(job: Job): Promise<void> {
    const key = job.reply.platform === "slack" ? job.reply.responseUrl : job.reply.interactionToken;
    return new Promise((resolve) => this.waiting.set(key, resolve));
  }
}

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

interface Row {
  path: string;
  mode: string;
  jobs: number;
  p50: number;
  p99: number;
  perSecond: number;
}

async function measure(path: string, queue: JobQueue, deliverer: TimingDeliverer): Promise<Row[]> {
  const run = randomUUID().slice(0, 8);
  for (let i = 0; i < 20; i++) await timeOne(queue, deliverer, job(i, `${run}w`)); // warm-up
  const sequential: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++)
    sequential.push(await timeOne(queue, deliverer, job(i, `${run}s`)));
  const sequentialSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const burst = await Promise.all(
    Array.from({ length: BURST }, (_, i) => timeOne(queue, deliverer, job(i, `${run}b`))),
  );
  const burstSeconds = (performance.now() - t1) / 1000;
  return [
    {
      path,
      mode: "one at a time",
      jobs: SEQUENTIAL,
      ...stats(sequential),
      perSecond: SEQUENTIAL / sequentialSeconds,
    },
    {
      path,
      mode: `burst of ${BURST}`,
      jobs: BURST,
      ...stats(burst),
      perSecond: BURST / burstSeconds,
    },
  ];
}

function stats(ms: number[]): { p50: number; p99: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

async function main(): Promise<void> {
  const cards = tinyCards();
  const rows: Row[] = [];

  const inProcessDeliverer = new TimingDeliverer();
  const inProcess = createInProcessQueue({
    cards,
    deliverers: { slack: inProcessDeliverer },
    concurrency: CONCURRENCY,
    logger,
  });
  rows.push(...(await measure("in-process", inProcess, inProcessDeliverer)));
  await inProcess.close();

  const queueName = `bench-${randomUUID().slice(0, 8)}`;
  const bullDeliverer = new TimingDeliverer();
  const producer = new BullmqJobQueue({
    redis: createProducerConnection(REDIS_URL),
    queueName,
    attempts: 3,
    backoffMs: 100,
    enqueueTimeoutMs: 5_000,
    logger,
  });
  const worker = startWorker({
    settings: {
      redisUrl: REDIS_URL,
      queueName,
      concurrency: CONCURRENCY,
      backoffMs: 100,
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
      maxStalledCount: 2,
      shutdownMs: 10_000,
      leaseMs: 30_000,
    },
    cards,
    deliverers: { slack: bullDeliverer },
    logger,
  });
  await worker.ready();
  try {
    rows.push(...(await measure("BullMQ (Redis)", producer, bullDeliverer)));
  } finally {
    await worker.close();
    await producer.close();
    await cleanUp(queueName);
  }

  const table = new Table({
    head: ["path", "mode", "jobs", "p50 ms", "p99 ms", "jobs/s"],
    colAligns: ["left", "left", "right", "right", "right", "right"],
  });
  for (const r of rows) {
    table.push([
      r.path,
      r.mode,
      r.jobs,
      r.p50.toFixed(2),
      r.p99.toFixed(2),
      Math.round(r.perSecond),
    ]);
  }
  const inOne = rows[0]?.p50 ?? 0;
  const bullOne = rows[2]?.p50 ?? 0;
  console.log(`Queue path: submit → delivered (stub core, worker concurrency ${CONCURRENCY})`);
  console.log(table.toString());
  console.log(
    `BullMQ adds ${(bullOne - inOne).toFixed(2)} ms at p50 to a reply, one job at a time.`,
  );
}

async function cleanUp(queueName: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection: redis, prefix: BULL_PREFIX });
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  const keys = await redis.keys(`${moviebotKeyPrefix(queueName)}:*`);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  await redis.quit();
}

await main();
