import type { Client } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DiscordDeliverer } from "../../../bot/discord/discord-deliverer.ts";
import { DiscordGateway } from "../../../bot/discord/gateway-transport.ts";
import { createDiscordRest } from "../../../bot/discord/rest-client.ts";
import { MemorySharedCardsStore } from "../../../core/cards/shared-cards-store.ts";
import { InProcessJobQueue } from "../../../core/jobs/in-process-job-queue.ts";
import { runJob } from "../../../core/jobs/run-job.ts";
import { FakeRecommender, FakeSearch, fakeCards } from "../../support/fakes.ts";
import * as payload from "./interactions.ts";
import { RestStandIn, silentLogger } from "./support.ts";

/**
 * Feeds a raw INTERACTION_CREATE payload through discord.js's own action, exactly as the gateway
 * connection would: discord.js builds its interaction object and emits interactionCreate.
 */
function emitFromGateway(client: Client, raw: unknown): void {
  // biome-ignore lint/suspicious/noExplicitAny: client.actions is discord.js-internal and untyped
  (client as any).actions.InteractionCreate.handle(raw);
}

let rest: RestStandIn;
let recommender: FakeRecommender;
let gateway: DiscordGateway;
let jobs: InProcessJobQueue;

beforeEach(async () => {
  rest = new RestStandIn();
  await rest.start();
  recommender = new FakeRecommender();
  const cards = fakeCards({ recommender, posters: null });
  const deliverer = new DiscordDeliverer({ rest: createDiscordRest({ apiUrl: rest.url }) });
  jobs = new InProcessJobQueue({ handler: (job) => runJob(cards, { discord: deliverer }, job) });
  gateway = new DiscordGateway({
    botToken: "bot-token-for-tests",
    apiUrl: rest.url,
    cards,
    search: new FakeSearch(),
    jobs,
    shared: new MemorySharedCardsStore({ ttlMs: 60_000 }),
    logger: silentLogger,
    budgets: { inlineMs: 300, autocompleteMs: 300 },
  });
});

afterEach(async () => {
  await jobs.close();
  await gateway.stop();
  await rest.stop();
});

const callbackOf = (raw: { id: string; token: string }) => (r: { method: string; path: string }) =>
  r.method === "POST" && r.path === `/api/v10/interactions/${raw.id}/${raw.token}/callback`;

describe("Discord gateway transport", () => {
  it("dispatches autocomplete into the same handler and answers through the callback endpoint", async () => {
    const raw = payload.autocomplete("recommend", "movie1", { movie1: "matrix" });
    emitFromGateway(gateway.client, raw);
    const callback = await rest.next(callbackOf(raw));
    expect(callback.body).toEqual({
      type: 8,
      data: {
        choices: [
          { name: "The Matrix (1999)", value: "2571" },
          { name: "The Matrix Reloaded (2003)", value: "6365" },
          { name: "The Matrix Revolutions (2003)", value: "6934" },
        ],
      },
    });
  });

  it("dispatches /recommend: inline reply with embeds", async () => {
    const raw = payload.command("recommend", { movie1: "2571" });
    emitFromGateway(gateway.client, raw);
    const callback = await rest.next(callbackOf(raw));
    const body = callback.body as { type: number; data: { flags: number; embeds: unknown[] } };
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(64);
    expect(body.data.embeds[0]).toMatchObject({ description: "Because you liked The Matrix" });
    expect(callback.headers.authorization).toBeUndefined();
  });

  it("defers a slow /popular, then edits the original message", async () => {
    recommender.hold();
    const raw = payload.command("popular");
    emitFromGateway(gateway.client, raw);
    expect((await rest.next(callbackOf(raw))).body).toEqual({ type: 5 });
    recommender.release();
    const patch = await rest.next((r) => r.method === "PATCH");
    expect(patch.path).toBe(`/api/v10/webhooks/${payload.APP_ID}/${raw.token}/messages/@original`);
    // Four cards, each with its row of 👍 / 👎 / Seen it / Watchlist, beside the select.
    expect((patch.body as { embeds: unknown[] }).embeds).toHaveLength(4);
  });

  it("dispatches a More like… select with its chosen value", async () => {
    const raw = payload.select("more-like", ["6"]);
    emitFromGateway(gateway.client, raw);
    const callback = await rest.next(callbackOf(raw));
    expect(callback.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(recommender.calls).toEqual([{ liked: [6], limit: 8 }]);
  });
});
