import { describe, expect, it } from "vitest";
import { RatingIndex } from "../../../core/recommend/rating-index.ts";
import { catalogOf } from "./fixture.ts";

describe("rating index", () => {
  // Deliberately out of order, as a shuffled or synthetic ratings file may be.
  const index = new RatingIndex(
    catalogOf([
      [7, 30, 1.0],
      [5, 20, 0.4],
      [7, 10, 0.8],
      [5, 30, 0.9],
      [9, 20, 1.0],
      [5, 10, 0.6],
    ]).ratings,
  );
  const row = (rows: { ptr: Int32Array; cols: Int32Array }, r: number) =>
    Array.from(rows.cols.subarray(rows.ptr[r], rows.ptr[r + 1]));

  it("maps ids to rows in ascending id order", () => {
    expect(Array.from(index.users.ids)).toEqual([5, 7, 9]);
    expect(Array.from(index.items.ids)).toEqual([10, 20, 30]);
    expect(index.items.rowOf(20)).toBe(1);
    expect(index.items.rowOf(99)).toBe(-1);
  });

  it("keeps every row's entries sorted, with their values", () => {
    expect(row(index.byUser, 0)).toEqual([0, 1, 2]);
    expect(Array.from(index.byUser.values.subarray(0, 3))).toEqual([
      Math.fround(0.6),
      Math.fround(0.4),
      Math.fround(0.9),
    ]);
    expect(row(index.byItem, 2)).toEqual([0, 1]);
  });

  it("keeps only ratings of at least 0.8 in the liked views", () => {
    expect(row(index.likedByUser, 0)).toEqual([2]);
    expect(row(index.likedByUser, 1)).toEqual([0, 2]);
    expect(row(index.likedByItem, 0)).toEqual([1]);
    expect(row(index.likedByItem, 1)).toEqual([2]);
  });
});
