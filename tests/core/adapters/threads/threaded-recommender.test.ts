import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distinctLikedSets } from "../../../../bench/workload.ts";
import { loadMovieLens } from "../../../../core/adapters/movielens/load-movielens.ts";
import {
  startRecommendThreads,
  ThreadedRecommender,
} from "../../../../core/adapters/threads/threaded-recommender.ts";
import type { Catalog } from "../../../../core/catalog/catalog.ts";
import { LocalRecommender } from "../../../../core/recommend/local-recommender.ts";
import { MOVIELENS_DIR } from "../../../support/data.ts";

describe("ThreadedRecommender", () => {
  let catalog: Catalog;
  let local: LocalRecommender;
  let threaded: ThreadedRecommender;
  let state: Awaited<ReturnType<typeof LocalRecommender.stateOf>>;
  const options = { strategy: "default" as const, k: 20, neighbours: 50 };

  beforeAll(async () => {
    catalog = await loadMovieLens(MOVIELENS_DIR);
    state = await LocalRecommender.stateOf(catalog, "default", null);
    local = LocalRecommender.fromState(state, options);
    threaded = new ThreadedRecommender(
      state,
      Int32Array.from(catalog.movies.map((m) => m.movieId)),
      options,
      2,
    );
  });
  afterAll(() => threaded.close());

  it("answers exactly as the in-process recommender, for picks people make", async () => {
    const sets = distinctLikedSets(catalog, 300, 5);
    const [here, there] = await Promise.all([
      Promise.all(sets.map((liked) => local.recommend(liked, 10))),
      Promise.all(sets.map((liked) => threaded.recommend(liked, 10))),
    ]);
    expect(there).toEqual(here);
    expect(there.filter((r) => r.strategy === "personalized").length).toBeGreaterThan(250);
  });

  it("answers popular picks and unknown movies as the in-process recommender", async () => {
    expect(await threaded.popular(5)).toEqual(await local.popular(5));
    expect(await threaded.recommend([999_999_999], 5)).toEqual(
      await local.recommend([999_999_999], 5),
    );
  });

  it("refuses an aborted request before it is sent", async () => {
    const controller = new AbortController();
    controller.abort(new Error("gone"));
    await expect(threaded.recommend([1], 5, { signal: controller.signal })).rejects.toThrow("gone");
  });

  it("takes threads started before the data existed, and answers with them as in process", async () => {
    const started = startRecommendThreads(3);
    // One of them fails before it is taken: a new thread stands in for it.
    await started[0]?.terminate();
    const early = new ThreadedRecommender(
      state,
      Int32Array.from(catalog.movies.map((m) => m.movieId)),
      options,
      2,
      started,
    );
    try {
      // Two taken (the dead one replaced), the third left for the caller to close.
      expect(started).toHaveLength(1);
      const sets = distinctLikedSets(catalog, 100, 9);
      const [here, there] = await Promise.all([
        Promise.all(sets.map((liked) => local.recommend(liked, 10))),
        Promise.all(sets.map((liked) => early.recommend(liked, 10))),
      ]);
      expect(there).toEqual(here);
      expect(await early.popular(5)).toEqual(await local.popular(5));
    } finally {
      await early.close();
      await started[0]?.terminate();
    }
  });
});
