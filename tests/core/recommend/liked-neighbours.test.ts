import { describe, expect, it } from "vitest";
import { coWatchedScores } from "../../../core/recommend/co-watched.ts";
import {
  DEFAULT_NEIGHBOUR_OPTIONS,
  likedReasons,
  scoreByLikedNeighbours,
  scoreDefault,
} from "../../../core/recommend/liked-neighbours.ts";
import { RatingIndex } from "../../../core/recommend/rating-index.ts";
import { catalogOf, SIMILAR_USERS_FIXTURE } from "./fixture.ts";

const index = new RatingIndex(catalogOf(SIMILAR_USERS_FIXTURE).ratings);
const rows = (ids: number[], at = index) => ids.map((id) => at.items.rowOf(id));
const ids = (itemRows: number[]) => itemRows.map((r) => index.items.ids[r]);
const userIds = (users: number[] | undefined, at = index) =>
  (users ?? []).map((u) => at.users.ids[u]);
const scoreOf = (scores: Float64Array | null | undefined, id: number, at = index) =>
  scores?.[at.items.rowOf(id)] as number;

// Hand-computed for picks [1, 2, 3] (see the fixture). Each pick has 3 likers, so the rarity
// weight is the same for all and cancels out of the shares. shared = liked picks + 0.25 per pick
// rated without liking it; weight = shared² / liked^0.25.
const W10 = 3 ** 2 / 4 ** 0.25; // liked all 3 picks, likes 4 movies
const W11 = 2.25 ** 2 / 4 ** 0.25; // liked 2, rated pick 3 at 0.6; likes 4
const W12 = 2 ** 2 / 3 ** 0.25; // liked 2, likes 3
const W9 = 1; // liked 1, likes 1
const W13 = 1;
const W14 = 0.75 ** 2; // rated all 3 picks without liking one; likes only movie 6
const TOTAL = W10 + W11 + W12 + W9 + W13 + W14;

describe("scoreByLikedNeighbours", () => {
  it("weighs neighbours by shared picks squared, damped by how much they like", () => {
    const result = scoreByLikedNeighbours(index, rows([1, 2, 3]));
    expect(userIds(result?.users)).toEqual([10, 11, 12, 9, 13, 14]);
    expect(scoreOf(result?.scores, 4)).toBeCloseTo((W10 + W11) / TOTAL, 10);
    expect(scoreOf(result?.scores, 5)).toBeCloseTo((W11 + W12) / TOTAL, 10);
    // Movie 6 is liked only by user 14, who merely watched the picks: a weak vote.
    expect(scoreOf(result?.scores, 6)).toBeCloseTo(W14 / TOTAL, 10);
  });

  it("keeps only the best k neighbours: the lighter liker wins a tie in shared picks", () => {
    const likesOnly = { ...DEFAULT_NEIGHBOUR_OPTIONS, ratedShare: 0, rarityPower: 0 };
    const result = scoreByLikedNeighbours(index, rows([1, 2, 3]), { ...likesOnly, neighbours: 2 });
    const w11 = 4 / 4 ** 0.25; // without the credit for its 0.6, user 11 ties user 12 on 2 picks
    const w12 = W12;
    expect(w12).toBeGreaterThan(w11);
    expect(userIds(result?.users)).toEqual([10, 12]);
    expect(scoreOf(result?.scores, 4)).toBeCloseTo(W10 / (W10 + w12), 10);
    expect(scoreOf(result?.scores, 5)).toBeCloseTo(w12 / (W10 + w12), 10);
  });

  it("counts a like of a rare pick above a like of a popular one", () => {
    // Users 1–3 like the popular movie 10 (user 1 also 30); only user 4 likes the rare 20 (and 40).
    const rare = new RatingIndex(
      catalogOf([
        [1, 10, 1],
        [1, 30, 1],
        [2, 10, 1],
        [3, 10, 1],
        [4, 20, 1],
        [4, 40, 1],
      ]).ratings,
    );
    const best = (rarityPower: number) =>
      userIds(
        scoreByLikedNeighbours(rare, rows([10, 20], rare), {
          ...DEFAULT_NEIGHBOUR_OPTIONS,
          rarityPower,
          neighbours: 1,
        })?.users,
        rare,
      );
    expect(best(DEFAULT_NEIGHBOUR_OPTIONS.rarityPower)).toEqual([4]);
    expect(best(0)).toEqual([2]);
  });

  it("skips unknown rows, and returns null when nobody rated any pick", () => {
    const only6 = scoreByLikedNeighbours(index, [...rows([6]), -1, 999]);
    // User 14 liked movie 6; user 13 rated it 0.2.
    expect(userIds(only6?.users)).toEqual([14, 13]);
    const lonely = new RatingIndex(catalogOf([[1, 1, 1.0]]).ratings);
    expect(scoreByLikedNeighbours(lonely, [-1])).toBeNull();
  });
});

describe("coWatchedScores", () => {
  it("sums, over the picks, the share of the pick's raters who also rated the movie", () => {
    const co = coWatchedScores(index, rows([1, 2, 3]));
    // Raters: pick 1 {10, 11, 13, 14}, pick 2 {10, 11, 12, 14}, pick 3 {9, 10, 11, 12, 14}.
    expect(scoreOf(co, 4)).toBeCloseTo(2 / 4 + 2 / 4 + 3 / 5, 10); // rated by 9, 10, 11
    expect(scoreOf(co, 5)).toBeCloseTo(1 / 4 + 2 / 4 + 2 / 5, 10); // 11, 12
    expect(scoreOf(co, 6)).toBeCloseTo(2 / 4 + 1 / 4 + 1 / 5, 10); // 13, 14
  });

  it("samples evenly strided raters beyond the cap", () => {
    // Pick 3's raters in row order 9, 10, 11, 12, 14; two samples take 9 and 11.
    const co = coWatchedScores(index, rows([3]), 2);
    expect(scoreOf(co, 4)).toBeCloseTo(1, 10);
    expect(scoreOf(co, 5)).toBeCloseTo(1 / 2, 10);
    expect(scoreOf(co, 6)).toBe(0);
  });

  it("samples fewer raters when theirs would exceed the ratings budget", () => {
    // Pick 3's five raters hold 18 ratings: a budget of 8 keeps floor(5 · 8 / 18) = 2 raters, 9 and 11.
    const capped = coWatchedScores(index, rows([3]), 2000, 8);
    expect(capped).toEqual(coWatchedScores(index, rows([3]), 2));
    // Within the budget, every rater counts.
    expect(coWatchedScores(index, rows([3]), 2000, 18)).toEqual(coWatchedScores(index, rows([3])));
  });

  it("applies the ratings budget whatever the stride (17 raters sampled 7 at a time)", () => {
    // 17 raters at a stride of 17/7 make ceil(17 / stride) = 8 samples, the last one at offset
    // floor(7 · stride) = 17: one past the pick's raters, which must not void the budget.
    const triples: [number, number, number][] = [];
    // Each rater also watched movies of their own, so which raters are sampled shows.
    for (let u = 1; u <= 17; u++) {
      triples.push([u, 1, 0.8]);
      for (let m = 0; m < 4; m++) triples.push([u, 100 + 10 * u + m, 0.8]);
    }
    const many = new RatingIndex(catalogOf(triples).ratings);
    const pick = [many.items.rowOf(1)];
    expect(coWatchedScores(many, pick, 7, 1)).toEqual(coWatchedScores(many, pick, 1));
    expect(coWatchedScores(many, pick, 7, 1)).not.toEqual(coWatchedScores(many, pick, 7));
  });
});

describe("scoreDefault", () => {
  it("adds a fifth of the co-watched score, each scaled to its best movie outside the picks", () => {
    const scores = scoreDefault(index, rows([1, 2, 3]));
    const nb = (id: number) => ({ 4: W10 + W11, 5: W11 + W12, 6: W14 })[id] as number;
    const co = (id: number) => ({ 4: 1.6, 5: 1.15, 6: 0.95 })[id] as number;
    for (const id of [4, 5, 6]) {
      expect(scoreOf(scores, id)).toBeCloseTo(nb(id) / nb(4) + (0.2 * co(id)) / co(4), 10);
    }
  });

  it("is null when nothing outside the picks has any support", () => {
    const alone = new RatingIndex(catalogOf([[1, 1, 1.0]]).ratings);
    expect(scoreDefault(alone, [alone.items.rowOf(1)])).toBeNull();
  });
});

describe("likedReasons", () => {
  it("names the picks whose likers overlap most with the movie's, ties to the lower row", () => {
    // Movie 4's likers {10, 11}: cosine 2/√6 with picks 1 and 2, 1/√6 with pick 3.
    expect(ids(likedReasons(index, index.items.rowOf(4), rows([3, 2, 1]), 2))).toEqual([1, 2]);
    // Movie 5's likers {11, 12}: pick 2 shares both.
    expect(ids(likedReasons(index, index.items.rowOf(5), rows([1, 2, 3]), 1))).toEqual([2]);
    // No liker in common, no reason.
    expect(likedReasons(index, index.items.rowOf(6), rows([1, 2, 3]), 2)).toEqual([]);
  });
});
