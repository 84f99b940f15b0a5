import { describe, expect, it } from "vitest";
import { InvalidInputError, MoviebotError } from "../../../core/errors.ts";
import { FallbackRecommender } from "../../../core/recommend/fallback-recommender.ts";
import type { Recommendation, Recommender } from "../../../core/recommend/recommender.ts";

const EMBEDDED: Recommendation = {
  strategy: "personalized",
  items: [{ movieId: 2571, score: 0.9, because: [1] }],
};

class Failing implements Recommender {
  private readonly error: Error;
  constructor(error: Error) {
    this.error = error;
  }
  async recommend(): Promise<Recommendation> {
    throw this.error;
  }
  async popular(): Promise<Recommendation> {
    throw this.error;
  }
}

class Fixed implements Recommender {
  async recommend(): Promise<Recommendation> {
    return EMBEDDED;
  }
  async popular(): Promise<Recommendation> {
    return { strategy: "popular", items: [{ movieId: 318, score: 0.88, because: [] }] };
  }
}

describe("FallbackRecommender", () => {
  it.each(["backend_timeout", "backend_unavailable"] as const)(
    "answers from the embedded recommender on %s and reports it",
    async (code) => {
      const reported: unknown[] = [];
      const recommender = new FallbackRecommender({
        primary: new Failing(new MoviebotError(code, "BigQuery down")),
        fallback: new Fixed(),
        onFallback: (error) => reported.push(error),
      });
      expect(await recommender.recommend([1], 5)).toEqual(EMBEDDED);
      expect((await recommender.popular(5)).items[0]?.movieId).toBe(318);
      expect(reported).toHaveLength(2);
    },
  );

  it("lets the user's own mistakes through unchanged", async () => {
    const recommender = new FallbackRecommender({
      primary: new Failing(new InvalidInputError("Pick at most 25 movies.", "too_many_liked")),
      fallback: new Fixed(),
    });
    await expect(recommender.recommend([1], 5)).rejects.toMatchObject({ code: "too_many_liked" });
  });

  it("does not fall back once the caller has given up", async () => {
    const controller = new AbortController();
    controller.abort();
    const recommender = new FallbackRecommender({
      primary: new Failing(new MoviebotError("backend_timeout", "abandoned")),
      fallback: new Fixed(),
    });
    await expect(
      recommender.recommend([1], 5, { signal: controller.signal }),
    ).rejects.toMatchObject({ code: "backend_timeout" });
  });
});
