import { describe, expect, it } from "vitest";
import { CachingRecommender } from "../../../core/recommend/caching-recommender.ts";
import type { Recommendation, Recommender } from "../../../core/recommend/recommender.ts";

class CountingRecommender implements Recommender {
  calls: string[] = [];
  async recommend(liked: readonly number[], limit: number): Promise<Recommendation> {
    this.calls.push(`recommend ${liked.join(",")} ${limit}`);
    return { strategy: "personalized", items: [{ movieId: 99, score: 1, because: [...liked] }] };
  }
  async popular(limit: number): Promise<Recommendation> {
    this.calls.push(`popular ${limit}`);
    return { strategy: "popular", items: [{ movieId: 7, score: 1, because: [] }] };
  }
}

describe("CachingRecommender", () => {
  it("answers the same picks and limit once", async () => {
    const inner = new CountingRecommender();
    const cached = new CachingRecommender(inner, { size: 10, ttlMs: 60_000 });
    const first = await cached.recommend([1, 6], 10);
    expect(await cached.recommend([1, 6], 10)).toEqual(first);
    await cached.popular(5);
    await cached.popular(5);
    expect(inner.calls).toEqual(["recommend 1,6 10", "popular 5"]);
  });

  it("asks again for other picks, another limit, or once the entry has expired", async () => {
    const inner = new CountingRecommender();
    const cached = new CachingRecommender(inner, { size: 10, ttlMs: 1 });
    await cached.recommend([1, 6], 10);
    await cached.recommend([1, 6], 5);
    await cached.recommend([6], 10);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await cached.recommend([1, 6], 10);
    expect(inner.calls).toEqual([
      "recommend 1,6 10",
      "recommend 1,6 5",
      "recommend 6 10",
      "recommend 1,6 10",
    ]);
  });

  it("does not keep failures", async () => {
    let fail = true;
    const inner: Recommender = {
      recommend: async () => {
        if (fail) throw new Error("backend down");
        return { strategy: "personalized", items: [] };
      },
      popular: async () => ({ strategy: "popular", items: [] }),
    };
    const cached = new CachingRecommender(inner, { size: 10, ttlMs: 60_000 });
    await expect(cached.recommend([1], 10)).rejects.toThrow("backend down");
    fail = false;
    await expect(cached.recommend([1], 10)).resolves.toMatchObject({ strategy: "personalized" });
  });
});
