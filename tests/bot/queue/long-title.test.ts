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

// A typed title longer than the old job schema's 200 characters: accepted by the Slack command,
// it used to be refused by BullMQ's payload check alone, so with REDIS_URL the user got "Sorry, I
// couldn't start on that" while the same command without Redis worked. One request model now.
const LONG_TITLE = `Heat ${"and the longest subtitle anyone ever typed ".repeat(6)}`.trim();

const redis = await requireRedis();

describeWith(redis)("/recommend with a title over 200 characters", () => {
  const queueName = uniqueQueueName("long-title");
  let app: RunningApp | undefined;
  let slack: Awaited<ReturnType<typeof startLocalServer>> | undefined;

  afterEach(async () => {
    await app?.close();
    await slack?.close();
    await cleanUp(queueName);
  });

  async function replyTo(env: Record<string, string>, path: string): Promise<string> {
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
    const base = `http://127.0.0.1:${app.port}`;
    await slackServing(base);
    const response = await sendCommand(`${base}/slack/events`, LONG_TITLE, `${slack.url}${path}`);
    expect(response.status).toBe(200);
    await eventually(
      () => slack?.requests.some((r) => r.url === path) ?? false,
      "the reply at response_url",
    );
    const body = slack.requests.find((r) => r.url === path)?.body ?? "";
    await app.close();
    app = undefined;
    await slack.close();
    slack = undefined;
    return body;
  }

  it("is answered through the BullMQ queue exactly as without Redis", async () => {
    expect(LONG_TITLE.length).toBeGreaterThan(200);
    const withRedis = await replyTo({ REDIS_URL, QUEUE_NAME: queueName }, "/respond/redis");
    expect(withRedis).not.toContain("Sorry");
    expect(withRedis).toContain("Couldn't find");
    const inProcess = await replyTo({}, "/respond/in-process");
    // Each answer's cards are kept for Share under an id of its own; everything else is the same.
    const sameBut = (body: string) =>
      body.replace(/("action_id":"share_to_channel".*?"value":")[A-Za-z0-9_-]{16}"/, '$1<id>"');
    expect(withRedis).toContain("share_to_channel");
    expect(sameBut(withRedis)).toBe(sameBut(inProcess));
  });
});
