import { Writable } from "node:stream";
import { gzipSync } from "node:zlib";
import express from "express";
import pino from "pino";
import { collectDefaultMetrics, Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDiscordRouter } from "../../../bot/discord/http-transport.ts";
import { createApiRouter } from "../../../bot/http/api-routes.ts";
import { createMetricsRouter } from "../../../bot/http/metrics-routes.ts";
import { HttpServer } from "../../../bot/http/server.ts";
import { MemorySharedCardsStore } from "../../../core/cards/shared-cards-store.ts";
import type { JobQueue } from "../../../core/jobs/job.ts";
import { FakeSearch, fakeCards } from "../../support/fakes.ts";
import { applicationKeys, signedHeaders } from "../discord/support.ts";

/**
 * The manners of the one HTTP server, whatever is mounted on it: JSON errors with a code on every
 * route (body-parser failures included), 405 with Allow, nosniff, a per-client rate limit, and a
 * /metrics that can want a token.
 */
const logged: string[] = [];
const logger = pino(
  { level: "error" },
  new Writable({
    write(chunk, _encoding, done) {
      logged.push(String(chunk));
      done();
    },
  }),
);
const keys = applicationKeys();
const jobs: JobQueue = { submit: async () => {}, close: async () => {} };
const METRICS_TOKEN = "metrics-test-token";

async function serve(options: { rateLimitPerMinute?: number } = {}) {
  const search = new FakeSearch();
  const server = new HttpServer(logger, options);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const router = express.Router();
  router.use(
    createDiscordRouter({
      applicationId: "1",
      publicKey: keys.publicKeyHex,
      botToken: "t",
      cards: fakeCards({ search }),
      search,
      jobs,
      shared: new MemorySharedCardsStore({ ttlMs: 60_000 }),
      logger,
    }),
  );
  router.get("/boom", () => {
    throw new Error("a bug with a stack trace /home/someone/secret/path.ts");
  });
  router.use(createApiRouter(fakeCards({ search }), logger));
  router.use(createMetricsRouter(registry, METRICS_TOKEN));
  server.ready(router);
  const port = await server.listen(0, "127.0.0.1");
  return { server, base: `http://127.0.0.1:${port}` };
}

let h: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  h = await serve();
});
afterAll(() => h.server.close());

async function jsonOf(response: Response) {
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return (await response.json()) as { error: string; code: string };
}

describe("every error is JSON with a code", () => {
  it("unknown paths: 404", async () => {
    for (const path of ["/nothing", "/api/nothing"]) {
      const response = await fetch(`${h.base}${path}`);
      expect(response.status).toBe(404);
      expect(await jsonOf(response)).toMatchObject({ code: "not_found" });
    }
  });

  it("body-parser failures on /discord/interactions: 415, 413, 400, never an HTML page", async () => {
    const text = JSON.stringify({ type: 1 });
    const gzipped = await fetch(`${h.base}/discord/interactions`, {
      method: "POST",
      headers: { ...signedHeaders(keys.privateKey, text), "content-encoding": "gzip" },
      body: gzipSync(text),
    });
    expect(gzipped.status).toBe(415);
    expect(await jsonOf(gzipped)).toMatchObject({ code: "unsupported_encoding" });

    const odd = await fetch(`${h.base}/discord/interactions`, {
      method: "POST",
      headers: { ...signedHeaders(keys.privateKey, text), "content-encoding": "br, x-unknown" },
      body: text,
    });
    expect(odd.status).toBe(415);
    expect(await jsonOf(odd)).toMatchObject({ code: "unsupported_encoding" });

    const big = "x".repeat(300 * 1024);
    const tooLarge = await fetch(`${h.base}/discord/interactions`, {
      method: "POST",
      headers: signedHeaders(keys.privateKey, big),
      body: big,
    });
    expect(tooLarge.status).toBe(413);
    expect(await jsonOf(tooLarge)).toMatchObject({ code: "body_too_large" });

    const broken = "{oops";
    const malformed = await fetch(`${h.base}/discord/interactions`, {
      method: "POST",
      headers: signedHeaders(keys.privateKey, broken),
      body: broken,
    });
    expect(malformed.status).toBe(400);
    expect(await jsonOf(malformed)).toMatchObject({ code: "malformed_body" });
  });

  it("an unexpected failure is a 500 JSON without the stack; the stack goes to the logger only", async () => {
    const stderr = vi.spyOn(process.stderr, "write");
    const stdout = vi.spyOn(process.stdout, "write");
    try {
      const response = await fetch(`${h.base}/boom`);
      expect(response.status).toBe(500);
      const body = await jsonOf(response);
      expect(body).toEqual({ error: "Internal error", code: "internal" });
      expect(JSON.stringify(body)).not.toContain("secret");
      expect(stderr).not.toHaveBeenCalled();
      expect(stdout).not.toHaveBeenCalled();
      expect(logged.join("")).toContain("a bug with a stack trace");
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  });

  it("?q=a&q=b says q was given twice instead of that it is missing", async () => {
    const response = await fetch(`${h.base}/api/suggest?q=a&q=b`);
    expect(response.status).toBe(400);
    const body = await jsonOf(response);
    expect(body.code).toBe("invalid_input");
    expect(body.error).toContain("q was given 2 times");
    const missing = await jsonOf(await fetch(`${h.base}/api/suggest`));
    expect(missing.error).toContain("q is required");
    const limits = await jsonOf(await fetch(`${h.base}/api/popular?limit=1&limit=2`));
    expect(limits.error).toContain("limit was given 2 times");
  });

  it("an unknown parameter is refused with what the path takes, not ignored", async () => {
    // ?title=heat answered with the popular list would look like a bad recommendation.
    const typo = await fetch(`${h.base}/api/recommend?likes=6&limit=3`);
    expect(typo.status).toBe(400);
    const body = await jsonOf(typo);
    expect(body.code).toBe("invalid_input");
    expect(body.error).toBe("Unknown parameter likes: /api/recommend takes liked, limit, region");
    const suggest = await jsonOf(await fetch(`${h.base}/api/suggest?q=heat&title=heat`));
    expect(suggest.error).toContain("Unknown parameter title: /api/suggest takes q, limit");
    const popular = await fetch(`${h.base}/api/popular?limit=2&liked=1`);
    expect(popular.status).toBe(400);
    expect((await jsonOf(popular)).error).toContain("Unknown parameter liked");
    expect((await fetch(`${h.base}/api/recommend?liked=6&limit=3`)).status).toBe(200);
  });
});

describe("HTTP manners", () => {
  it("a wrong method on a known route: 405 with Allow", async () => {
    const cases: Array<[string, string, string]> = [
      ["POST", "/api/suggest?q=x", "GET, HEAD"],
      ["DELETE", "/api/recommend", "GET, HEAD"],
      ["PUT", "/api/popular", "GET, HEAD"],
      ["POST", "/healthz", "GET, HEAD"],
      ["POST", "/metrics", "GET, HEAD"],
      ["GET", "/discord/interactions", "POST"],
    ];
    for (const [method, path, allow] of cases) {
      const response = await fetch(`${h.base}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get("allow")).toBe(allow);
      expect(await jsonOf(response)).toMatchObject({ code: "method_not_allowed" });
    }
  });

  it("X-Content-Type-Options: nosniff on every answer, errors included", async () => {
    for (const [method, path] of [
      ["GET", "/healthz"],
      ["GET", "/api/suggest?q=heat"],
      ["GET", "/api/suggest"],
      ["GET", "/nothing"],
      ["POST", "/api/popular"],
      ["GET", "/metrics"],
      ["POST", "/discord/interactions"],
    ]) {
      const response = await fetch(`${h.base}${path}`, { method });
      expect(response.headers.get("x-content-type-options"), `${method} ${path}`).toBe("nosniff");
      await response.arrayBuffer();
    }
  });

  it("a per-client rate limit on the API: 429 JSON with Retry-After; probes are not limited", async () => {
    const limited = await serve({ rateLimitPerMinute: 5 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const response = await fetch(`${limited.base}/api/popular?limit=1`);
        statuses.push(response.status);
        if (response.status === 429) {
          expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
          expect(await jsonOf(response)).toMatchObject({ code: "rate_limited" });
        } else await response.arrayBuffer();
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      for (let i = 0; i < 10; i++) {
        expect((await fetch(`${limited.base}/healthz`)).status).toBe(200);
      }
    } finally {
      await limited.server.close();
    }
  });

  it("/metrics wants the bearer token and then shows prom-client's process metrics", async () => {
    const open = await fetch(`${h.base}/metrics`);
    expect(open.status).toBe(401);
    expect(await jsonOf(open)).toMatchObject({ code: "unauthorized" });
    const wrong = await fetch(`${h.base}/metrics`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    await wrong.arrayBuffer();
    const right = await fetch(`${h.base}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(right.status).toBe(200);
    const text = await right.text();
    expect(text).toContain("process_resident_memory_bytes");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
  });
});
