import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type AppWithSlack, startAppWithSlack } from "../../support/app-with-slack.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";
import { describeWith, realMovieLens, requireRedis } from "../../support/requirements.ts";
import { sendCommand } from "../slack/support/signed-requests.ts";
import { cleanUp, eventually } from "./fixtures/harness.ts";
import { REDIS_URL, uniqueQueueName } from "./fixtures/jobs.ts";

// `npm start` with REDIS_URL: the Slack command is acknowledged, queued in BullMQ, computed by
// the in-process worker (RUN_WORKER defaults to true) and answered at response_url.
const redis = await requireRedis();

describeWith(redis, realMovieLens)("npm start with REDIS_URL", () => {
  const queueName = uniqueQueueName("app");
  let running: AppWithSlack;

  beforeAll(async () => {
    running = await startAppWithSlack({
      MOVIELENS_DIR,
      CACHE_DIR: mkdtempSync(join(tmpdir(), "moviebot-app-redis-")),
      MF_FACTORS: "8",
      MF_ITERATIONS: "2",
      REDIS_URL,
      QUEUE_NAME: queueName,
    });
  });

  afterAll(async () => {
    await running?.close();
    await cleanUp(queueName);
  });

  it("answers a Slack command through the BullMQ queue, and counts it at /metrics", async () => {
    const { base, slack } = running;
    const response = await sendCommand(`${base}/slack/events`, "heat", `${slack.url}/respond/r1`);
    expect(response.status).toBe(200);
    await eventually(
      () => slack.requests.some((r) => r.url === "/respond/r1"),
      "the reply at response_url",
    );
    const reply = slack.requests.find((r) => r.url === "/respond/r1");
    expect(reply?.body).toContain("Heat");
    await eventually(async () => {
      const metrics = await (await fetch(`${base}/metrics`)).text();
      return (
        metrics.includes('moviebot_queue_jobs{state="completed"} 1') &&
        metrics.includes('moviebot_jobs_total{outcome="delivered"} 1')
      );
    }, "the job counted as completed at /metrics");
  });
});
