import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "discord.js";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DiscordGateway } from "../../../bot/discord/gateway-transport.ts";
import { SqliteTasteStore } from "../../../core/adapters/sqlite/sqlite-taste-store.ts";
import { MemorySharedCardsStore } from "../../../core/cards/shared-cards-store.ts";
import { InProcessJobQueue } from "../../../core/jobs/in-process-job-queue.ts";
import { memberId, type TasteStore } from "../../../core/members/taste-store.ts";
import { FakeSearch, fakeCards } from "../../support/fakes.ts";

/**
 * A server that removes the bot takes its members' data with it. The gateway's GUILD_DELETE goes
 * through discord.js's own action, as the connection would deliver it: without `unavailable` the
 * bot was removed (kicked, or the server deleted); `unavailable: true` is an outage, and nothing
 * may be deleted for that.
 */
// biome-ignore lint/suspicious/noExplicitAny: guilds._add and client.actions are discord.js-internal and untyped
const internals = (client: Client) => client as any;

function joinGuild(client: Client, id: string): void {
  internals(client).guilds._add({ id, name: `Server ${id}`, unavailable: false });
}

function guildDelete(client: Client, data: { id: string; unavailable?: boolean }): void {
  internals(client).actions.GuildDelete.handle(data);
}

const inRemoved = memberId("discord", "G1", "100");
const alsoInRemoved = memberId("discord", "G1", "101");
const elsewhere = memberId("discord", "G2", "100");

let store: TasteStore;
let gateway: DiscordGateway;
let jobs: InProcessJobQueue;
const lines: Record<string, unknown>[] = [];

beforeEach(async () => {
  store = await SqliteTasteStore.open(join(mkdtempSync(join(tmpdir(), "guild-del-")), "m.db"));
  await store.addLikes(inRemoved, [1, 2]);
  await store.saveSettings(inRemoved, { region: "CH", services: ["Netflix"] });
  await store.mark(alsoInRemoved, 3, "watchlist", true);
  await store.addLikes(elsewhere, [4]);
  lines.length = 0;
  const logger = pino({ level: "info" }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  const cards = fakeCards({ posters: null });
  jobs = new InProcessJobQueue({ handler: async () => {} });
  gateway = new DiscordGateway({
    botToken: "bot-token-for-tests",
    cards,
    search: new FakeSearch(),
    jobs,
    shared: new MemorySharedCardsStore({ ttlMs: 60_000 }),
    taste: store,
    logger,
  });
  joinGuild(gateway.client, "G1");
  joinGuild(gateway.client, "G2");
});

afterEach(async () => {
  await jobs.close();
  await gateway.stop();
  await store.close();
});

describe("Discord gateway: the bot removed from a server", () => {
  it("deletes every member of that server, and no one else", async () => {
    guildDelete(gateway.client, { id: "G1" });
    await expect.poll(async () => (await store.entries(inRemoved)).length).toBe(0);
    expect(await store.entries(alsoInRemoved)).toEqual([]);
    expect((await store.settings(inRemoved)).region).toBeNull();
    expect((await store.entries(elsewhere)).length).toBe(1);
    await expect
      .poll(() => lines.find((l) => l.msg === "server's members forgotten"))
      .toMatchObject({ rows: 6 });
    // The log names neither the server nor a member.
    expect(JSON.stringify(lines)).not.toMatch(/G1|"100"/);
  });

  it("keeps everything when the server is only unavailable (an outage)", async () => {
    guildDelete(gateway.client, { id: "G1", unavailable: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await store.entries(inRemoved)).length).toBe(2);
    expect((await store.entries(alsoInRemoved)).length).toBe(1);
    expect(lines.some((l) => l.msg === "server's members forgotten")).toBe(false);
  });

  it("logs a database that fails, without crashing", async () => {
    await store.close();
    guildDelete(gateway.client, { id: "G1" });
    await expect.poll(() => lines.find((l) => l.msg === "could not forget a server")).toBeDefined();
  });
});
