import { beforeAll, describe, expect, it } from "vitest";
import { loadMovieLens } from "../../../core/adapters/movielens/load-movielens.ts";
import { foldOffThread } from "../../../core/adapters/threads/threaded-fold.ts";
import type { Catalog } from "../../../core/catalog/catalog.ts";
import {
  memberRowsOf,
  popularOfIndex,
  withMemberRatings,
} from "../../../core/members/member-index.ts";
import { MEMBER_USER_BASE, memberRatings } from "../../../core/members/member-ratings.ts";
import { popularMovies } from "../../../core/recommend/popular.ts";
import {
  type MemberRows,
  RatingIndex,
  type SparseRows,
} from "../../../core/recommend/rating-index.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";

let catalog: Catalog;
let base: RatingIndex;
let rated: number[];
beforeAll(async () => {
  catalog = await loadMovieLens(MOVIELENS_DIR);
  base = new RatingIndex(catalog.ratings);
  rated = [...base.items.ids.subarray(0, 40)];
});

/** Three members: two like the same movies, one a movie among them and others. */
function likes() {
  return memberRatings([
    { member: 9, movieId: rated[3] as number },
    { member: 2, movieId: rated[0] as number },
    { member: 2, movieId: rated[7] as number },
    { member: 5, movieId: rated[7] as number },
    { member: 5, movieId: rated[0] as number },
    { member: 5, movieId: rated[39] as number },
  ]);
}

/** Row r's entries, the base's and then the members' (what every serving loop reads). */
function rowOf(own: SparseRows, extra: SparseRows | null, r: number) {
  const take = (rows: SparseRows, row: number) => {
    const from = rows.ptr[row] as number;
    const to = rows.ptr[row + 1] as number;
    return { cols: [...rows.cols.subarray(from, to)], values: [...rows.values.subarray(from, to)] };
  };
  const a = r < own.ptr.length - 1 ? take(own, r) : { cols: [], values: [] };
  const b = extra && r < extra.ptr.length - 1 ? take(extra, r) : { cols: [], values: [] };
  return { cols: [...a.cols, ...b.cols], values: [...a.values, ...b.values] };
}

describe("members' likes beside a rating index", () => {
  it("reads, row for row, as the index a full build from the same ratings gives", () => {
    const rows = likes();
    const members = memberRowsOf(base, rows) as MemberRows;
    expect(members).not.toBeNull();
    const served = base.withMembers(members);
    const rebuilt = new RatingIndex(withMemberRatings(catalog.ratings, rows));
    expect([...served.users.ids]).toEqual([...rebuilt.users.ids]);
    expect(served.users.rowOf(MEMBER_USER_BASE + 5)).toBe(base.users.length + 1);
    expect(served.baseUsers).toBe(base.users.length);
    for (const name of ["byItem", "likedByItem"] as const) {
      for (let item = 0; item < rebuilt.items.length; item++) {
        expect(rowOf(served[name], members[name], item)).toEqual(rowOf(rebuilt[name], null, item));
      }
    }
    for (const name of ["byUser", "likedByUser"] as const) {
      for (let u = 0; u < rebuilt.users.length; u++) {
        const own = u < served.baseUsers;
        const got = own
          ? rowOf(served[name], null, u)
          : rowOf(members[name], null, u - served.baseUsers);
        expect(got).toEqual(rowOf(rebuilt[name], null, u));
      }
    }
    for (let item = 0; item < rebuilt.items.length; item++) {
      expect(served.raterCount(item)).toBe(rowOf(rebuilt.byItem, null, item).cols.length);
      expect(served.likerCount(item)).toBe(rowOf(rebuilt.likedByItem, null, item).cols.length);
    }
    // The base is left as it was.
    expect(base.members).toBeNull();
    expect(base.users.length).toBe(served.baseUsers);
  });

  it("leaves a like of a movie nobody rated to the full build, which adds its row", () => {
    const unrated = catalog.movies.find((m) => base.items.rowOf(m.movieId) < 0);
    const extra = unrated?.movieId ?? Math.max(...base.items.ids) + 1;
    const rows = memberRatings([{ member: 3, movieId: extra }]);
    expect(memberRowsOf(base, rows)).toBeNull();
  });

  it("ranks popular movies from the index as popularMovies does from the ratings", () => {
    const fromRatings = popularMovies(catalog.ratings);
    const fromIndex = popularOfIndex(base);
    expect(fromIndex.map((p) => p.movieId)).toEqual(fromRatings.map((p) => p.movieId));
    expect(fromIndex.map((p) => p.ratingCount)).toEqual(fromRatings.map((p) => p.ratingCount));
    for (const [i, p] of fromIndex.entries())
      expect(p.score).toBeCloseTo((fromRatings[i] as { score: number }).score, 9);
  });

  it("ranks popular movies with members as over the full build's index, to the bit", () => {
    // Many members on a few movies, so their likes move the ranking.
    const many = memberRatings(
      Array.from({ length: 400 }, (_, n) => ({
        member: 1 + n,
        movieId: rated[n % 40] as number,
      })),
    );
    for (const rows of [likes(), many]) {
      const served = base.withMembers(memberRowsOf(base, rows));
      const rebuilt = new RatingIndex(withMemberRatings(catalog.ratings, rows));
      expect(popularOfIndex(served)).toEqual(popularOfIndex(rebuilt));
    }
  });

  it("builds the index with a movie nobody rated on a thread of its own, with its own item table", async () => {
    const unrated = catalog.movies.find((m) => base.items.rowOf(m.movieId) < 0);
    if (!unrated) return;
    const rows = memberRatings([
      { member: 3, movieId: unrated.movieId },
      { member: 3, movieId: rated[0] as number },
    ]);
    const folded = await foldOffThread(base, rows, base.items.ids);
    const rebuilt = new RatingIndex(withMemberRatings(catalog.ratings, rows));
    const plain = (index: RatingIndex) =>
      Object.fromEntries(Object.entries(index.sections()).map(([name, a]) => [name, [...a]]));
    expect(plain(folded.index)).toEqual(plain(rebuilt));
    // Shared memory: nothing copied back.
    expect(folded.index.byItem.cols.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(folded.table?.itemIds).toEqual(rebuilt.items.ids);
    expect(folded.popular).toEqual(popularOfIndex(rebuilt));
  });
});
