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

describe("Discord interactions endpoint: malformed but signed bodies", () => {
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
