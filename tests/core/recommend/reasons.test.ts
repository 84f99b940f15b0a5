import { describe, expect, it } from "vitest";
import { loadMovieLens } from "../../../core/adapters/movielens/load-movielens.ts";
import { RatingIndex } from "../../../core/recommend/rating-index.ts";
import { explainRow, explainRows } from "../../../core/recommend/reasons.ts";
import { seriesOf } from "../../../core/recommend/series.ts";
import { topN } from "../../../core/recommend/top-n.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";

const catalog = await loadMovieLens(MOVIELENS_DIR);
const index = new RatingIndex(catalog.ratings);
const rowOfMovie = new Map(catalog.movies.map((m, i) => [m.movieId, i]));
const seriesOfMovie = seriesOf(catalog.movies);
const series = Int32Array.from(index.items.ids, (id) => {
  const at = rowOfMovie.get(id);
  return at === undefined ? -1 : (seriesOfMovie[at] as number);
});
const likes = Float64Array.from(
  { length: index.items.length },
  (_, r) => (index.likedByItem.ptr[r + 1] as number) - (index.likedByItem.ptr[r] as number),
);
/** The most-liked rows: the costliest to explain, and where picks overlap most. */
const popular = topN(likes, 60);

describe("explainRows", () => {
  it("gives every row explainRow's reasons and share, to the bit, in one pass", () => {
    const cases = [
      popular.slice(0, 1),
      popular.slice(0, 5),
      [popular[3] as number, popular[3] as number, popular[7] as number], // a pick twice
      [popular[2] as number, index.items.length - 1], // a pick few liked
      // Movies of a series as picks, so the series rule leads some answers.
      index.items.ids.reduce<number[]>((rows, _, r) => {
        if ((series[r] as number) >= 0 && rows.length < 4) rows.push(r);
        return rows;
      }, []),
      popular.slice(0, 8), // more picks than counts per mask: each liker's bits counted
      popular.slice(10, 50), // more picks than mask bits: the per-row merge answers
    ];
    for (const picks of cases) {
      const rows = [...popular.slice(0, 15), ...popular.slice(40, 45), index.items.length - 2];
      const fast = explainRows(index, series, rows, picks, 2);
      const slow = rows.map((row) => explainRow(index, series, row, picks, 2));
      expect(fast).toEqual(slow);
      expect(fast.some((r) => r.because.length > 0)).toBe(true);
    }
  });

  it("leaves its work array clean for the next answer", () => {
    const first = explainRows(index, series, popular.slice(0, 10), popular.slice(0, 3), 2);
    explainRows(index, series, popular.slice(0, 10), popular.slice(20, 25), 2);
    expect(explainRows(index, series, popular.slice(0, 10), popular.slice(0, 3), 2)).toEqual(first);
  });
});
