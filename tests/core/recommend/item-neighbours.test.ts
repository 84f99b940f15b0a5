import { describe, expect, it } from "vitest";
import {
  buildItemNeighbours,
  deserializeItemNeighbours,
  serializeItemNeighbours,
} from "../../../core/recommend/item-neighbours.ts";
import { RatingIndex } from "../../../core/recommend/rating-index.ts";
import { mulberry32 } from "../../../core/recommend/wals-trainer.ts";
import { catalogOf } from "./fixture.ts";

/** 60 users, 25 movies, random ratings: enough overlap for every pair rule to matter. */
function randomTriples(seed: number): [number, number, number][] {
  const random = mulberry32(seed);
  const out: [number, number, number][] = [];
  for (let u = 1; u <= 60; u++) {
    for (let m = 1; m <= 25; m++) {
      if (random() < 0.35) out.push([u, m, Math.ceil(random() * 10) / 10]);
    }
  }
  return out;
}

describe("item neighbours", () => {
  const options = { k: 5, pop: 0.6, shrink: 3, minShared: 2, maxLikesPerUser: 1000 };
  const index = new RatingIndex(catalogOf(randomTriples(7)).ratings);
  const table = buildItemNeighbours(index, options);

  it("keeps, per movie, the k best by the popularity-normalised cosine (checked by brute force)", () => {
    const likers = (row: number) =>
      new Set(
        index.likedByItem.cols.subarray(index.likedByItem.ptr[row], index.likedByItem.ptr[row + 1]),
      );
    for (let i = 0; i < index.items.length; i++) {
      const a = likers(i);
      const expected: { j: number; sim: number }[] = [];
      for (let j = 0; j < index.items.length; j++) {
        if (j === i) continue;
        const b = likers(j);
        const shared = [...a].filter((u) => b.has(u)).length;
        if (shared < options.minShared) continue;
        const sim = shared / (a.size ** (1 - options.pop) * b.size ** options.pop + options.shrink);
        expected.push({ j, sim });
      }
      expected.sort((x, y) => y.sim - x.sim || x.j - y.j);
      const got = [...table.cols.subarray(table.ptr[i], table.ptr[i + 1])];
      expect(got).toEqual(expected.slice(0, options.k).map((e) => e.j));
      const sims = [...table.sims.subarray(table.ptr[i], table.ptr[i + 1])];
      for (const [n, sim] of sims.entries()) {
        expect(sim).toBeCloseTo((expected[n] as { sim: number }).sim, 5);
      }
    }
  });

  it("a popularity weight of 0.5 is the plain cosine; more favours the less-liked movie", () => {
    const likes = (row: number) => table.likes[row] as number;
    const cosine = buildItemNeighbours(index, { ...options, pop: 0.5, shrink: 0, k: 30 });
    const specific = buildItemNeighbours(index, { ...options, pop: 0.9, shrink: 0, k: 30 });
    const meanLikesOfTop = (t: typeof table) => {
      let sum = 0;
      let n = 0;
      for (let i = 0; i < index.items.length; i++) {
        if ((t.ptr[i + 1] as number) > (t.ptr[i] as number)) {
          sum += likes(t.cols[t.ptr[i] as number] as number);
          n++;
        }
      }
      return sum / n;
    };
    expect(meanLikesOfTop(specific)).toBeLessThan(meanLikesOfTop(cosine));
  });

  it("caps each user's likes by an even sample", () => {
    const capped = buildItemNeighbours(index, { ...options, maxLikesPerUser: 3 });
    const total = [...capped.likes].reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(60 * 3);
    expect(total).toBeGreaterThan(0);
  });

  it("round-trips through plain typed arrays and refuses inconsistent ones", () => {
    const arrays = serializeItemNeighbours(table);
    expect(deserializeItemNeighbours(arrays)).toEqual(table);
    const broken = new Map(arrays);
    broken.set("ptr", new Int32Array(3));
    expect(deserializeItemNeighbours(broken)).toBeNull();
  });
});
