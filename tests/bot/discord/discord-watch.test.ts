import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteTasteStore } from "../../../core/adapters/sqlite/sqlite-taste-store.ts";
import { memberId, type TasteStore } from "../../../core/members/taste-store.ts";
import { FakeWatch } from "../../support/fake-watch.ts";
import { type Endpoint, EPHEMERAL, startEndpoint } from "./http-harness.ts";
import { command, select } from "./interactions.ts";

// Region and services per member through the real, signed Discord endpoint, stored in a real
// SQLite member database; providers come from an in-memory WatchSource.
let endpoint: Endpoint;
let taste: TasteStore;
const watch = new FakeWatch();
// interactions.ts sends every interaction as this user in this server.
const ada = memberId("discord", "333333333333333333", "444444444444444444");

beforeAll(async () => {
  taste = await SqliteTasteStore.open(":memory:");
  endpoint = await startEndpoint({ taste, watch });
});
afterAll(async () => {
  await endpoint.stop();
  await taste.close();
});

/** A slash command as a member whose Discord client speaks `locale`. */
function asLocale(body: ReturnType<typeof command>, locale: string) {
  return { ...body, locale };
}

/** /recommend with the boolean `mine` option set. */
function recommendMine(movie: string) {
  const body = command("recommend", { movie1: movie });
  body.data.options.push({ name: "mine", type: 5, value: true as unknown as string });
  return body;
}

describe("Discord region and services", () => {
  it("takes the region from the member's locale when they set none", async () => {
    const { status, body } = await endpoint.post(
      asLocale(command("recommend", { movie1: "1" }), "pt-BR"),
    );
    expect(status).toBe(200);
    expect(body.type).toBe(4);
    expect(watch.regions.at(-1)).toBe("BR");
    // No providers in BR: no watch field and no credit, but the trailer is there.
    const embed = body.data?.embeds?.[0];
    expect(embed?.footer).toBeUndefined();
    expect(embed?.fields?.some((f) => f.name === "Trailer")).toBe(true);
  });

  it("asks for services before mine:True can be used", async () => {
    const { body } = await endpoint.post(recommendMine("1"));
    expect(body.data?.content).toMatch(/Save your services first/);
    expect(body.data?.flags).toBe(EPHEMERAL);
  });

  it("/region stores the member's region, which wins over the locale", async () => {
    const bad = await endpoint.post(command("region", { code: "1A" }));
    expect(bad.body.data?.content).toMatch(/two-letter country code/);
    const set = await endpoint.post(command("region", { code: "ch" }));
    expect(set.body.data?.content).toMatch(/Your region is now CH/);
    expect(set.body.data?.flags).toBe(EPHEMERAL);
    expect((await taste.settings(ada)).region).toBe("CH");
    const show = await endpoint.post(command("region"));
    expect(show.body.data?.content).toMatch(/Your region is CH/);

    const { body } = await endpoint.post(asLocale(command("recommend", { movie1: "1" }), "pt-BR"));
    expect(watch.regions.at(-1)).toBe("CH");
    for (const embed of body.data?.embeds ?? []) {
      expect(embed.fields?.find((f) => f.name === "Where to watch in CH")?.value).toMatch(
        /^Stream: Kino Plus, (Netflix|Max)/,
      );
      expect(embed.footer?.text).toBe("Streaming data: JustWatch, via TMDB");
    }
  });

  it("More like… answers in the clicker's region", async () => {
    const { body } = await endpoint.post(select("more-like", ["2571"]));
    expect(watch.regions.at(-1)).toBe("CH");
    expect(body.data?.embeds?.[0]?.fields?.some((f) => f.name === "Where to watch in CH")).toBe(
      true,
    );
  });

  it("/services stores services: listed first, and mine:True keeps only films on them", async () => {
    const set = await endpoint.post(command("services", { names: "Netflix; Disney Plus" }));
    expect(set.body.data?.content).toMatch(/Your services: Netflix, Disney Plus/);
    expect(await taste.settings(ada)).toEqual({
      region: "CH",
      services: ["Netflix", "Disney Plus"],
    });

    const { body } = await endpoint.post(recommendMine("2571"));
    const embeds = body.data?.embeds ?? [];
    expect(embeds.length).toBeGreaterThan(0);
    for (const embed of embeds) {
      expect(embed.author?.name).toBe("Stream on Netflix");
      expect(embed.fields?.find((f) => f.name === "Where to watch in CH")?.value).toMatch(
        /^Stream: Netflix, Kino Plus/,
      );
    }
    const cleared = await endpoint.post(command("services", { names: "none" }));
    expect(cleared.body.data?.content).toMatch(/cleared/);
  });
});
