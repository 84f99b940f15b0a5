import pino from "pino";
import { afterEach, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../../bot/app.ts";
import { loadConfig } from "../../../bot/config.ts";
import { startLocalServer } from "../../support/local-server.ts";
import { describeWith, requireRedis } from "../../support/requirements.ts";
import { slackServing } from "../../support/slack-ready.ts";
import { SIGNING_SECRET, sendCommand } from "../slack/support/signed-requests.ts";
import { cleanUp, eventually } from "./fixtures/harness.ts";
import { REDIS_URL, uniqueQueueName } from "./fixtures/jobs.ts";
import { tinyCore } from "./fixtures/tiny-core.ts";

// The `npm start` root in each queue mode, driven by a signed Slack command: with Redis and
// RUN_WORKER=false the job waits for the worker service; without Redis it runs in-process.
const redis = await requireRedis();

describeWith(redis)("npm start: the job queue each setting builds", () => {
  const queueName = uniqueQueueName("modes");
  let app: RunningApp | undefined;
  let slack: Awaited<ReturnType<typeof startLocalServer>> | undefined;

  afterEach(async () => {
    await app?.close();
    await slack?.close();
    await cleanUp(queueName);
  });

  async function start(env: Record<string, string>) {
    slack = await startLocalServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true, user_id: "U1", team_id: "T1", bot_id: "B1" }));
    });
    const config = loadConfig({
      PORT: "0",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_API_URL: `${slack.url}/api/`,
      SLACK_RESPONSE_URL_ORIGINS: slack.url,
      QUEUE_METRICS_LOG_MS: "0",
      ...env,
    });
    app = await startApp(config, pino({ level: "silent" }), { core: tinyCore() });
    await app.ready;
    await slackServing(`http://127.0.0.1:${app.port}`);
    return { base: `http://127.0.0.1:${app.port}`, slackUrl: slack.url };
  }

  it("with RUN_WORKER=false only enqueues: the job waits in Redis for the worker service", async () => {
    const { base, slackUrl } = await start({
      REDIS_URL,
      RUN_WORKER: "false",
      QUEUE_NAME: queueName,
    });
    const response = await sendCommand(`${base}/slack/events`, "heat", `${slackUrl}/respond/w`);
    expect(response.status).toBe(200);
    await eventually(
      async () =>
        (await (await fetch(`${base}/metrics`)).text()).includes(
          'moviebot_queue_jobs{state="waiting"} 1',
        ),
      "one job waiting at /metrics",
    );
    expect(slack?.requests.some((r) => r.url === "/respond/w")).toBe(false);
  });

  it("without REDIS_URL runs jobs in-process", async () => {
    const { base, slackUrl } = await start({});
    await sendCommand(`${base}/slack/events`, "heat", `${slackUrl}/respond/i`);
    await eventually(
      () => slack?.requests.some((r) => r.url === "/respond/i") ?? false,
      "the reply at response_url",
    );
    expect(slack?.requests.find((r) => r.url === "/respond/i")?.body).toContain("Movies");
  });
});
