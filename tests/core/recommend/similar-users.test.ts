import { describe, expect, it } from "vitest";
import { RatingIndex } from "../../../core/recommend/rating-index.ts";
import { similarUsers } from "../../../core/recommend/similar-users.ts";
import { catalogOf, SIMILAR_USERS_FIXTURE } from "./fixture.ts";

const catalog = catalogOf(SIMILAR_USERS_FIXTURE);
const index = new RatingIndex(catalog.ratings);
const rows = (ids: number[]) => ids.map((id) => index.items.rowOf(id));
const ranked = (liked: number[], k: number) =>
  similarUsers(index, rows(liked), k).map((u) => [u.userId, u.shared]);

describe("similar users", () => {
  it("ranks by liked movies shared, ties to the lower userId", () => {
    expect(ranked([1, 2, 3], 10)).toEqual([
      [10, 3],
      [11, 2],
      [12, 2],
      [9, 1],
      [13, 1],
    ]);
  });

  it("cuts at k inside a tie deterministically", () => {
    expect(ranked([1, 2, 3], 2)).toEqual([
      [10, 3],
      [11, 2],
    ]);
    expect(ranked([1, 2, 3], 4).map(([id]) => id)).toEqual([10, 11, 12, 9]);
  });

  it("counts only ratings of at least 0.8 and each liked movie once", () => {
    expect(ranked([3, 3], 10)).toEqual([
      [9, 1],
      [10, 1],
      [12, 1],
    ]);
    expect(ranked([6], 10)).toEqual([[14, 1]]);
  });

  it("finds nobody for movies nobody liked", () => {
    expect(similarUsers(index, [-1], 5)).toEqual([]);
    expect(ranked([1, 2], 0)).toEqual([]);
  });
});
