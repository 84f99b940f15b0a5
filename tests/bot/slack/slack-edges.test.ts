import { request } from "node:http";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpServer } from "../../../bot/http/server.ts";
import { createSlackApp, SLACK_EVENTS_PATH } from "../../../bot/slack/slack-app.ts";
import { MemorySharedCardsStore } from "../../../core/cards/shared-cards-store.ts";
import type { JobQueue } from "../../../core/jobs/job.ts";
import { FakeSearch, fakeCards } from "../../support/fakes.ts";
import { FakeSlack } from "./support/fake-slack.ts";
import { type Harness, startHarness } from "./support/harness.ts";
import {
  blockSuggestion,
  buttonClick,
  commandBody,
  SIGNING_SECRET,
  sendCommand,
  sendPayload,
  sign,
} from "./support/signed-requests.ts";

const now = () => Math.floor(Date.now() / 1000);

/** A signed form POST of an arbitrary body (payload=null and friends). */
function sendSigned(url: string, body: string, timestamp = now()) {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": sign(body, timestamp),
    },
    body,
  });
}

/** Sends only the headers, declaring `length` bytes, and resolves with the answer. */
function declareBody(url: string, length: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": length },
    });
    req.on("response", (res) => {
      let text = "";
      res.on("data", (c: Buffer) => {
        text += c.toString();
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    // The body is never written: only an answer that does not wait for it can arrive.
    req.flushHeaders();
  });
}

describe("Slack edges: size, time window and shape, before Bolt", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("refuses a declared body over 512 KB with 413 JSON without reading it", async () => {
    const answer = await declareBody(h.url, 4 * 1024 * 1024);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: "body_too_large" });
  });

  it("cuts off a chunked body at 512 KB with 413 JSON", async () => {
    const chunk = "x".repeat(64 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.length;
        if (sent > 8 * 1024 * 1024) controller.close();
        else controller.enqueue(new TextEncoder().encode(chunk));
      },
    });
    const response = await fetch(h.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: "body_too_large" });
  });

  it("50 concurrent oversize requests are refused without buffering their bodies", async () => {
    const body = Buffer.alloc(4 * 1024 * 1024, "a");
    global.gc?.();
    const before = process.memoryUsage().rss;
    const answers = await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          new Promise<number>((resolve) => {
            const req = request(h.url, {
              method: "POST",
              headers: {
                "content-type": "application/x-www-form-urlencoded",
                "content-length": body.length,
              },
            });
            req.on("response", (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            });
            // The server may hang up while the body is still going out.
            req.on("error", () => resolve(-1));
            req.end(body);
          }),
      ),
    );
    const grownMb = (process.memoryUsage().rss - before) / 1024 / 1024;
    expect(answers.every((status) => status === 413 || status === -1)).toBe(true);
    expect(answers.filter((status) => status === 413).length).toBeGreaterThan(0);
    // 50 × 4 MB read into memory would be 200 MB; a loose bound, not a benchmark.
    expect(grownMb).toBeLessThan(80);
  });

  it("refuses a compressed body with 415 JSON (Slack never compresses, and the signature covers the bytes sent)", async () => {
    const body = commandBody("help", h.slack.responseUrl("gz"));
    const ts = now();
    const response = await fetch(h.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "content-encoding": "gzip",
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": sign(body, ts),
      },
      body,
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ code: "unsupported_encoding" });
  });

  for (const [name, offset] of [
    ["an hour ahead", 3600],
    ["two minutes ahead", 120],
  ] as const) {
    it(`refuses a correctly signed request timestamped ${name} with 401 JSON`, async () => {
      const response = await sendCommand(h.url, "help", h.slack.responseUrl("future"), {
        timestamp: now() + offset,
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: "stale_timestamp" });
    });
  }

  it("accepts one 30 seconds ahead (clock drift)", async () => {
    const response = await sendCommand(h.url, "help", h.slack.responseUrl("drift"), {
      timestamp: now() + 30,
    });
    expect(response.status).toBe(200);
  });

  it("answers signed payloads that are not objects, or miss what a listener needs, with 400 JSON", async () => {
    const click = buttonClick("popular_picks", "popular", h.slack.responseUrl("m"));
    const { user: _user, ...clickWithoutUser } = click;
    const { value: _value, ...suggestionWithoutValue } = blockSuggestion("heat");
    const bodies = [
      "payload=null",
      "payload=%5B%5D",
      "payload=%7Boops",
      "payload=%22text%22",
      new URLSearchParams({ payload: JSON.stringify(clickWithoutUser) }).toString(),
      new URLSearchParams({ payload: JSON.stringify({ ...click, actions: "none" }) }).toString(),
      new URLSearchParams({ payload: JSON.stringify(suggestionWithoutValue) }).toString(),
      "text=help",
    ];
    for (const body of bodies) {
      const response = await sendSigned(h.url, body);
      expect(response.status, body).toBe(400);
      expect(await response.json(), body).toMatchObject({
        code: "malformed_body",
        error: expect.any(String),
      });
    }
    expect(h.submitted).toHaveLength(0);
  });

  it("acknowledges an unknown action_id, command or payload type with 200 and does nothing", async () => {
    const unknownAction = await sendPayload(
      h.url,
      buttonClick("no_such_action", "x", h.slack.responseUrl("u")),
    );
    expect(unknownAction.status).toBe(200);
    const unknownSuggestion = await sendPayload(h.url, blockSuggestion("heat", "no_such_menu"));
    expect(unknownSuggestion.status).toBe(200);
    expect(await unknownSuggestion.json()).toEqual({ options: [] });
    const shortcut = await sendPayload(h.url, {
      type: "shortcut",
      callback_id: "x",
      user: { id: "U1" },
    });
    expect(shortcut.status).toBe(200);
    const otherCommand = await sendSigned(
      h.url,
      commandBody("x", h.slack.responseUrl("u")).replace("%2Frecommend", "%2Fother"),
    );
    expect(otherCommand.status).toBe(200);
    expect(h.submitted).toHaveLength(0);
    expect(h.slack.repliesTo("u")).toEqual([]);
  });

  it("refuses a signed command whose response_url is off the allowed origins", async () => {
    for (const responseUrl of [
      "http://127.0.0.1:1/steal",
      "https://hooks.slack.com.example/x",
      "nope",
    ]) {
      const response = await sendCommand(h.url, "Heat", responseUrl);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: "malformed_body" });
    }
    expect(h.submitted).toHaveLength(0);
  });

  it("answers a wrong method with 405 and Allow: POST", async () => {
    const response = await fetch(h.url);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(await response.json()).toMatchObject({ code: "method_not_allowed" });
  });
});

describe("Slack unreachable at start-up", () => {
  const jobs: JobQueue = { submit: async () => {}, close: async () => {} };

  async function serve(slack: FakeSlack) {
    const search = new FakeSearch();
    const app = createSlackApp({
      signingSecret: SIGNING_SECRET,
      botToken: "xoxb-test-token",
      apiUrl: `${slack.url}/api`,
      responseUrlOrigins: [slack.url],
      cards: fakeCards({ search }),
      search,
      jobs,
      shared: new MemorySharedCardsStore({ ttlMs: 60_000 }),
      logger: pino({ level: "silent" }),
      retryDelayMs: 20,
    });
    const server = new HttpServer(pino({ level: "silent" }));
    if (!app.router) throw new Error("HTTP mode expected");
    server.ready(app.router);
    const port = await server.listen(0, "127.0.0.1");
    return { app, server, url: `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}` };
  }

  it("answers 503 JSON while auth.test fails, then serves once it succeeds", async () => {
    const slack = await new FakeSlack().start();
    for (let i = 0; i < 3; i++) slack.script("/api/auth.test", { status: 503 });
    const { app, server, url } = await serve(slack);
    try {
      const started = app.startInBackground();
      const early = await sendCommand(url, "help", slack.responseUrl("early"));
      expect(early.status).toBe(503);
      expect(await early.json()).toMatchObject({ code: "slack_starting" });
      expect(await started).toBe(true);
      expect(slack.received.filter((r) => r.path === "/api/auth.test").length).toBe(4);
      expect((await sendCommand(url, "help", slack.responseUrl("later"))).status).toBe(200);
    } finally {
      await app.stop();
      await server.close();
      await slack.close();
    }
  });

  it("turns Slack off, with 503 slack_off, when Slack rejects the token", async () => {
    const slack = await new FakeSlack().start();
    slack.script("/api/auth.test", {
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"ok":false,"error":"invalid_auth"}',
    });
    const { app, server, url } = await serve(slack);
    try {
      expect(await app.startInBackground()).toBe(false);
      const response = await sendCommand(url, "help", slack.responseUrl("off"));
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        code: "slack_off",
        error: expect.stringContaining("invalid_auth"),
      });
      // No retry after a rejected token.
      expect(slack.received.filter((r) => r.path === "/api/auth.test").length).toBe(1);
    } finally {
      await app.stop();
      await server.close();
      await slack.close();
    }
  });
});
