import { describe, expect, it } from "vitest";
import { TopRows, topN } from "../../../core/recommend/top-n.ts";
import { mulberry32 } from "../../../core/recommend/wals-trainer.ts";

/** What topN promises, by sorting every row: best first, ties to the lower row. */
function sorted(scores: number[], n: number, skip: (row: number) => boolean): number[] {
  return [...scores.keys()]
    .filter((row) => Number.isFinite(scores[row]) && !skip(row))
    .sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b)
    .slice(0, Math.max(0, n));
}

describe("topN", () => {
  it("keeps the n best rows as a full sort would (topN, and TopRows fed row by row), ties, skips and non-finite scores included", () => {
    const random = mulberry32(3);
    const odd = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0];
    for (let round = 0; round < 300; round++) {
      const length = Math.floor(random() * 60);
      // Few distinct values, so ties are common; some negative, some not finite.
      const scores = Array.from({ length }, () =>
        random() < 0.1
          ? (odd[Math.floor(random() * odd.length)] as number)
          : Math.floor(random() * 12) - 3,
      );
      const n = Math.floor(random() * 12) - 1;
      const skipped = new Set([...scores.keys()].filter(() => random() < 0.2));
      const skip = (row: number) => skipped.has(row);
      const top = new TopRows(n);
      scores.forEach((score, row) => {
        if (score > top.floor && Number.isFinite(score) && !skip(row)) top.offer(row, score);
      });
      const expected = sorted(scores, n, skip);
      expect({ scores, n, rows: topN(scores, n, skip) }).toEqual({ scores, n, rows: expected });
      expect({ scores, n, rows: top.rows }).toEqual({ scores, n, rows: expected });
    }
  });
});
