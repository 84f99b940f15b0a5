import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteTasteStore } from "../../../core/adapters/sqlite/sqlite-taste-store.ts";
import { memberId, type TasteStore } from "../../../core/members/taste-store.ts";
import { FakeWatch } from "../../support/fake-watch.ts";
import { blocksOf, cardIds, carouselCards } from "./support/blocks-of.ts";
import { type Harness, startHarness } from "./support/harness.ts";
import { buttonClick, sendCommand, sendPayload } from "./support/signed-requests.ts";

// Region and services per member, through signed slash commands into the real Bolt app, stored in
// a real SQLite member database; the cards' providers come from an in-memory WatchSource.
let h: Harness;
let taste: TasteStore;
const watch = new FakeWatch();
const ada = memberId("slack", "T1", "U1");

beforeAll(async () => {
  taste = await SqliteTasteStore.open(":memory:");
  h = await startHarness({ taste, watch });
});
afterAll(async () => {
  await h.close();
  await taste.close();
});

async function ackText(text: string): Promise<string> {
  const res = await sendCommand(h.url, text, h.slack.responseUrl(`ack-${text}`));
  expect(res.status).toBe(200);
  return ((await res.json()) as { text: string }).text;
}

describe("/recommend region and services", () => {
  it("asks for services before 'mine' can be used", async () => {
    expect(await ackText("mine Toy Story")).toMatch(/Save your services first/);
    expect(await ackText("mine")).toMatch(/Save your services first/);
    expect(h.submitted).toHaveLength(0);
  });

  it("shows the default region until the member sets one, and refuses what is not a region", async () => {
    expect(await ackText("region")).toMatch(/You have not set a region.+ in US/);
    expect(await ackText("region Switzerland")).toMatch(/two-letter country code/);
    expect(await taste.settings(ada)).toEqual({ region: null, services: [] });
  });

  it("stores the region, and the next cards show where to watch there with the JustWatch credit", async () => {
    expect(await ackText("region ch")).toMatch(/Your region is now CH/);
    expect((await taste.settings(ada)).region).toBe("CH");
    expect(await ackText("region")).toMatch(/Your region is CH/);

    await sendCommand(h.url, "Toy Story", h.slack.responseUrl("in-ch"));
    const [reply] = await h.slack.waitForReplies("in-ch");
    expect(h.submitted.at(-1)?.request).toMatchObject({ region: "CH" });
    expect(watch.regions.at(-1)).toBe("CH");
    const cards = carouselCards(reply ?? {});
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) expect(card.body?.text).toMatch(/Stream: Kino Plus, (Netflix|Max)/);
    expect(JSON.stringify(blocksOf(reply ?? {}))).toContain(
      "Where to watch in CH: data by JustWatch",
    );

    // A click carries the clicker's region too.
    await sendPayload(
      h.url,
      buttonClick("more_like_this", "6", h.slack.responseUrl("more-ch"), [], "card_0_6"),
    );
    await h.slack.waitForReplies("more-ch");
    expect(h.submitted.at(-1)?.request).toMatchObject({ liked: [6], region: "CH" });
  });

  it("stores services, lists them first on cards, and 'mine' keeps only films on them", async () => {
    expect(await ackText("services Netflix, netflix , Apple TV")).toMatch(
      /Your services: Netflix, Apple TV/,
    );
    expect(await taste.settings(ada)).toEqual({ region: "CH", services: ["Netflix", "Apple TV"] });

    await sendCommand(h.url, "mine Toy Story", h.slack.responseUrl("mine"));
    const [reply] = await h.slack.waitForReplies("mine");
    const ids = cardIds(reply ?? {});
    expect(ids.length).toBeGreaterThan(0);
    // In CH, Netflix has the even movieIds.
    expect(ids.every((id) => id % 2 === 0)).toBe(true);
    for (const card of carouselCards(reply ?? {})) {
      expect(card.body?.text).toMatch(/Stream: Netflix, Kino Plus/);
    }

    await sendCommand(h.url, "mine", h.slack.responseUrl("mine-popular"));
    const [popular] = await h.slack.waitForReplies("mine-popular");
    const popularIds = cardIds(popular ?? {});
    expect(popularIds).toHaveLength(5);
    expect(popularIds.every((id) => id % 2 === 0)).toBe(true);
  });

  it("says so when nothing streams on the member's services", async () => {
    await ackText("services Kino Nowhere");
    await sendCommand(h.url, "mine Toy Story", h.slack.responseUrl("mine-none"));
    const [reply] = await h.slack.waitForReplies("mine-none");
    expect(cardIds(reply ?? {})).toEqual([]);
    expect(JSON.stringify(blocksOf(reply ?? {}))).toContain(
      "None of the films I would pick stream",
    );
    expect(await ackText("services none")).toMatch(/cleared/);
    expect((await taste.settings(ada)).services).toEqual([]);
  });
});
