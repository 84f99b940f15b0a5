import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadMovieLens } from "../../../core/adapters/movielens/load-movielens.ts";
import { memberRowsOf } from "../../../core/members/member-index.ts";
import { memberRatings } from "../../../core/members/member-ratings.ts";
import {
  coWatchedScores,
  DENSE_WALK_PER_ITEM,
  forgetPickCounts,
  keepPickCountsWithin,
  keptPickCounts,
  MAX_RATERS_PER_PICK,
  MAX_RATINGS_PER_PICK,
  PICK_COUNTS_BYTES,
} from "../../../core/recommend/co-watched.ts";
import { RatingIndex } from "../../../core/recommend/rating-index.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";
import { firstBitDifference } from "./plain-scores.ts";

let base: RatingIndex;
/** Item rows whose raters' ratings make a dense walk, most raters first; and some that do not. */
let heavy: number[];
let light: number[];

/** The ratings a pick's raters hold (every rater: no pick here reaches the caps). */
function walkOf(index: RatingIndex, pick: number): number {
  let walk = 0;
  for (let e = index.byItem.ptr[pick] as number; e < (index.byItem.ptr[pick + 1] as number); e++) {
    const u = index.byItem.cols[e] as number;
    walk += (index.byUser.ptr[u + 1] as number) - (index.byUser.ptr[u] as number);
  }
  return walk;
}

beforeAll(async () => {
  base = new RatingIndex((await loadMovieLens(MOVIELENS_DIR)).ratings);
  const rows = [...Array(base.items.length).keys()].sort(
    (a, b) => base.raterCount(b) - base.raterCount(a),
  );
  const dense = (r: number) => walkOf(base, r) >= DENSE_WALK_PER_ITEM * base.items.length;
  heavy = rows.filter(dense);
  light = rows.filter((r) => base.raterCount(r) > 0 && !dense(r)).slice(0, 20);
});

afterEach(() => {
  keepPickCountsWithin(PICK_COUNTS_BYTES);
  forgetPickCounts();
});

const scores = (index: RatingIndex, picks: number[]) => coWatchedScores(index, picks);
const fresh = (index: RatingIndex, picks: number[]) => {
  forgetPickCounts();
  return coWatchedScores(index, picks);
};

describe("coWatchedScores' kept counts", () => {
  it("gives each movie the share of the picks' raters who rated it", () => {
    expect(heavy.length).toBeGreaterThan(10);
    expect(light.length).toBeGreaterThan(10);
    const picks = [heavy[0], heavy[5], light[0]] as number[];
    const got = scores(base, picks);
    expect(keptPickCounts().picks).toBe(2);
    // Every rater counts (no pick here reaches MAX_RATERS_PER_PICK or MAX_RATINGS_PER_PICK).
    for (const p of picks) expect(base.raterCount(p)).toBeLessThanOrEqual(MAX_RATERS_PER_PICK);
    for (const p of picks) expect(walkOf(base, p)).toBeLessThanOrEqual(MAX_RATINGS_PER_PICK);
    const expected = new Float64Array(base.items.length);
    for (const p of picks) {
      const raters = base.byItem.cols.subarray(base.byItem.ptr[p], base.byItem.ptr[p + 1]);
      for (const u of raters) {
        for (let e = base.byUser.ptr[u] as number; e < (base.byUser.ptr[u + 1] as number); e++) {
          const i = base.byUser.cols[e] as number;
          expected[i] = (expected[i] as number) + 1 / raters.length;
        }
      }
    }
    for (let i = 0; i < expected.length; i++) {
      expect(got[i]).toBeCloseTo(expected[i] as number, 12);
    }
  });

  it("answers the same to the bit whether a pick's counts were kept or counted now", () => {
    const sets = [
      [heavy[0], heavy[1], light[0]],
      [light[1], heavy[1], heavy[2]],
      [heavy[2], heavy[2], heavy[0], -1, base.items.length],
      [heavy[3], light[2]],
      [light[3]],
    ] as number[][];
    const counted = sets.map((picks) => fresh(base, picks));
    forgetPickCounts();
    for (const [at, picks] of sets.entries()) {
      const before = keptPickCounts();
      const got = scores(base, picks);
      expect(firstBitDifference(got, counted[at] as Float64Array)).toBe(-1);
      // Again, every dense pick now kept.
      expect(firstBitDifference(scores(base, picks), got)).toBe(-1);
      const dense = new Set(picks.filter((p) => heavy.includes(p))).size;
      expect(keptPickCounts().hits).toBeGreaterThanOrEqual(before.hits + dense);
      expect(keptPickCounts().picks).toBeGreaterThanOrEqual(dense);
    }
    // `out` is zeroed and filled as a new array would be.
    const out = new Float64Array(base.items.length).fill(7);
    coWatchedScores(base, sets[0] as number[], MAX_RATERS_PER_PICK, MAX_RATINGS_PER_PICK, out);
    expect(firstBitDifference(out, counted[0] as Float64Array)).toBe(-1);
  });

  it("keeps counts per cap: other caps count afresh", () => {
    const picks = [heavy[0]] as number[];
    const full = scores(base, picks);
    const capped = coWatchedScores(base, picks, 5);
    expect(firstBitDifference(capped, full)).not.toBe(-1);
    forgetPickCounts();
    expect(firstBitDifference(coWatchedScores(base, picks, 5), capped)).toBe(-1);
    expect(firstBitDifference(scores(base, picks), full)).toBe(-1);
  });

  it("never serves one index's counts for another (members folded in at a refresh)", () => {
    const pick = heavy[0] as number;
    const before = scores(base, [pick, heavy[1] as number]);
    // Members who rated the pick and movies of their own: the pick's raters change.
    const ids = [base.items.ids[light[0] as number], base.items.ids[pick]] as number[];
    const likes = memberRatings(
      Array.from({ length: 30 }, (_, n) => ({ member: 1 + n, movieId: ids[n % 2] as number })),
    );
    const served = base.withMembers(memberRowsOf(base, likes));
    expect(served.members).not.toBeNull();
    const withMembers = scores(served, [pick, heavy[1] as number]);
    expect(firstBitDifference(withMembers, before)).not.toBe(-1);
    expect(firstBitDifference(withMembers, fresh(served, [pick, heavy[1] as number]))).toBe(-1);
    expect(firstBitDifference(scores(base, [pick, heavy[1] as number]), before)).toBe(-1);
  });

  it("keeps at most its bytes, least recently used dropped first, and answers alike after", () => {
    const entry = 2 * base.items.length;
    keepPickCountsWithin(3 * entry);
    const picks = heavy.slice(0, 8);
    const counted = picks.map((p) => fresh(base, [p]));
    forgetPickCounts();
    for (const [at, p] of picks.entries()) {
      expect(firstBitDifference(scores(base, [p]), counted[at] as Float64Array)).toBe(-1);
      expect(keptPickCounts().bytes).toBeLessThanOrEqual(3 * entry);
    }
    expect(keptPickCounts().picks).toBe(3);
    // The last three are kept; using the oldest of them keeps it over the next newcomer.
    const hits = () => keptPickCounts().hits;
    let before = hits();
    scores(base, [picks[5] as number]);
    expect(hits()).toBe(before + 1);
    scores(base, [picks[0] as number]); // counted again: evicts picks[6], the least recent
    before = hits();
    scores(base, [picks[5] as number]);
    scores(base, [picks[7] as number]);
    expect(hits()).toBe(before + 2);
    before = hits();
    expect(firstBitDifference(scores(base, [picks[6] as number]), counted[6] as Float64Array)).toBe(
      -1,
    );
    expect(hits()).toBe(before);
  });
});
