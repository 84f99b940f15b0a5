import express from "express";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createSlackApp, SLACK_EVENTS_PATH } from "../../../bot/slack/slack-app.ts";
import { MemorySharedCardsStore } from "../../../core/cards/shared-cards-store.ts";
import type { JobQueue } from "../../../core/jobs/job.ts";
import { FakeSearch, fakeCards } from "../../support/fakes.ts";
import { FakeSlack } from "./support/fake-slack.ts";
import { SIGNING_SECRET, sendCommand } from "./support/signed-requests.ts";

const jobs: JobQueue = { submit: async () => {}, close: async () => {} };
const logger = pino({ level: "silent" });

function deps(slack: FakeSlack, appToken?: string) {
  const search = new FakeSearch();
  return {
    signingSecret: SIGNING_SECRET,
    botToken: "xoxb-test-token",
    ...(appToken ? { appToken } : {}),
    apiUrl: `${slack.url}/api`,
    responseUrlOrigins: [slack.url],
    cards: fakeCards({ search }),
    search,
    jobs,
    shared: new MemorySharedCardsStore({ ttlMs: 60_000 }),
    logger,
  };
}

describe("starting the Slack app", () => {
  const slack = new FakeSlack();
  afterEach(async () => {
    await slack.close();
  });

  it("checks the bot token against SLACK_API_URL and serves Slack only once started", async () => {
    await slack.start();
    const app = createSlackApp(deps(slack));
    const server = express()
      .use(app.router ?? express.Router())
      .listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as { port: number };
    const url = `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`;
    try {
      expect((await sendCommand(url, "", slack.responseUrl("early"))).status).toBe(503);
      await app.start();
      const authTest = slack.received.find((r) => r.path === "/api/auth.test");
      expect(authTest?.headers.authorization).toBe("Bearer xoxb-test-token");
      expect((await sendCommand(url, "", slack.responseUrl("later"))).status).toBe(200);
    } finally {
      server.close();
    }
  });

  it("refuses to start with a bot token Slack rejects", async () => {
    await slack.start();
    slack.script("/api/auth.test", {
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"ok":false,"error":"invalid_auth"}',
    });
    await expect(createSlackApp(deps(slack)).start()).rejects.toThrow("invalid_auth");
  });

  it("uses Socket Mode with an app token: no HTTP route, connects through apps.connections.open", async () => {
    await slack.start();
    slack.script("/api/apps.connections.open", {
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"ok":false,"error":"invalid_auth"}',
    });
    const app = createSlackApp(deps(slack, "xapp-test-token"));
    expect(app.router).toBeUndefined();
    await expect(app.start()).rejects.toThrow("invalid_auth");
    const open = slack.received.find((r) => r.path === "/api/apps.connections.open");
    expect(open?.headers.authorization).toBe("Bearer xapp-test-token");
  });
});
