import { describe, expect, it } from "vitest";
import { scoreRankings, splitForEval } from "../../../core/recommend/evaluation.ts";
import { catalogOf } from "./fixture.ts";

// 20 users; user u likes movies 1..(u + 2) and rates movie 100 at 0.2.
const triples: [number, number, number][] = [];
for (let u = 1; u <= 20; u++) {
  for (let m = 1; m <= u + 2; m++) triples.push([u, m, 0.8 + (m % 3) * 0.1]);
  triples.push([u, 100, 0.2]);
}
const catalog = catalogOf(triples);

describe("evaluation protocol", () => {
  const { train, cases } = splitForEval(catalog, { seed: 3 });

  it("holds out 20% of users entirely from training", () => {
    const trainUsers = new Set(train.ratings.userIds);
    expect(trainUsers.size).toBe(16);
    for (const c of cases) expect(trainUsers.has(c.userId)).toBe(false);
  });

  it("keeps held-out users with >= 8 liked movies; 3 liked in, the other liked are truth", () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const liked = c.userId + 2;
      expect(liked).toBeGreaterThanOrEqual(8);
      expect(c.input).toHaveLength(3);
      expect(c.truth.size).toBe(liked - 3);
      for (const id of c.input) expect(c.truth.has(id)).toBe(false);
      expect(c.truth.has(100)).toBe(false);
    }
    expect(splitForEval(catalog, { seed: 3 }).cases).toEqual(cases);
  });

  it("Recall@n divides hits by min(n, |truth|); NDCG discounts late hits", () => {
    const c = { userId: 1, input: [], truth: new Set([1, 2, 3]) };
    const perfect = scoreRankings([c], [[1, 2, 3, 9]], 10);
    expect(perfect).toEqual({ recall: 1, ndcg: 1, hitRate: 1, cases: 1 });
    const late = scoreRankings([c], [[7, 8, 1]], 10);
    expect(late.recall).toBeCloseTo(1 / 3);
    expect(late.ndcg).toBeCloseTo(0.5 / (1 + 1 / Math.log2(3) + 0.5));
    expect(scoreRankings([c], [[7]], 10).hitRate).toBe(0);
    const many = { userId: 2, input: [], truth: new Set(Array.from({ length: 30 }, (_, i) => i)) };
    expect(scoreRankings([many], [[0, 1, 2, 3, 4]], 10).recall).toBeCloseTo(0.5);
  });
});
