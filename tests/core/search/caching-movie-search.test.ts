import { describe, expect, it } from "vitest";
import { CachingMovieSearch } from "../../../core/search/caching-movie-search.ts";
import type { MovieSearch, Suggestion } from "../../../core/search/movie-search.ts";

class CountingSearch implements MovieSearch {
  calls: string[] = [];
  async suggest(query: string, limit: number): Promise<Suggestion[]> {
    this.calls.push(query);
    return Array.from({ length: limit }, (_, i) => ({
      movieId: i + 1,
      title: `${query} ${i}`,
      year: 2000,
      label: `${query} ${i} (2000)`,
    }));
  }
}

describe("CachingMovieSearch", () => {
  it("answers a repeated query from memory, folding case, accents and spacing", async () => {
    const inner = new CountingSearch();
    const search = new CachingMovieSearch(inner, { size: 100, ttlMs: 60_000 });
    const first = await search.suggest("Amélie", 3);
    const again = await search.suggest("  amelie ", 3);
    expect(again).toEqual(first);
    expect(inner.calls).toEqual(["Amélie"]);
  });

  it("keeps different limits and queries apart", async () => {
    const inner = new CountingSearch();
    const search = new CachingMovieSearch(inner, { size: 100, ttlMs: 60_000 });
    await search.suggest("heat", 3);
    expect(await search.suggest("heat", 5)).toHaveLength(5);
    await search.suggest("heath", 3);
    expect(inner.calls).toEqual(["heat", "heat", "heath"]);
  });

  it("hands out copies, so a caller changing its answer cannot spoil the next one", async () => {
    const search = new CachingMovieSearch(new CountingSearch(), { size: 100, ttlMs: 60_000 });
    const first = await search.suggest("up", 1);
    (first[0] as Suggestion).title = "changed";
    expect((await search.suggest("up", 1))[0]?.title).toBe("up 0");
  });

  it("forgets the least recently used answers beyond its size", async () => {
    const inner = new CountingSearch();
    const search = new CachingMovieSearch(inner, { size: 2, ttlMs: 60_000 });
    for (const q of ["a1", "b1", "c1", "a1"]) await search.suggest(q, 1);
    expect(inner.calls).toEqual(["a1", "b1", "c1", "a1"]);
  });
});
