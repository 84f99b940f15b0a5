import { describe, expect, it } from "vitest";
import {
  PACKED_FIELDS,
  packRecommendation,
  unpackRecommendation,
} from "../../../core/recommend/packed-recommendation.ts";
import type { Recommendation } from "../../../core/recommend/recommender.ts";

describe("packed recommendations", () => {
  it("give back every field exactly, and no field a movie did not have", () => {
    const recommendation: Recommendation = {
      strategy: "personalized",
      items: [
        {
          movieId: 1196,
          score: 9.870590722003229,
          because: [260, 1],
          series: 260,
          lovedShare: 0.7234,
          likedShare: 1 / 3,
        },
        { movieId: 4306, score: 2.955103920914307, because: [1], likedShare: 0.41 },
        { movieId: 999_999_999, score: 0, because: [] },
        { movieId: 7, score: -1e-300, because: [1, 2, 3, 4, 5], lovedShare: 0 },
      ],
    };
    const back = unpackRecommendation(packRecommendation(recommendation));
    expect(back).toStrictEqual(recommendation);
    expect(Object.keys(back.items[2] ?? {})).toEqual(["movieId", "score", "because"]);
  });

  it("keep the strategy and an empty list", () => {
    for (const strategy of ["popular", "personalized"] as const) {
      expect(unpackRecommendation(packRecommendation({ strategy, items: [] }))).toStrictEqual({
        strategy,
        items: [],
      });
    }
  });

  it("unpack to new objects each time, so one caller's change is not another's", () => {
    const packed = packRecommendation({
      strategy: "popular",
      items: [{ movieId: 1, score: 1, because: [] }],
    });
    const first = unpackRecommendation(packed);
    (first.items[0] as { score: number }).score = 99;
    first.items[0]?.because.push(5);
    expect(unpackRecommendation(packed).items[0]).toStrictEqual({
      movieId: 1,
      score: 1,
      because: [],
    });
  });

  it("name every field of a scored movie", () => {
    expect(PACKED_FIELDS.sort()).toEqual(
      ["because", "likedShare", "lovedShare", "movieId", "score", "series"].sort(),
    );
  });
});
