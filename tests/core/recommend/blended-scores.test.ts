import { beforeAll, describe, expect, it } from "vitest";
import { loadMovieLens } from "../../../core/adapters/movielens/load-movielens.ts";
import type { Catalog } from "../../../core/catalog/catalog.ts";
import {
  type BlendData,
  type BlendOptions,
  DEFAULT_BLEND_OPTIONS,
  scoreBlended,
} from "../../../core/recommend/blended-scores.ts";
import { topBlended } from "../../../core/recommend/blended-top.ts";
import { itemModelFrom } from "../../../core/recommend/item-model.ts";
import {
  DEFAULT_NEIGHBOUR_OPTIONS,
  scoreDefault,
} from "../../../core/recommend/liked-neighbours.ts";
import { LocalRecommender } from "../../../core/recommend/local-recommender.ts";
import { RatingIndex } from "../../../core/recommend/rating-index.ts";
import { topN } from "../../../core/recommend/top-n.ts";
import { mulberry32 } from "../../../core/recommend/wals-trainer.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";
import { catalogOf, movie } from "./fixture.ts";
import { firstBitDifference, plainScoreBlended, plainScoreDefault } from "./plain-scores.ts";

const GENRES = ["Action", "Comedy", "Drama", "Documentary", "Western", "Animation"];

/**
 * 80 users, 40 movies with random ratings and genres; movies 1–4 and 11–13 form two series by
 * title, so the series bonus, the genre factor and both neighbour parts all take part.
 */
function smallCatalog(seed: number): Catalog {
  const random = mulberry32(seed);
  const triples: [number, number, number][] = [];
  for (let u = 1; u <= 80; u++) {
    for (let m = 1; m <= 40; m++) {
      if (random() < 0.3) triples.push([u, m, Math.ceil(random() * 10) / 10]);
    }
  }
  const titleOf = (id: number) =>
    id <= 4 ? `Saga ${id}` : id >= 11 && id <= 13 ? `Quest ${id - 10}` : `Film ${id}`;
  const movies = Array.from({ length: 40 }, (_, i) =>
    movie(
      i + 1,
      i === 0 ? "Saga" : titleOf(i + 1),
      GENRES.filter(() => random() < 0.35),
    ),
  );
  return catalogOf(triples, `blend-${seed}`, movies);
}

/** Liked sets of 1–6 movies drawn from users' likes (as item rows), plus awkward ones. */
function pickSets(index: RatingIndex, count: number, seed: number): number[][] {
  const random = mulberry32(seed);
  const { ptr, cols } = index.likedByUser;
  const sets: number[][] = [[-1], [-1, 0, 0], [0, 1, 2, 3]];
  while (sets.length < count) {
    const u = Math.floor(random() * index.users.length);
    const liked = (ptr[u + 1] as number) - (ptr[u] as number);
    if (liked === 0) continue;
    const size = 1 + Math.floor(random() * 6);
    sets.push(
      Array.from(
        { length: size },
        () => cols[(ptr[u] as number) + Math.floor(random() * liked)] as number,
      ),
    );
  }
  return sets;
}

const VARIANTS: [string, BlendOptions][] = [
  ["the default options", DEFAULT_BLEND_OPTIONS],
  ["items only", { ...DEFAULT_BLEND_OPTIONS, itemWeight: 1 }],
  [
    "no co-watched part",
    {
      ...DEFAULT_BLEND_OPTIONS,
      neighbours: { ...DEFAULT_NEIGHBOUR_OPTIONS, coWatched: 0 },
    },
  ],
  ["no genre factor, no series", { ...DEFAULT_BLEND_OPTIONS, genreWeight: 0, seriesBoost: 0 }],
  [
    "every genre pulls (a = 0), three series slots",
    {
      ...DEFAULT_BLEND_OPTIONS,
      genreAgree: 0,
      seriesSlots: 3,
    },
  ],
  ["a genre factor past the largest double", { ...DEFAULT_BLEND_OPTIONS, genreWeight: 1e4 }],
  ["the series bonus from the first rater", { ...DEFAULT_BLEND_OPTIONS, seriesMinRaters: 0 }],
];

/** Every set's fused scores against the plain ones, to the bit; returns the sets compared. */
function expectSameScores(data: BlendData, sets: number[][], options: BlendOptions): void {
  for (const picks of sets) {
    const plain = plainScoreBlended(data, picks, options);
    const fused = scoreBlended(data, picks, options, new Float64Array(data.index.items.length));
    expect({ picks, row: firstBitDifference(fused, plain) }).toEqual({ picks, row: -1 });
  }
}

describe("scoreBlended", () => {
  for (const seed of [1, 2, 3]) {
    const catalog = smallCatalog(seed);
    const data = itemModelFrom(catalog, new RatingIndex(catalog.ratings));
    const sets = pickSets(data.index, 60, seed);

    it(`gives the plain steps' scores to the bit (random catalogue ${seed})`, () => {
      expect(data.series.some((s) => s >= 0)).toBe(true);
      for (const [, options] of VARIANTS) expectSameScores(data, sets, options);
    });
  }

  it("topBlended keeps what topN keeps of scoreBlended's scores: same rows, order and scores", () => {
    for (const seed of [5, 6]) {
      const catalog = smallCatalog(seed);
      const data = itemModelFrom(catalog, new RatingIndex(catalog.ratings));
      const random = mulberry32(seed);
      for (const picks of pickSets(data.index, 60, seed)) {
        // Some rows skipped as unknown movies would be, series members among them at times.
        const skipped = new Set(picks.filter((r) => r >= 0));
        for (let r = 0; r < data.index.items.length; r++) if (random() < 0.15) skipped.add(r);
        const skip = (row: number) => skipped.has(row);
        for (const [name, options] of VARIANTS) {
          for (const n of [0, 1, 3, 10, 40]) {
            const scores = scoreBlended(data, picks, options);
            const rows = scores ? topN(scores, n, (r) => scores[r] === 0 || skip(r)) : null;
            const expected = scores && rows ? { rows, scores: rows.map((r) => scores[r]) } : null;
            const top = topBlended(data, picks, options, n, skip);
            expect({ name, picks, n, top }).toEqual({ name, picks, n, top: expected });
          }
        }
      }
    }
  });

  it("scoreDefault gives the plain steps' scores to the bit", () => {
    const catalog = smallCatalog(4);
    const index = new RatingIndex(catalog.ratings);
    for (const picks of pickSets(index, 60, 4)) {
      const plain = plainScoreDefault(index, picks, DEFAULT_NEIGHBOUR_OPTIONS);
      const fused = scoreDefault(index, picks, DEFAULT_NEIGHBOUR_OPTIONS);
      expect({ picks, row: firstBitDifference(fused, plain) }).toEqual({ picks, row: -1 });
    }
  });
});

/** On the test data (ml-latest-small with MOVIELENS_DIR, else the synthetic fixture). */
describe("the default strategy on MovieLens", () => {
  let catalog: Catalog;
  let recommender: LocalRecommender;
  let data: BlendData;
  beforeAll(async () => {
    catalog = await loadMovieLens(MOVIELENS_DIR);
    recommender = await LocalRecommender.create(catalog, {
      strategy: "default",
      k: 30,
      factors: 2,
      alpha: 1,
      lambda: 0.1,
      iterations: 1,
      cacheDir: null,
    });
    data = recommender.state.items as BlendData;
  });

  it("gives the plain steps' scores to the bit", () => {
    expectSameScores(data, pickSets(data.index, 300, 42), DEFAULT_BLEND_OPTIONS);
  });

  it("ranks as a full sort of the plain scores would: same movies, order and scores", async () => {
    const ids = data.index.items.ids;
    for (const picks of pickSets(data.index, 200, 7)) {
      const liked = picks.filter((r) => r >= 0).map((r) => ids[r] as number);
      if (liked.length === 0) continue;
      const result = await recommender.recommend(liked, 10);
      const scores = plainScoreBlended(data, picks, DEFAULT_BLEND_OPTIONS);
      if (scores === null) {
        expect(result.strategy).toBe("popular");
        continue;
      }
      const expected = [...scores.keys()]
        .filter((r) => scores[r] !== 0 && !liked.includes(ids[r] as number))
        .filter((r) => catalog.has(ids[r] as number))
        .sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b)
        .slice(0, 10)
        .map((r) => ({ movieId: ids[r] as number, score: scores[r] as number }));
      const served = result.items
        .filter((i) => i.score !== 0)
        .map((i) => ({ movieId: i.movieId, score: i.score }));
      expect({ liked, served }).toEqual({ liked, served: expected });
    }
  });
});
