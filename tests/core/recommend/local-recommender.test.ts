import { describe, expect, it } from "vitest";
import { LocalRecommender } from "../../../core/recommend/local-recommender.ts";
import type { MatrixFactorizationModel } from "../../../core/recommend/mf-model.ts";
import { catalogOf, SIMILAR_USERS_FIXTURE } from "./fixture.ts";

const catalog = catalogOf(SIMILAR_USERS_FIXTURE);

/**
 * A hand-filled 2-factor model, ML.WEIGHTS-style: rows deliberately not in id order. Users 10 and 11
 * point along factor 0, user 12 along factor 1; movies 4 and 5 score by those factors.
 */
function handModel(): MatrixFactorizationModel {
  return {
    dim: 2,
    users: {
      ids: Int32Array.from([12, 10, 11, 9, 13, 14]),
      factors: Float32Array.from([0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0]),
      intercepts: new Float32Array(6),
    },
    items: {
      ids: Int32Array.from([6, 5, 4, 3, 2, 1]),
      factors: Float32Array.from([0.1, 0.1, 0.2, 0.9, 0.8, 0.3, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]),
      intercepts: Float32Array.from([0, 0, 0, 0, 0, 0.01]),
    },
    globalIntercept: 0.05,
    meta: { source: "bigquery", trainedAt: "2026-01-01T00:00:00Z", options: {} },
  };
}

describe("LocalRecommender.fromModel", () => {
  it("serves a hand-filled model: mean prediction of the top-k similar users", async () => {
    const recommender = LocalRecommender.fromModel(catalog, handModel(), {
      strategy: "reference",
      k: 3,
    });
    // Similar users for [1, 2, 3] at k = 3: 10, 11, 12 → mean vector (2/3, 1/3).
    const result = await recommender.recommend([1, 2, 3], 10);
    expect(result.strategy).toBe("personalized");
    expect(result.items.map((i) => i.movieId)).toEqual([4, 5, 6]);
    expect(result.items[0]?.score).toBeCloseTo(0.05 + (2 / 3) * 0.8 + (1 / 3) * 0.3, 5);
    expect(result.items[1]?.score).toBeCloseTo(0.05 + (2 / 3) * 0.2 + (1 / 3) * 0.9, 5);
    expect(result.items[2]?.score).toBeCloseTo(0.05 + 0.1, 5);
  });

  it("follows k: with k = 1 only user 10 counts", async () => {
    const recommender = LocalRecommender.fromModel(catalog, handModel(), {
      strategy: "reference",
      k: 1,
    });
    const result = await recommender.recommend([1, 2, 3], 2);
    expect(result.items.map((i) => [i.movieId, Number(i.score.toFixed(3))])).toEqual([
      [4, 0.85],
      [5, 0.25],
    ]);
  });
});

describe("LocalRecommender", () => {
  const options = { k: 3, factors: 3, alpha: 10, lambda: 0.1, iterations: 5, cacheDir: null };

  for (const strategy of ["reference", "default"] as const) {
    it(`${strategy}: excludes liked movies and returns scores in descending order`, async () => {
      const recommender = await LocalRecommender.create(catalog, { ...options, strategy });
      const result = await recommender.recommend([1, 2], 10);
      const ids = result.items.map((i) => i.movieId);
      expect(ids).not.toContain(1);
      expect(ids).not.toContain(2);
      // The reference method scores every movie; the default one what neighbours liked or
      // watched (movie 6 comes from user 14, who rated both picks without liking them).
      expect(ids.sort()).toEqual([3, 4, 5, 6]);
      const scores = result.items.map((i) => i.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect((await recommender.recommend([1, 2], 2)).items).toHaveLength(2);
    });

    it(`${strategy}: says what share of all six raters liked each film`, async () => {
      const recommender = await LocalRecommender.create(catalog, { ...options, strategy });
      const shares = new Map(
        (await recommender.recommend([1, 2], 10)).items.map((i) => [i.movieId, i.likedShare]),
      );
      // Liked (rating_im >= 0.8): 3 by users 9, 10, 12; 4 by 10, 11; 5 by 11, 12; 6 by 14.
      expect(Object.fromEntries(shares)).toEqual({ 3: 3 / 6, 4: 2 / 6, 5: 2 / 6, 6: 1 / 6 });
    });
  }

  it("answers an empty liked list with the popular list, which carries no reasons", async () => {
    const recommender = await LocalRecommender.create(catalog, { ...options, strategy: "default" });
    const cold = await recommender.recommend([], 5);
    expect(cold.strategy).toBe("popular");
    expect(cold).toEqual(await recommender.popular(5));
    for (const item of cold.items) expect(item.because).toEqual([]);
  });

  it("respects an aborted signal", async () => {
    const recommender = await LocalRecommender.create(catalog, { ...options, strategy: "default" });
    await expect(recommender.recommend([1], 5, { signal: AbortSignal.abort() })).rejects.toThrow();
  });

  it("tops a short personalized list up with popular picks, and falls back to them", async () => {
    const everyone = Array.from({ length: 12 }, (_, u) => [u + 1, 100, 1.0] as const);
    const small = catalogOf([...everyone, [20, 1, 1.0], [20, 2, 0.9], [21, 3, 0.4]]);
    const recommender = await LocalRecommender.create(small, {
      ...options,
      strategy: "neighbours",
    });
    const result = await recommender.recommend([1], 5);
    expect(result.strategy).toBe("personalized");
    // Movie 2: every neighbour liked it (1) and every rater of the pick watched it (+ 0.2).
    expect(result.items.map((i) => [i.movieId, i.score])).toEqual([
      [2, 1.2],
      [100, 0],
    ]);
    expect(result.items[0]?.because).toEqual([1]);
    // Movie 3's only rater neither liked nor watched anything else: the popular list answers.
    const fallback = await recommender.recommend([3], 5);
    expect(fallback.strategy).toBe("popular");
    expect(fallback.items.map((i) => i.movieId)).toEqual([100]);
  });

  it("the default strategy tops up and falls back the same way", async () => {
    const everyone = Array.from({ length: 12 }, (_, u) => [u + 1, 100, 1.0] as const);
    const small = catalogOf([
      ...everyone,
      [20, 1, 1.0],
      [20, 2, 0.9],
      [22, 1, 0.9],
      [22, 2, 1.0],
      [21, 3, 0.4],
    ]);
    const recommender = await LocalRecommender.create(small, { ...options, strategy: "default" });
    const result = await recommender.recommend([1], 5);
    expect(result.strategy).toBe("personalized");
    expect(result.items.map((i) => i.movieId)).toEqual([2, 100]);
    expect(result.items[0]).toMatchObject({ because: [1], lovedShare: 1 });
    expect(result.items[1]?.score).toBe(0);
    const fallback = await recommender.recommend([3], 5);
    expect(fallback.strategy).toBe("popular");
  });
});
