import { describe, expect, it } from "vitest";
import {
  DEFAULT_NEIGHBOUR_OPTIONS,
  likedReasons,
  scoreByLikedNeighbours,
} from "../../core/recommend/liked-neighbours.ts";
import { RatingIndex } from "../../core/recommend/rating-index.ts";
import { catalogOf, SIMILAR_USERS_FIXTURE } from "./fixture.ts";

const index = new RatingIndex(catalogOf(SIMILAR_USERS_FIXTURE).ratings);
const rows = (ids: number[]) => ids.map((id) => index.items.rowOf(id));
const ids = (itemRows: number[]) => itemRows.map((r) => index.items.ids[r]);
const scoreOf = (scores: Float64Array, id: number) => scores[index.items.rowOf(id)] as number;

// Hand-computed for picks [1, 2, 3] (see the fixture): weight = shared² / liked^0.25.
const W10 = 9 / 4 ** 0.25; // shares 3 picks, likes 4 movies
const W11 = 4 / 4 ** 0.25; // shares 2, likes 4 (its 0.6 on movie 3 is not a like)
const W12 = 4 / 3 ** 0.25; // shares 2, likes 3
const W9 = 1; // shares 1, likes 1
const W13 = 1; // shares 1, likes 1

describe("scoreByLikedNeighbours (the default strategy)", () => {
  it("weighs neighbours by shared picks squared, damped by how much they like", () => {
    const result = scoreByLikedNeighbours(index, rows([1, 2, 3]));
    expect(result).not.toBeNull();
    // User 14 rated every pick but liked none: not a neighbour.
    expect(result?.users.map((u) => index.users.ids[u])).toEqual([10, 12, 11, 9, 13]);
    const total = W10 + W11 + W12 + W9 + W13;
    const scores = result?.scores ?? new Float64Array();
    expect(scoreOf(scores, 4)).toBeCloseTo((W10 + W11) / total, 10);
    expect(scoreOf(scores, 5)).toBeCloseTo((W11 + W12) / total, 10);
    // Movie 6 is liked only by user 14.
    expect(scoreOf(scores, 6)).toBe(0);
  });

  it("keeps only the best k neighbours: the lighter liker wins a tie in shared picks", () => {
    const result = scoreByLikedNeighbours(index, rows([1, 2, 3]), {
      ...DEFAULT_NEIGHBOUR_OPTIONS,
      neighbours: 2,
    });
    expect(result?.users.map((u) => index.users.ids[u])).toEqual([10, 12]);
    const scores = result?.scores ?? new Float64Array();
    expect(scoreOf(scores, 4)).toBeCloseTo(W10 / (W10 + W12), 10);
    expect(scoreOf(scores, 5)).toBeCloseTo(W12 / (W10 + W12), 10);
  });

  it("skips unknown rows, and returns null when nobody liked any pick", () => {
    const only6 = scoreByLikedNeighbours(index, [...rows([6]), -1, 999]);
    expect(only6?.users.map((u) => index.users.ids[u])).toEqual([14]);
    const unliked = catalogOf([
      [1, 1, 0.4],
      [2, 2, 1.0],
    ]);
    const unlikedIndex = new RatingIndex(unliked.ratings);
    expect(scoreByLikedNeighbours(unlikedIndex, [unlikedIndex.items.rowOf(1)])).toBeNull();
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
