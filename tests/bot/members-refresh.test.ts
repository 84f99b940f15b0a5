import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMembersRefresh } from "../../bot/members-refresh.ts";
import { foldMemberLikes, MEMBER_USER_BASE } from "../../core/members/member-ratings.ts";
import { memberId, type TasteStore } from "../../core/members/taste-store.ts";
import { LocalRecommender } from "../../core/recommend/local-recommender.ts";
import type { Recommender } from "../../core/recommend/recommender.ts";
import { catalogOf } from "../core/recommend/fixture.ts";
import { type EngineUnderTest, sqliteEngine } from "../support/stores.ts";

// MovieLens alone: people who like 1 also like 2. Nobody rated 1 with 3 together.
const catalog = catalogOf([
  [1, 1, 1.0],
  [1, 2, 1.0],
  [2, 1, 1.0],
  [2, 2, 1.0],
  [3, 3, 1.0],
  [3, 4, 0.2],
]);
const options = {
  strategy: "default" as const,
  k: 10,
  neighbours: 10,
  factors: 2,
  alpha: 1,
  lambda: 0.1,
  iterations: 1,
  cacheDir: null,
};

describe("members as raters", () => {
  let engine: EngineUnderTest;
  let store: TasteStore;
  beforeAll(async () => {
    engine = await sqliteEngine();
    store = await engine.open();
  });
  afterAll(async () => {
    await store.close();
    await engine.dispose();
  });

  it("folds likes in under user ids apart from MovieLens's, as full marks", () => {
    const folded = foldMemberLikes(catalog, [
      { member: 7, movieId: 1 },
      { member: 7, movieId: 3 },
      { member: 7, movieId: 999 }, // not in the catalogue: left out
    ]);
    expect(folded.ratings.length).toBe(catalog.ratings.length + 2);
    expect([...folded.ratings.userIds.slice(-2)]).toEqual([
      MEMBER_USER_BASE + 7,
      MEMBER_USER_BASE + 7,
    ]);
    expect([...folded.ratings.values.slice(-2)]).toEqual([1, 1]);
    expect(folded.checksum).not.toBe(catalog.checksum);
  });

  it("refreshes at start-up: members' likes reach everyone's recommendations, and leave with forget me", async () => {
    const before = await (await LocalRecommender.create(catalog, options)).recommend([1], 5);
    expect(before.items.map((i) => i.movieId)).not.toContain(3);
    // Three members like 1 and 3 together.
    for (const user of ["a", "b", "c"]) await store.addLikes(memberId("slack", "T1", user), [1, 3]);
    let current: Recommender | null = null;
    const refresher = startMembersRefresh({
      store,
      build: (likes) => LocalRecommender.create(foldMemberLikes(catalog, likes), options),
      swap: (next) => {
        current = next;
      },
      minutes: 1440,
      logger: pino({ level: "silent" }),
    });
    await refresher.refresh();
    refresher.stop();
    const after = await (current as unknown as Recommender).recommend([1], 5);
    expect(after.items.map((i) => i.movieId)).toContain(3);

    for (const user of ["a", "b", "c"]) await store.forget(memberId("slack", "T1", user));
    await refresher.refresh();
    const forgotten = await (current as unknown as Recommender).recommend([1], 5);
    expect(forgotten.items.map((i) => i.movieId)).not.toContain(3);
  });
});
