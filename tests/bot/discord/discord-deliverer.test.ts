import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DiscordDeliverer, type DiscordTarget } from "../../../bot/discord/discord-deliverer.ts";
import { createDiscordRest } from "../../../bot/discord/rest-client.ts";
import {
  PermanentDeliveryError,
  TransientDeliveryError,
} from "../../../core/jobs/delivery-errors.ts";
import type { JobResult } from "../../../core/jobs/job.ts";
import { startLocalServer } from "../../support/local-server.ts";
import { RestStandIn } from "./support.ts";

const target: DiscordTarget = {
  platform: "discord",
  applicationId: "111",
  interactionToken: "tok-abc",
  ephemeral: true,
};

const result: JobResult = {
  strategy: "popular",
  cards: [
    {
      movieId: 1,
      title: "Toy Story",
      year: 1995,
      genres: ["Animation"],
      posterUrl: null,
      tmdbUrl: "https://www.themoviedb.org/movie/862",
      imdbUrl: null,
      score: 1,
      reason: "Popular with MovieLens raters",
    },
  ],
  ignored: [],
  unresolved: [],
  request: { name: "popular", limit: 8 },
};

let rest: RestStandIn;
let deliverer: DiscordDeliverer;

beforeEach(async () => {
  rest = new RestStandIn();
  await rest.start();
  deliverer = new DiscordDeliverer({
    rest: createDiscordRest({ apiUrl: rest.url, botToken: "secret-bot-token", retries: 0 }),
  });
});

afterEach(() => rest.stop());

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return (res: import("node:http").ServerResponse) =>
    res
      .writeHead(status, { "content-type": "application/json", ...headers })
      .end(JSON.stringify(body));
}

async function failure<E>(
  promise: Promise<unknown>,
  kind: new (...args: never[]) => E,
): Promise<E> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(kind);
  return error as E;
}

describe("DiscordDeliverer", () => {
  it("edits the original response through the interaction webhook, without the bot token", async () => {
    await deliverer.deliver(target, result);
    expect(rest.requests).toHaveLength(1);
    const [request] = rest.requests;
    expect(request?.method).toBe("PATCH");
    expect(request?.path).toBe("/api/v10/webhooks/111/tok-abc/messages/@original");
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toMatchObject({
      content: expect.stringContaining("Popular picks"),
      embeds: [{ title: "Toy Story (1995)" }],
      allowed_mentions: { parse: [] },
    });
  });

  it("edits in a short apology that clears embeds and components", async () => {
    await deliverer.apologize(target, "Sorry, try again.");
    expect(rest.requests[0]?.body).toEqual({
      content: "Sorry, try again.",
      embeds: [],
      components: [],
      allowed_mentions: { parse: [] },
    });
  });

  it("waits out a 429 as Discord asks, then delivers (the REST client's rate-limit handling)", async () => {
    let calls = 0;
    rest.responder = (_req, res) => {
      calls += 1;
      if (calls === 1) {
        answer(
          429,
          { message: "You are being rate limited.", retry_after: 0.05, global: false },
          {
            "retry-after": "0.05",
            "x-ratelimit-scope": "user",
          },
        )(res);
      } else answer(200, {})(res);
    };
    await deliverer.deliver(target, result);
    expect(rest.requests.map((r) => r.method)).toEqual(["PATCH", "PATCH"]);
  });

  it("classifies 5xx as transient", async () => {
    rest.responder = (_req, res) => answer(503, { message: "unavailable" })(res);
    const error = await failure(deliverer.deliver(target, result), TransientDeliveryError);
    expect(error.status).toBe(503);
  });

  it("classifies an expired interaction token as permanent", async () => {
    rest.responder = (_req, res) => answer(404, { message: "Unknown Webhook", code: 10015 })(res);
    const error = await failure(deliverer.deliver(target, result), PermanentDeliveryError);
    expect(error.targetGone).toBe(true);
    // The token is part of the URL; it must not leak through the error.
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain("tok-abc");
    expect(error.cause).toBeUndefined();
  });

  it("classifies other 4xx as permanent", async () => {
    rest.responder = (_req, res) =>
      answer(400, { message: "Invalid Form Body", code: 50035, errors: {} })(res);
    const error = await failure(deliverer.apologize(target, "Sorry"), PermanentDeliveryError);
    expect(error.targetGone).toBe(false);
    expect(error.status).toBe(400);
  });

  it("classifies an unreachable API as transient", async () => {
    await rest.stop();
    const error = await failure(deliverer.deliver(target, result), TransientDeliveryError);
    expect(error.status).toBeUndefined();
    await rest.start();
  });
});

describe("DiscordDeliverer keeps the host fixed", () => {
  it("sends every reply to DISCORD_API_URL's host, whatever the interaction token or application id hold", async () => {
    const elsewhere = await startLocalServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    try {
      const host = new URL(elsewhere.url).host;
      const tricks: DiscordTarget[] = [
        { ...target, interactionToken: `x@${host}/evil` },
        { ...target, interactionToken: `//${host}/evil` },
        { ...target, interactionToken: `../../../../../${host}/evil?` },
        { ...target, applicationId: `${elsewhere.url}/evil#` },
      ];
      for (const trick of tricks) {
        await deliverer.deliver(trick, result).catch(() => undefined);
      }
      expect(elsewhere.requests).toEqual([]);
      expect(rest.requests.length).toBe(tricks.length);
    } finally {
      await elsewhere.close();
    }
  });
});
