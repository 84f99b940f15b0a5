import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../../bot/app.ts";
import { loadConfig } from "../../../bot/config.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";
import { startLocalServer } from "../../support/local-server.ts";
import { describeWith, realMovieLens, requireRedis } from "../../support/requirements.ts";
import { slackServing } from "../../support/slack-ready.ts";
import { SIGNING_SECRET, sendCommand } from "../slack/support/signed-requests.ts";
import { cleanUp, eventually } from "./fixtures/harness.ts";
import { REDIS_URL, uniqueQueueName } from "./fixtures/jobs.ts";

// `npm start` with REDIS_URL: the Slack command is acknowledged, queued in BullMQ, computed by
// the in-process worker (RUN_WORKER defaults to true) and answered at response_url.
const redis = await requireRedis();

describeWith(redis, realMovieLens)("npm start with REDIS_URL", () => {
  const queueName = uniqueQueueName("app");
  let app: RunningApp;
  let base: string;
  let slack: Awaited<ReturnType<typeof startLocalServer>>;

  beforeAll(async () => {
    slack = await startLocalServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true, user_id: "U1", team_id: "T1", bot_id: "B1" }));
    });
    const config = loadConfig({
      PORT: "0",
      MOVIELENS_DIR,
      CACHE_DIR: mkdtempSync(join(tmpdir(), "moviebot-app-redis-")),
      MF_FACTORS: "8",
      MF_ITERATIONS: "2",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_API_URL: `${slack.url}/api/`,
      SLACK_RESPONSE_URL_ORIGINS: slack.url,
      REDIS_URL,
      QUEUE_NAME: queueName,
      QUEUE_METRICS_LOG_MS: "0",
    });
    app = await startApp(config, pino({ level: "silent" }));
    base = `http://127.0.0.1:${app.port}`;
    await app.ready;
    await slackServing(base);
  });

  afterAll(async () => {
    await app?.close();
    await slack?.close();
    await cleanUp(queueName);
  });

  it("answers a Slack command through the BullMQ queue, and counts it at /metrics", async () => {
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
