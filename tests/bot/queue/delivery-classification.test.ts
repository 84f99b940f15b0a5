import { DiscordAPIError, HTTPError, RateLimitError } from "@discordjs/rest";
import { describe, expect, it } from "vitest";
import { deliveryErrorFromRest } from "../../../bot/discord/delivery-errors.ts";
import { SlackDeliverer } from "../../../bot/slack/slack-jobs.ts";
import {
  classifyDeliveryFailure,
  PermanentDeliveryError,
  TransientDeliveryError,
} from "../../../core/jobs/delivery-errors.ts";
import type { JobResult } from "../../../core/jobs/job.ts";

const result: JobResult = {
  strategy: "popular",
  cards: [],
  ignored: [],
  unresolved: [],
  request: { name: "popular", limit: 1 },
};

/** What the worker would decide after Slack's response_url answered `response`. */
async function slackFailure(response: () => Response | Promise<Response>) {
  const deliverer = new SlackDeliverer({
    fetch: async () => response(),
    allowedOrigins: ["http://127.0.0.1:9"],
  });
  const error = await deliverer
    .deliver(
      {
        platform: "slack",
        responseUrl: "http://127.0.0.1:9/respond/x",
        responseType: "ephemeral",
        replaceOriginal: false,
      },
      result,
    )
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(error).not.toBeNull();
  return classifyDeliveryFailure(error);
}

const TOKEN_URL = "https://discord.test/api/v10/webhooks/111/tok-secret/messages/@original";

function discordApiError(status: number, code: number, message: string) {
  return new DiscordAPIError({ code, message }, code, status, "PATCH", TOKEN_URL, {});
}

describe("classifyDeliveryFailure: the worker reads every adapter's errors alike", () => {
  it("retries Slack 5xx and 429, honouring retry-after", async () => {
    expect(await slackFailure(() => new Response("", { status: 503 }))).toEqual({
      kind: "transient",
      retryAfterMs: undefined,
    });
    expect(
      await slackFailure(() => new Response("", { status: 429, headers: { "retry-after": "3" } })),
    ).toEqual({ kind: "transient", retryAfterMs: 3000 });
    expect(
      await slackFailure(() => {
        throw new TypeError("fetch failed");
      }),
    ).toEqual({ kind: "transient", retryAfterMs: undefined });
  });

  it("gives up on a Slack response_url that expired or was used up, without apologising", async () => {
    expect(await slackFailure(() => new Response("expired_url", { status: 404 }))).toEqual({
      kind: "permanent",
      targetGone: true,
    });
    expect(await slackFailure(() => new Response("used_url", { status: 400 }))).toEqual({
      kind: "permanent",
      targetGone: true,
    });
    expect(
      await slackFailure(() =>
        Response.json({ ok: false, error: "invalid_blocks" }, { status: 200 }),
      ),
    ).toEqual({ kind: "permanent", targetGone: false });
  });

  it("retries Discord rate limits and gives up on an expired interaction token", () => {
    const rateLimit = new RateLimitError({
      timeToReset: 1500,
      limit: 5,
      method: "PATCH",
      hash: "h",
      url: TOKEN_URL,
      route: "/webhooks/:id/:token/messages/@original",
      majorParameter: "111",
      global: false,
      retryAfter: 1500,
      sublimitTimeout: 0,
      scope: "user",
    });
    expect(classifyDeliveryFailure(deliveryErrorFromRest(rateLimit))).toEqual({
      kind: "transient",
      retryAfterMs: 1500,
    });
    expect(
      classifyDeliveryFailure(
        deliveryErrorFromRest(discordApiError(404, 10015, "Unknown Webhook")),
      ),
    ).toEqual({ kind: "permanent", targetGone: true });
    expect(
      classifyDeliveryFailure(deliveryErrorFromRest(discordApiError(401, 50027, "Invalid Token"))),
    ).toEqual({ kind: "permanent", targetGone: true });
    expect(
      classifyDeliveryFailure(
        deliveryErrorFromRest(discordApiError(400, 50035, "Invalid Form Body")),
      ),
    ).toEqual({ kind: "permanent", targetGone: false });
    expect(
      classifyDeliveryFailure(
        deliveryErrorFromRest(new HTTPError(502, "Bad Gateway", "PATCH", TOKEN_URL, {})),
      ),
    ).toEqual({ kind: "transient", retryAfterMs: undefined });
  });

  it("keeps the interaction token out of Discord errors, whatever @discordjs/rest threw", () => {
    for (const raw of [
      discordApiError(404, 10015, "Unknown Webhook"),
      new HTTPError(403, "Forbidden", "PATCH", TOKEN_URL, {}),
    ]) {
      const error = deliveryErrorFromRest(raw);
      expect(error.cause).toBeUndefined();
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain("tok-secret");
    }
  });

  it("treats unknown errors as transient, and reads the core classes", () => {
    expect(classifyDeliveryFailure(new TypeError("fetch failed")).kind).toBe("transient");
    // A look-alike of the old platform classes is no longer read by shape: only the core classes count.
    expect(classifyDeliveryFailure({ transient: false, status: 404 }).kind).toBe("transient");
    expect(
      classifyDeliveryFailure(new TransientDeliveryError("bad gateway", { status: 502 })).kind,
    ).toBe("transient");
    expect(
      classifyDeliveryFailure(
        new TransientDeliveryError("slow", { status: 429, retryAfterMs: 2000 }),
      ),
    ).toEqual({
      kind: "transient",
      retryAfterMs: 2000,
    });
    expect(
      classifyDeliveryFailure(
        new PermanentDeliveryError("gone", { status: 404, targetGone: true }),
      ),
    ).toEqual({
      kind: "permanent",
      targetGone: true,
    });
  });
});
