import { expect, it } from "vitest";
import type { Card } from "../../../core/cards/card.ts";
import { isShareId } from "../../../core/cards/shared-cards-store.ts";
import { cardFixture } from "../../support/cards.ts";
import {
  describeEachSharedStore,
  type SharedStoreKind,
} from "../../support/shared-cards-stores.ts";

/** A card with everything Share must carry: poster, providers, trailer, reason, a taste mark. */
const full = (movieId: number): Card =>
  cardFixture(movieId, {
    reason: `Because you liked Heat (${movieId})`,
    trailerUrl: `https://www.youtube.com/watch?v=t${movieId}`,
    watch: {
      region: "CH",
      link: `https://www.themoviedb.org/movie/${movieId}/watch?locale=CH`,
      flatrate: [{ name: "Netflix", logoUrl: "https://img.example/Netflix.png" }],
      rent: [{ name: "Apple TV", logoUrl: null }],
      buy: [],
      attribution: "JustWatch",
    },
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function contract(kind: SharedStoreKind) {
  it("gives back exactly the cards it kept, under a short id", async () => {
    const store = kind.make(60_000);
    const cards = [full(1), full(2), full(3)];
    const id = await store.keep(cards);
    expect(isShareId(id)).toBe(true);
    expect(await store.find(id)).toEqual(cards);
    // Twice: a second click (or a second person) sees the same cards.
    expect(await store.find(id)).toEqual(cards);
  });

  it("keeps what it was given, whatever the caller or a finder changes afterwards", async () => {
    const store = kind.make(60_000);
    const cards = [full(1), full(2)];
    const id = await store.keep(cards);
    (cards[0] as Card).title = "changed by the caller";
    const found = (await store.find(id)) ?? [];
    (found[1] as Card).reason = "changed by a finder";
    expect(await store.find(id)).toEqual([full(1), full(2)]);
  });

  it("gives every set its own id", async () => {
    const store = kind.make(60_000);
    const a = await store.keep([full(1)]);
    const b = await store.keep([full(1)]);
    expect(a).not.toBe(b);
  });

  it("answers null for ids it never made, forged or malformed", async () => {
    const store = kind.make(60_000);
    expect(await store.find("AAAAAAAAAAAAAAAA")).toBeNull();
    expect(await store.find("2571,858")).toBeNull();
    expect(await store.find("../../etc/passwd")).toBeNull();
    expect(await store.find("")).toBeNull();
  });

  it("forgets the cards once their time limit has passed", async () => {
    const store = kind.make(150);
    const id = await store.keep([full(7)]);
    expect(await store.find(id)).not.toBeNull();
    await sleep(400);
    expect(await store.find(id)).toBeNull();
  });
}

describeEachSharedStore("SharedCardsStore", contract);
