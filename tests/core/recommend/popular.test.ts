import { describe, expect, it } from "vitest";
import { popularMovies } from "../../../core/recommend/popular.ts";
import { catalogOf } from "./fixture.ts";

/** n ratings of movie `movieId` by users from `firstUser` up, cycling through `values`. */
function ratingsOf(movieId: number, n: number, values: number[], firstUser = 1) {
  return Array.from(
    { length: n },
    (_, i) => [firstUser + i, movieId, values[i % values.length] as number] as const,
  );
}

describe("popular movies", () => {
  const catalog = catalogOf([
    // A well-known favourite: 200 ratings, mostly 4–5 stars (mean 0.88).
    ...ratingsOf(1, 200, [1.0, 0.8, 0.9, 1.0, 0.6]),
    // An obscure film with exactly 10 perfect ratings.
    ...ratingsOf(2, 10, [1.0]),
    // Well rated, but only 9 ratings: below the minimum.
    ...ratingsOf(3, 9, [1.0]),
    // Many ratings, mean below 0.8.
    ...ratingsOf(4, 300, [0.6, 0.8, 0.7]),
    // Exactly at the threshold: mean 0.8 over 12 ratings.
    ...ratingsOf(5, 12, [0.8]),
  ]);
  const list = popularMovies(catalog.ratings);

  it("keeps movies with mean rating_im >= 0.8 and at least 10 ratings", () => {
    expect(list.map((m) => m.movieId).sort()).toEqual([1, 2, 5]);
  });

  it("puts the well-known favourite ahead of a 10-rating obscure film", () => {
    expect(list[0]?.movieId).toBe(1);
    expect(list[0]?.ratingCount).toBe(200);
    expect(list.map((m) => m.score)).toEqual([...list.map((m) => m.score)].sort((a, b) => b - a));
  });

  it("damps the mean toward the global mean by the evidence behind it", () => {
    const obscure = list.find((m) => m.movieId === 2);
    expect(obscure?.meanRating).toBeCloseTo(1);
    expect(obscure?.score).toBeLessThan(0.9);
    expect(obscure?.score).toBeGreaterThan(list.find((m) => m.movieId === 5)?.score ?? 1);
  });
});
