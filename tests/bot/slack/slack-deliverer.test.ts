import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackDeliverer } from "../../../bot/slack/slack-jobs.ts";
import {
  PermanentDeliveryError,
  TransientDeliveryError,
} from "../../../core/jobs/delivery-errors.ts";
import type { JobResult, ReplyTarget } from "../../../core/jobs/job.ts";
import { startLocalServer } from "../../support/local-server.ts";
import { FakeSlack } from "./support/fake-slack.ts";

type SlackTarget = Extract<ReplyTarget, { platform: "slack" }>;

const result: JobResult = {
  strategy: "popular",
  cards: [
    {
      movieId: 6,
      title: "Heat",
      year: 1995,
      genres: ["Crime"],
      posterUrl: null,
      tmdbUrl: "https://www.themoviedb.org/movie/949",
      imdbUrl: null,
      score: 1,
      reason: "Popular with MovieLens raters",
    },
  ],
  ignored: [],
  unresolved: [],
  request: { name: "popular", limit: 1 },
};

describe("SlackDeliverer", () => {
  const slack = new FakeSlack();
  let deliverer: SlackDeliverer;
  const target = (name: string, responseType: "ephemeral" | "in_channel" = "ephemeral") =>
    ({
      platform: "slack",
      responseUrl: slack.responseUrl(name),
      responseType,
      replaceOriginal: false,
    }) satisfies SlackTarget;

  beforeAll(async () => {
    await slack.start();
    deliverer = new SlackDeliverer({ timeoutMs: 2000, allowedOrigins: [slack.url] });
  });
  afterAll(async () => {
    await slack.close();
  });

  it("posts the rendered cards as JSON with the target's response_type", async () => {
    await deliverer.deliver(target("ok", "in_channel"), result);
    const [sent] = slack.repliesTo("ok");
    expect(sent).toMatchObject({ response_type: "in_channel", replace_original: false });
    expect(JSON.stringify(sent?.blocks)).toContain("Heat (1995)");
    const request = slack.received.find((r) => r.path === "/respond/ok");
    expect(request?.headers["content-type"]).toContain("application/json");
  });

  it("apologises to the asker alone, even for a channel-wide request", async () => {
    await deliverer.apologize(target("sorry", "in_channel"), "Sorry, try again.");
    expect(slack.repliesTo("sorry")[0]).toMatchObject({
      response_type: "ephemeral",
      text: "Sorry, try again.",
    });
  });

  it("an expired response_url (404) is permanent and leaves nobody to apologise to", async () => {
    slack.script("/respond/expired", { status: 404, body: "expired_url" });
    const error = await deliverer.deliver(target("expired"), result).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ status: 404, targetGone: true });
    expect((error as Error).message).toContain("expired_url");
  });

  it("a body Slack rejects is permanent, whether as 400 or as ok:false", async () => {
    slack.script("/respond/bad", { status: 400, body: "invalid_blocks" });
    const error = await deliverer.deliver(target("bad"), result).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    // The URL still works: an apology can reach the asker.
    expect(error).toMatchObject({ status: 400, targetGone: false });
    slack.script("/respond/notok", {
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"ok":false,"error":"invalid_blocks"}',
    });
    await expect(deliverer.deliver(target("notok"), result)).rejects.toThrow("invalid_blocks");
  });

  it("a 5xx is transient", async () => {
    slack.script("/respond/down", { status: 503 });
    const error = await deliverer.deliver(target("down"), result).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({ status: 503, retryAfterMs: undefined });
  });

  it("a 429 is transient and carries Retry-After", async () => {
    slack.script("/respond/busy", { status: 429, headers: { "retry-after": "7" } });
    const error = await deliverer.deliver(target("busy"), result).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 7000 });
  });

  it("an unreachable response_url is transient", async () => {
    const gone = new FakeSlack();
    await gone.start();
    const url = gone.responseUrl("nobody");
    await gone.close();
    const error = await new SlackDeliverer({ timeoutMs: 2000, allowedOrigins: [gone.url] })
      .deliver({ ...target("x"), responseUrl: url }, result)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({ status: undefined });
  });

  it("posts nothing to a response_url off the allowed origins, loopback included", async () => {
    const elsewhere = await startLocalServer((_req, res) => {
      res.end("ok");
    });
    try {
      for (const responseUrl of [`${elsewhere.url}/respond/x`, "file:///etc/passwd", "not a url"]) {
        const error = await deliverer
          .deliver({ ...target("x"), responseUrl }, result)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PermanentDeliveryError);
        expect(error).toMatchObject({ targetGone: true });
        expect((error as Error).message).toContain("SLACK_RESPONSE_URL_ORIGINS");
      }
      // Without a setting only Slack's own host is allowed.
      const strict = new SlackDeliverer({ timeoutMs: 2000 });
      await expect(strict.deliver(target("strict"), result)).rejects.toThrow("allowed origin");
      expect(elsewhere.requests).toEqual([]);
      expect(slack.repliesTo("strict")).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it("follows no redirect: a 3xx is permanent and the target is never called", async () => {
    const elsewhere = await startLocalServer((_req, res) => {
      res.end("ok");
    });
    try {
      for (const status of [301, 302, 307, 308]) {
        slack.script("/respond/moved", {
          status,
          headers: { location: `${elsewhere.url}/respond/stolen` },
        });
        const error = await deliverer.deliver(target("moved"), result).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PermanentDeliveryError);
        expect(error).toMatchObject({ status });
      }
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it("reads only the start of a huge reply body and hangs up on the rest", async () => {
    let written = 0;
    const total = 200 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, "x");
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { "content-type": "text/plain" });
      const pump = () => {
        while (written < total && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      req.on("end", pump);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const capped = new SlackDeliverer({ timeoutMs: 10_000, allowedOrigins: [origin] });
      await capped.deliver({ ...target("x"), responseUrl: `${origin}/respond/huge` }, result);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Socket buffers hold a few MB at most; the 200 MB were never sent because nobody read them.
      expect(written).toBeLessThan(32 * 1024 * 1024);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
