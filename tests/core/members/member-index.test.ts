import { beforeAll, describe, expect, it } from "vitest";
import { loadMovieLens } from "../../../core/adapters/movielens/load-movielens.ts";
import { foldOffThread } from "../../../core/adapters/threads/threaded-fold.ts";
import type { Catalog } from "../../../core/catalog/catalog.ts";
import {
  appendMemberRatings,
  popularOfIndex,
  withMemberRatings,
} from "../../../core/members/member-index.ts";
import { MEMBER_USER_BASE, memberRatings } from "../../../core/members/member-ratings.ts";
import { popularMovies } from "../../../core/recommend/popular.ts";
import { RatingIndex, type Sections } from "../../../core/recommend/rating-index.ts";
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

function plain(sections: Sections): Record<string, number[]> {
  return Object.fromEntries(Object.entries(sections).map(([name, a]) => [name, [...a]]));
}

describe("members' likes added to a rating index", () => {
  it("gives the index a full build from the same ratings gives, array for array", () => {
    const rows = likes();
    const appended = appendMemberRatings(base, rows);
    const rebuilt = new RatingIndex(withMemberRatings(catalog.ratings, rows));
    expect(appended).not.toBeNull();
    expect(plain((appended as RatingIndex).sections())).toEqual(plain(rebuilt.sections()));
    expect((appended as RatingIndex).users.rowOf(MEMBER_USER_BASE + 5)).toBe(base.users.length + 1);
  });

  it("leaves a like of a movie nobody rated to the full build, which adds its row", () => {
    const unrated = catalog.movies.find((m) => base.items.rowOf(m.movieId) < 0);
    const extra = unrated?.movieId ?? Math.max(...base.items.ids) + 1;
    const rows = memberRatings([{ member: 3, movieId: extra }]);
    expect(appendMemberRatings(base, rows)).toBeNull();
  });

  it("ranks popular movies from the index as popularMovies does from the ratings", () => {
    const fromRatings = popularMovies(catalog.ratings);
    const fromIndex = popularOfIndex(base);
    expect(fromIndex.map((p) => p.movieId)).toEqual(fromRatings.map((p) => p.movieId));
    expect(fromIndex.map((p) => p.ratingCount)).toEqual(fromRatings.map((p) => p.ratingCount));
    for (const [i, p] of fromIndex.entries())
      expect(p.score).toBeCloseTo((fromRatings[i] as { score: number }).score, 9);
  });

  it("builds on a thread of its own and hands back the index the event loop would have built", async () => {
    const rows = likes();
    const folded = await foldOffThread(base, rows, base.items.ids);
    const rebuilt = new RatingIndex(withMemberRatings(catalog.ratings, rows));
    expect(plain(folded.index.sections())).toEqual(plain(rebuilt.sections()));
    // Shared memory: nothing copied back.
    expect(folded.index.byItem.cols.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(folded.table).toBeNull();
    expect(folded.popular.map((p) => p.movieId)).toEqual(
      popularMovies(withMemberRatings(catalog.ratings, rows)).map((p) => p.movieId),
    );
  });
});
