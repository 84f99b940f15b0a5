import type { Server } from "node:http";
import { request } from "node:http";
import { Socket } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sendJson } from "../../../bot/http/send-json.ts";

/**
 * A JSON answer of the HTTP server is one write: headers and body together. A recommendation is
 * about 4 KB; Express's res.json sends a body that large as a second piece (issue 18).
 */
const big = {
  results: Array.from({ length: 12 }, (_, i) => ({
    movieId: i,
    title: `Amélie — ${"x".repeat(280)}`,
    reason: "Because you liked Léon · Loved by 64 % of people who liked Léon",
  })),
};

let server: Server;
let port: number;

beforeAll(async () => {
  const app = express();
  app.get("/send-json", (_req, res) => sendJson(res, big));
  app.get("/res-json", (_req, res) => res.json(big));
  app.get("/teapot", (_req, res) => sendJson(res, { error: "short and stout" }, 418));
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

/** The status, headers and raw body bytes of one request, and the server socket's writes meanwhile. */
async function fetchRaw(path: string, method = "GET") {
  const writes = vi.spyOn(
    Socket.prototype as unknown as { _writeGeneric: (...args: unknown[]) => unknown },
    "_writeGeneric",
  );
  try {
    return await new Promise<{
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: Buffer;
      writes: boolean[];
    }>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path, method, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            // Each call's first argument says whether it was a writev (several pieces).
            writes: writes.mock.calls.map((call) => call[0] as boolean),
          }),
        );
      });
      req.on("error", reject);
      req.end();
    });
  } finally {
    writes.mockRestore();
  }
}

describe("sendJson", () => {
  it("answers what res.json answers: the same status, type, length and bytes", async () => {
    const ours = await fetchRaw("/send-json");
    const theirs = await fetchRaw("/res-json");
    expect(ours.status).toBe(200);
    expect(ours.headers["content-type"]).toBe(theirs.headers["content-type"]);
    expect(ours.headers["content-type"]).toBe("application/json; charset=utf-8");
    // Bytes, not characters: the accents and dashes are two and three bytes each.
    expect(ours.headers["content-length"]).toBe(String(ours.body.length));
    expect(ours.headers["content-length"]).toBe(theirs.headers["content-length"]);
    expect(ours.body.equals(theirs.body)).toBe(true);
    expect(JSON.parse(ours.body.toString("utf8"))).toEqual(big);
  });

  it("writes a 4 KB answer in one piece with its headers, where res.json writes two", async () => {
    const ours = await fetchRaw("/send-json");
    const theirs = await fetchRaw("/res-json");
    expect(ours.body.length).toBeGreaterThan(4000);
    // The request is one write by the client; the answer, one more (not a writev) by the server.
    expect(ours.writes.filter((writev) => writev)).toEqual([]);
    expect(theirs.writes.filter((writev) => writev)).toEqual([true]);
  });

  it("keeps the headers and drops the body on HEAD", async () => {
    const head = await fetchRaw("/send-json", "HEAD");
    const get = await fetchRaw("/send-json");
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe(get.headers["content-length"]);
    expect(head.body.length).toBe(0);
  });

  it("sends the status it is given", async () => {
    const teapot = await fetchRaw("/teapot");
    expect(teapot.status).toBe(418);
    expect(JSON.parse(teapot.body.toString("utf8"))).toEqual({ error: "short and stout" });
  });
});
