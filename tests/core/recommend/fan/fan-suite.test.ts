import { beforeAll, describe, expect, it } from "vitest";
import { loadMovieLens } from "../../../../core/adapters/movielens/load-movielens.ts";
import type { Catalog } from "../../../../core/catalog/catalog.ts";
import type { FanCase } from "../../../../core/recommend/fan/fan-cases.ts";
import { FAN_CASES } from "../../../../core/recommend/fan/fan-cases.ts";
import { runFanSuite, TitleResolver } from "../../../../core/recommend/fan/fan-suite.ts";
import { mostLiked, popularityBias } from "../../../../core/recommend/list-metrics.ts";
import { LocalRecommender } from "../../../../core/recommend/local-recommender.ts";
import type { Recommender } from "../../../../core/recommend/recommender.ts";
import { MOVIELENS_DIR } from "../../../support/data.ts";
import { describeWith, realMovieLens } from "../../../support/requirements.ts";
import { catalogOf, movie } from "../fixture.ts";

const withYear = (id: number, title: string, year: number, genres: string[] = []) => ({
  ...movie(id, title, genres),
  year,
});

/** Answers the same list whatever the picks: enough to judge the judge. */
class FixedList implements Recommender {
  private readonly ids: number[];
  constructor(ids: number[]) {
    this.ids = ids;
  }
  async recommend(_liked: readonly number[], limit: number) {
    const items = this.ids.slice(0, limit).map((movieId) => ({ movieId, score: 1, because: [] }));
    return { strategy: "personalized" as const, items };
  }
  async popular(limit: number) {
    return this.recommend([], limit);
  }
}

describe("the fan suite's judge", () => {
  const movies = [
    withYear(1, "Toy Story", 1995, ["Animation"]),
    withYear(2, "Toy Story 2", 1999, ["Animation"]),
    withYear(3, "Heat", 1995, ["Crime"]),
    withYear(4, "Halloween", 1978, ["Horror"]),
    withYear(5, "Halloween", 2007, ["Horror"]),
  ];
  const catalog = catalogOf(
    movies.map((m) => [1, m.movieId, 1] as const),
    "fan",
    movies,
  );
  const cases: FanCase[] = [
    {
      name: "sequel",
      group: "series",
      picks: ["toy story (1995)"],
      expect: { kind: "titles", titles: ["Toy Story 2 (1999)"], atLeast: 1, within: 1 },
    },
    {
      name: "horror",
      group: "genre",
      picks: ["Halloween (1978)"],
      expect: { kind: "genre", genre: "Horror", atLeast: 1, within: 2 },
    },
    {
      name: "absent pick",
      group: "series",
      picks: ["Toy Story (1995)", "Alien (1979)"],
      expect: { kind: "titles", titles: ["Toy Story 2 (1999)"], atLeast: 1, within: 5 },
    },
  ];

  it("resolves titles by year, ignoring case and punctuation", () => {
    const resolver = new TitleResolver(catalog);
    expect(resolver.resolve("HALLOWEEN (2007)")?.movieId).toBe(5);
    expect(resolver.resolve("Halloween (1978)")?.movieId).toBe(4);
    expect(resolver.resolve("Alien (1979)")).toBeUndefined();
  });

  it("passes a list that meets the expectation, fails one that does not, skips absent picks", async () => {
    const good = await runFanSuite(catalog, new FixedList([2, 5, 3]), cases);
    expect(good.results.map((r) => r.outcome.status)).toEqual(["pass", "pass", "skipped"]);
    expect(good).toMatchObject({ passed: 2, ran: 2, share: 1 });
    const bad = await runFanSuite(catalog, new FixedList([3, 1, 2]), cases);
    expect(bad.results.map((r) => r.outcome.status)).toEqual(["fail", "fail", "skipped"]);
    expect(bad.share).toBe(0);
  });

  it("holds at least 40 cases of each kind a fan expects", () => {
    expect(FAN_CASES.length).toBeGreaterThanOrEqual(40);
    for (const group of ["series", "makers", "genre"])
      expect(FAN_CASES.filter((c) => c.group === group).length).toBeGreaterThanOrEqual(10);
  });
});

// The real-data run needs MovieLens, which is never committed (its licence forbids it): without
// MOVIELENS_DIR it is skipped, the reason in its name.
describeWith(realMovieLens)("the fan suite on MovieLens (MOVIELENS_DIR)", () => {
  let catalog: Catalog;
  beforeAll(async () => {
    catalog = await loadMovieLens(MOVIELENS_DIR);
  });

  it("runs at least 40 cases: the popular list fails them, the default strategy passes", async () => {
    const recommender = await LocalRecommender.create(catalog, {
      strategy: "default",
      k: 30,
      factors: 8,
      alpha: 40,
      lambda: 0.1,
      iterations: 1,
      cacheDir: null,
    });
    const popular: Recommender = {
      recommend: (_liked, limit) => recommender.popular(limit + 3),
      popular: (limit) => recommender.popular(limit),
    };
    const cold = await runFanSuite(catalog, popular);
    expect(cold.ran).toBeGreaterThanOrEqual(40);
    expect(cold.share).toBeLessThan(0.1);
    expect(popularityBias(cold.lists, mostLiked(catalog.ratings))).toBeGreaterThan(0.9);
    // The default strategy meets issue 10's targets: 85 % of the cases, at most 35 % of the slots
    // on the 50 most-liked movies.
    const fan = await runFanSuite(catalog, recommender);
    expect(fan.ran).toBe(cold.ran);
    expect(fan.share).toBeGreaterThanOrEqual(0.85);
    expect(popularityBias(fan.lists, mostLiked(catalog.ratings))).toBeLessThanOrEqual(0.35);
  }, 60_000);
});
