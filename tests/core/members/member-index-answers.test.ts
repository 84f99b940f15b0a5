import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distinctLikedSets } from "../../../bench/workload.ts";
import { loadMovieLens } from "../../../core/adapters/movielens/load-movielens.ts";
import { ThreadedRecommender } from "../../../core/adapters/threads/threaded-recommender.ts";
import type { Catalog } from "../../../core/catalog/catalog.ts";
import {
  memberRowsOf,
  popularOfIndex,
  withMemberRatings,
} from "../../../core/members/member-index.ts";
import { type MemberRating, memberRatings } from "../../../core/members/member-ratings.ts";
import {
  LocalRecommender,
  type RecommenderState,
  type RecommenderStrategy,
} from "../../../core/recommend/local-recommender.ts";
import type { MatrixFactorizationModel } from "../../../core/recommend/mf-model.ts";
import { RatingIndex } from "../../../core/recommend/rating-index.ts";
import type { Recommendation } from "../../../core/recommend/recommender.ts";
import { trainWals } from "../../../core/recommend/wals-trainer.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";

/**
 * Members' likes served beside the base index (RatingIndex.members) must answer exactly what the
 * index a full build folds them into answers: ids, scores, reasons, shares, to the bit.
 */
let catalog: Catalog;
let base: RecommenderState;
let picks: number[][];
const known = new Set<number>();

/** A deterministic stream of numbers in [0, 1) (a linear congruential generator). */
function stream(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

beforeAll(async () => {
  catalog = await loadMovieLens(MOVIELENS_DIR);
  base = await LocalRecommender.stateOf(catalog, "default", null);
  for (const m of catalog.movies) known.add(m.movieId);
  picks = distinctLikedSets(catalog, 120, 7);
});

/** Member sets: a few members; many on one pair; a crowd; likes of rare and never-liked films. */
function memberSets(): { name: string; rows: MemberRating[] }[] {
  const index = base.index;
  const ids = index.items.ids;
  const rareRow = [...ids.keys()].find((r) => index.raterCount(r) === 1) as number;
  const unlikedRow = [...ids.keys()].find(
    (r) => index.raterCount(r) >= 3 && index.likerCount(r) === 0,
  ) as number;
  const rare = ids[rareRow] as number;
  const unliked = ids[unlikedRow] as number;
  const random = stream(17);
  const crowd = Array.from({ length: 300 }, (_, n) =>
    Array.from({ length: 1 + Math.floor(random() * 5) }, () => ({
      member: 1 + n,
      movieId: ids[Math.floor(random() ** 3 * ids.length)] as number,
    })),
  ).flat();
  return [
    {
      name: "three members",
      rows: memberRatings([
        { member: 9, movieId: 1 },
        { member: 2, movieId: 1 },
        { member: 2, movieId: 260 },
        { member: 5, movieId: 260 },
        { member: 5, movieId: 2571 },
      ]),
    },
    {
      name: "thirty members liking the same pair",
      rows: memberRatings(
        Array.from({ length: 30 }, (_, n) => [
          { member: 100 + n, movieId: ids[0] as number },
          { member: 100 + n, movieId: ids[500] as number },
        ]).flat(),
      ),
    },
    {
      name: "a crowd of 300, and likes of a film one person rated and one nobody liked",
      rows: memberRatings([
        ...crowd,
        { member: 7_000, movieId: rare },
        { member: 7_000, movieId: ids[0] as number },
        { member: 7_001, movieId: unliked },
        { member: 7_001, movieId: rare },
      ]),
    },
  ];
}

/** The recommender over the base with members beside it, and over the full build's index. */
function pair(
  rows: MemberRating[],
  strategy: RecommenderStrategy,
  model: MatrixFactorizationModel | null,
) {
  const members = memberRowsOf(base.index, rows);
  expect(members).not.toBeNull();
  const beside = base.index.withMembers(members);
  const full = new RatingIndex(withMemberRatings(catalog.ratings, rows));
  const options = { strategy, k: 20, neighbours: 50 };
  const stateOf = (index: RatingIndex): RecommenderState => ({
    index,
    popular: popularOfIndex(index),
    items: base.items && strategy === "default" ? { ...base.items, index } : null,
    known: (id) => known.has(id),
  });
  return {
    beside: LocalRecommender.fromState(stateOf(beside), options, model),
    full: LocalRecommender.fromState(stateOf(full), options, model),
  };
}

/** The liked sets: people's picks, picks with the members' films, none, an unknown movie. */
function likedSets(rows: MemberRating[]): number[][] {
  const theirs = [...new Set(rows.map((r) => r.movieId))];
  const random = stream(rows.length);
  const withTheirs = picks
    .slice(0, 60)
    .map((set, n) => [
      ...set.slice(0, 3),
      theirs[Math.floor(random() * theirs.length)] as number,
      ...(n % 3 === 0 ? [theirs[Math.floor(random() * theirs.length)] as number] : []),
    ]);
  return [...picks, ...withTheirs, theirs.slice(0, 5), [], [999_999_999]];
}

async function answers(
  recommender: { recommend(liked: number[], limit: number): Promise<Recommendation> },
  sets: number[][],
) {
  return Promise.all(sets.map((liked) => recommender.recommend(liked, 10)));
}

describe("members' likes beside the base index", () => {
  for (const strategy of ["default", "neighbours"] as const) {
    it(`answers as the full fold does: ${strategy} strategy, several member sets`, async () => {
      for (const { name, rows } of memberSets()) {
        const { beside, full } = pair(rows, strategy, null);
        const sets = likedSets(rows);
        const got = await answers(beside, sets);
        expect(got, name).toEqual(await answers(full, sets));
        expect(await beside.popular(20), name).toEqual(await full.popular(20));
        // The members matter: some answers differ from the base's alone.
        const alone = LocalRecommender.fromState(
          { ...base, items: strategy === "default" ? base.items : null },
          { strategy, k: 20, neighbours: 50 },
        );
        expect(await answers(alone, sets), name).not.toEqual(got);
      }
    });
  }

  it("answers as the full fold does: reference strategy, with the model trained on the folded ratings", async () => {
    for (const { name, rows } of memberSets()) {
      const folded = new RatingIndex(withMemberRatings(catalog.ratings, rows));
      const model = await trainWals(folded, {
        factors: 8,
        alpha: 40,
        lambda: 0.1,
        iterations: 2,
        seed: 1,
      });
      const { beside, full } = pair(rows, "reference", model);
      const sets = likedSets(rows);
      expect(await answers(beside, sets), name).toEqual(await answers(full, sets));
    }
  });

  describe("on recommendation threads", () => {
    let threaded: ThreadedRecommender;
    const options = { strategy: "default" as const, k: 20, neighbours: 50 };
    beforeAll(() => {
      threaded = new ThreadedRecommender(
        base,
        Int32Array.from(catalog.movies, (m) => m.movieId),
        options,
        2,
      );
    });
    afterAll(() => threaded.close());

    it("answers as the full fold does once the members are posted, and as the base once they are gone", async () => {
      const sets = picks.slice(0, 40);
      for (const { name, rows } of memberSets()) {
        const { full } = pair(rows, "default", null);
        threaded.setMembers(rows);
        expect(await answers(threaded, sets), name).toEqual(await answers(full, sets));
        expect(await threaded.popular(10), name).toEqual(await full.popular(10));
      }
      threaded.setMembers([]);
      const alone = LocalRecommender.fromState(base, options);
      expect(await answers(threaded, sets)).toEqual(await answers(alone, sets));
    });
  });
});
