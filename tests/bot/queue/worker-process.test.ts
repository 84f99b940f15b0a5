import { afterEach, expect, it } from "vitest";
import type { BullmqJobQueue } from "../../../bot/queue/bullmq-job-queue.ts";
import { describeWith, requireRedis } from "../../support/requirements.ts";
import { exited, spawnWorker } from "./fixtures/child.ts";
import { cleanUp, eventually, testProducer } from "./fixtures/harness.ts";
import { slackJob, uniqueQueueName } from "./fixtures/jobs.ts";
import { ReplyServer } from "./fixtures/reply-server.ts";

const redis = await requireRedis();

describeWith(redis)("worker processes", () => {
  let queueName = "";
  let producer: BullmqJobQueue | undefined;
  let server = new ReplyServer();
  const children: Awaited<ReturnType<typeof spawnWorker>>[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    await producer?.close();
    await server.stop();
    await cleanUp(queueName);
  });

  it("a worker killed mid-run and a new one started still deliver every job exactly once", async () => {
    queueName = uniqueQueueName("kill");
    server = new ReplyServer();
    await server.start();
    producer = testProducer(queueName);
    const jobs = Array.from({ length: 200 }, (_, i) => slackJob(`k${i}`, `${server.base}/hooks`));
    await Promise.all(jobs.map((job) => producer?.submit(job)));

    const first = await spawnWorker(queueName, 40, undefined, server.base);
    children.push(first);
    await eventually(() => server.deliveredCount >= 30, "the first worker delivering");
    first.kill("SIGKILL");
    await exited(first);
    const deliveredBeforeKill = server.deliveredCount;
    expect(deliveredBeforeKill).toBeLessThan(200);

    const second = await spawnWorker(queueName, 5, undefined, server.base);
    children.push(second);
    await eventually(() => server.deliveredCount === 200, "every job delivered", 30_000);
    await new Promise((r) => setTimeout(r, 1_500)); // a late duplicate would arrive by now

    for (const job of jobs) {
      const path = `/hooks/${job.id}`;
      // On screen: exactly one message per interaction.
      expect(server.shown.get(path), path).toBe(1);
      // On the wire: a second request only for a job caught between reply and record (see DeliveryLedger).
      expect(server.received.get(path), path).toBeLessThanOrEqual(2);
    }
    const repeated = [...server.received.values()].filter((n) => n > 1).length;
    // At most the jobs that were in flight in the killed worker (its concurrency) can repeat.
    expect(repeated).toBeLessThanOrEqual(8);
  });

  it("SIGTERM stops taking jobs but finishes the ones in flight", async () => {
    queueName = uniqueQueueName("sigterm");
    server = new ReplyServer();
    await server.start();
    producer = testProducer(queueName);
    // Each job takes 1.5 s to compute, so eight are in flight when SIGTERM arrives.
    const child = await spawnWorker(queueName, 1_500, undefined, server.base);
    children.push(child);
    const jobs = Array.from({ length: 20 }, (_, i) => slackJob(`t${i}`, `${server.base}/hooks`));
    await Promise.all(jobs.map((job) => producer?.submit(job)));
    await new Promise((r) => setTimeout(r, 500));
    child.kill("SIGTERM");
    expect(await exited(child)).toBe(0);
    expect(child.output).toEqual(["ready", "closing", "closed"]);
    // The eight in flight were delivered before exit; the other twelve were left in the queue.
    expect(server.deliveredCount).toBe(8);
    const counts = await producer.queue.getJobCounts("waiting", "active", "completed");
    expect(counts).toMatchObject({ waiting: 12, active: 0, completed: 8 });
  });
});
