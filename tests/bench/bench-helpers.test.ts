import { describe, expect, it } from "vitest";
import { atMost, ms, peakRss, quantile, renderTable } from "../../bench/report.ts";
import { likedSets, suggestQueries } from "../../bench/workload.ts";
import { loadMovieLens } from "../../core/adapters/movielens/load-movielens.ts";
import { MOVIELENS_DIR } from "../support/data.ts";

describe("bench figures", () => {
  it("takes nearest-rank quantiles, so p99 of 100 samples is the 99th", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(quantile(samples, 0.5)).toBe(50);
    expect(quantile(samples, 0.99)).toBe(99);
    expect(quantile(samples, 1)).toBe(100);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it("prints the measured figure beside the target and says whether it is met", () => {
    const table = renderTable([
      atMost("in-process", "suggest p99", 1.5, 2, ms),
      atMost("in-process", "recommend p99", 31, 20, ms),
    ]);
    expect(table).toMatch(/suggest p99\s*│\s*1\.50 ms\s*│\s*≤ 2\.00 ms\s*│\s*yes/);
    expect(table).toMatch(/recommend p99\s*│\s*31 ms\s*│\s*≤ 20 ms\s*│\s*NO/);
  });

  it("reads this process's peak RSS from /proc", async () => {
    const rss = await peakRss("self");
    expect(rss).toBeGreaterThan(10e6);
    expect(await peakRss(2 ** 22 + 1)).toBeUndefined(); // beyond pid_max: no such process
  });
});

describe("bench workload", async () => {
  const catalog = await loadMovieLens(MOVIELENS_DIR);

  it("mixes prefixes, typos and years of real titles, the same for a seed", () => {
    const queries = suggestQueries(catalog, 500, 1);
    expect(queries).toHaveLength(500);
    expect(suggestQueries(catalog, 500, 1)).toEqual(queries);
    expect(queries.some((q) => /\s(19|20)\d\d$/.test(q))).toBe(true);
    const titles = catalog.movies.map((m) => m.title.toLowerCase());
    const prefixes = queries.filter((q) => titles.some((t) => t.startsWith(q)));
    // Prefixes dominate, but typos make some queries match no title exactly.
    expect(prefixes.length).toBeGreaterThan(250);
    expect(prefixes.length).toBeLessThan(500);
  });

  it("builds liked sets of 1–5 distinct rated movies", () => {
    const sets = likedSets(catalog, 200);
    for (const set of sets) {
      expect(set.length).toBeGreaterThanOrEqual(1);
      expect(set.length).toBeLessThanOrEqual(5);
      expect(new Set(set).size).toBe(set.length);
      for (const id of set) expect(catalog.statsOf(id).ratingCount).toBeGreaterThan(0);
    }
    expect(new Set(sets.map((s) => s.length)).size).toBe(5);
  });
});
