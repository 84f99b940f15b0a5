import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Endpoint, startEndpoint } from "./http-harness.ts";
import * as payload from "./interactions.ts";
import { applicationKeys, signedHeaders } from "./support.ts";

let h: Endpoint;
beforeEach(async () => {
  h = await startEndpoint();
});
afterEach(() => h.stop());

describe("Discord interactions endpoint: signatures", () => {
  it("answers a signed PING with PONG", async () => {
    const { status, body } = await h.post(payload.ping());
    expect(status).toBe(200);
    expect(body).toEqual({ type: 1 });
  });

  it("rejects missing headers with 401 and processes nothing", async () => {
    const text = JSON.stringify(payload.command("recommend", { movie1: "2571" }));
    const response = await fetch(h.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: text,
    });
    expect(response.status).toBe(401);
    expect(h.recommender.calls).toHaveLength(0);
  });

  it("rejects a signature from another key, and a body changed after signing", async () => {
    const other = applicationKeys();
    const body = payload.command("popular");
    const text = JSON.stringify(body);
    const forged = await h.post(body, signedHeaders(other.privateKey, text));
    expect(forged.status).toBe(401);

    const headers = signedHeaders(h.keys.privateKey, text);
    const tampered = await fetch(h.url, {
      method: "POST",
      headers,
      body: text.replace("popular", "recommend"),
    });
    expect(tampered.status).toBe(401);

    const garbled = await h.post(body, { ...headers, "x-signature-ed25519": "zz" });
    expect(garbled.status).toBe(401);
    expect(h.recommender.calls).toHaveLength(0);
  });
});

describe("Discord interactions endpoint: signature time window", () => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases: Array<[string, string]> = [
    ["signed a year ago", String(now() - 365 * 86_400)],
    ["signed six minutes ago", String(now() - 6 * 60)],
    ["signed two minutes in the future", String(now() + 120)],
    ["with a timestamp that is not a number", "abc"],
    ["with an empty timestamp", ""],
  ];
  for (const [name, timestamp] of cases) {
    it(`rejects a correctly signed PING ${name} with 401 JSON`, async () => {
      const text = JSON.stringify(payload.ping());
      const response = await fetch(h.url, {
        method: "POST",
        headers: signedHeaders(h.keys.privateKey, text, timestamp),
        body: text,
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        code: expect.any(String),
        error: expect.any(String),
      });
    });
  }

  it("accepts one signed four minutes ago or thirty seconds ahead (clock drift)", async () => {
    for (const timestamp of [String(now() - 4 * 60), String(now() + 30)]) {
      const text = JSON.stringify(payload.ping());
      const response = await fetch(h.url, {
        method: "POST",
        headers: signedHeaders(h.keys.privateKey, text, timestamp),
        body: text,
      });
      expect(response.status).toBe(200);
    }
  });
});

describe("Discord interactions endpoint: malformed but signed bodies", () => {
  it("answers a signed null, [] or string with 400 JSON, not a 500", async () => {
    for (const text of ["null", "[]", '"ping"', "1"]) {
      const response = await fetch(h.url, {
        method: "POST",
        headers: signedHeaders(h.keys.privateKey, text),
        body: text,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: "body is not an interaction object",
        code: "malformed_body",
      });
    }
  });

  it("answers 400, never 500, to a body that is not JSON or not an interaction", async () => {
    const notJson = "{oops";
    const first = await fetch(h.url, {
      method: "POST",
      headers: signedHeaders(h.keys.privateKey, notJson),
      body: notJson,
    });
    expect(first.status).toBe(400);
    const second = await h.post({ type: 2, id: "1", token: "t", application_id: "x" });
    expect(second.status).toBe(400);
  });
});
