import { beforeAll, describe, expect, it } from "vitest";
import { loadMovieLens, readMoviesFile } from "../../../core/adapters/movielens/load-movielens.ts";
import type { Movie } from "../../../core/catalog/movie.ts";
import { parseTitle } from "../../../core/catalog/title.ts";
import { LocalMovieSearch } from "../../../core/search/local-movie-search.ts";
import type { Suggestion } from "../../../core/search/movie-search.ts";
import { foldText } from "../../../core/search/search-text.ts";
import { ML25M_MOVIES, MOVIELENS_DIR } from "../../support/data.ts";
import { describeWith, ml25mTitles, realMovieLens } from "../../support/requirements.ts";

let search: LocalMovieSearch;
const ids = (results: Suggestion[]) => results.map((r) => r.movieId);
const top = async (query: string, limit = 10) => ids(await search.suggest(query, limit));

beforeAll(async () => {
  search = LocalMovieSearch.fromCatalog(await loadMovieLens(MOVIELENS_DIR));
});

describeWith(realMovieLens)("LocalMovieSearch on ml-latest-small", () => {
  it("matches a prefix of every word and returns display titles with labels", async () => {
    const results = await search.suggest("toy sto", 10);
    expect(results[0]).toEqual({
      movieId: 1,
      title: "Toy Story",
      year: 1995,
      label: "Toy Story (1995)",
    });
    expect(ids(results)).toEqual(expect.arrayContaining([1, 3114, 78499]));
    expect(results.every((r) => /^Toy Story/.test(r.title))).toBe(true);
    expect((await top("sta wa"))[0]).toBe(260); // Star Wars: Episode IV, both words unfinished
    expect((await top("shaw red"))[0]).toBe(318); // The Shawshank Redemption
  });

  it("ignores case and accents, in both the query and the titles", async () => {
    expect((await top("amelie"))[0]).toBe(4973);
    expect((await top("AMÉLIE"))[0]).toBe(4973);
    // Only the original-language alternate title holds these words.
    expect((await top("cite des enfants"))[0]).toBe(29);
    expect((await top("Cité des Enfants"))[0]).toBe(29);
  });

  it("tolerates one typo in a longer word but never fuzzes short ones", async () => {
    expect((await top("godfater"))[0]).toBe(858);
    expect((await top("pulp fcition"))[0]).toBe(296); // swapped letters, in a word of 7+
    // A mistyped short word does not lose the film when nothing else matches.
    expect((await top("silence f the lambs"))[0]).toBe(593);
    const up = await search.suggest("up", 25);
    expect(up[0]?.label).toBe("Up (2009)");
    // "up" must not turn into "us" or "op": every title holds a word starting with "up".
    for (const r of up)
      expect(foldText(r.title).split(/[^a-z0-9]+/)).toContainEqual(expect.stringMatching(/^up/));
  });

  it("uses a year to rank, not as a title word", async () => {
    const heat = await search.suggest("heat 1995", 10);
    expect(heat[0]?.label).toBe("Heat (1995)");
    // Other Heats are still offered: the year lifts, it does not hide.
    expect(heat.map((r) => r.title)).toContain("Body Heat");
    const year = await search.suggest("1995", 10);
    expect(year).toHaveLength(10);
    for (const r of year) expect(r.year).toBe(1995);
    // A year that is also a title word still finds that title.
    expect((await top("2001 space"))[0]).toBe(924);
  });

  it("searches alternate titles", async () => {
    expect((await top("se7en"))[0]).toBe(47);
  });

  it("matches the article in front, at the end, or with the comma", async () => {
    for (const query of ["the matrix", "matrix the", "matrix, the", "Matrix"]) {
      const [first] = await search.suggest(query, 5);
      expect(first, query).toEqual({
        movieId: 2571,
        title: "The Matrix",
        year: 1999,
        label: "The Matrix (1999)",
      });
    }
  });

  it("puts the more-rated movie first among similar matches", async () => {
    expect((await top("star w"))[0]).toBe(260); // Star Wars: Episode IV, the most-rated of them
    expect((await top("toy story 2"))[0]).toBe(3114); // a typed digit counts as a word
  });

  it("uses short words to narrow and order what longer words found", async () => {
    const redHeat = await search.suggest("red heat", 10);
    expect(redHeat.map((r) => r.label)).toEqual(["Red Heat (1988)"]);
    const deadMan = await search.suggest("dead man wa", 10);
    expect(deadMan[0]?.label).toBe("Dead Man Walking (1995)");
    for (const r of deadMan) expect(foldText(r.title)).toMatch(/\bwa/);
  });

  it("starts titles after their article, as MovieLens files them", async () => {
    expect((await top("the m", 3))[0]).toBe(2571);
    expect((await top("mat", 3))[0]).toBe(2571);
    expect(await top("the god", 3)).toEqual([858, 1221, 2023]);
  });

  it("answers a lone article with well-known titles that start with it", async () => {
    const results = await search.suggest("the", 10);
    expect(results).toHaveLength(10);
    for (const r of results) expect(r.title).toMatch(/^The /);
    expect(ids(results)).toEqual(expect.arrayContaining([318, 2571])); // Shawshank, Matrix
  });

  it("returns nothing for empty, blank or punctuation-only queries", async () => {
    for (const query of ["", "   ", "!!!", " ,.;- ", "'"])
      expect(await search.suggest(query, 10)).toEqual([]);
  });

  it("respects the limit", async () => {
    expect(await search.suggest("s", 3)).toHaveLength(3);
    expect(await search.suggest("the", 25)).toHaveLength(25);
    expect(await search.suggest("heat", 0)).toEqual([]);
  });

  it("refuses to start once the caller's signal is aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("budget spent"));
    await expect(search.suggest("heat", 5, { signal: controller.signal })).rejects.toThrow(
      "budget spent",
    );
  });
});

describe("LocalMovieSearch ranking by popularity", () => {
  const movie = (movieId: number, raw: string): Movie => ({
    movieId,
    rawTitle: raw,
    ...parseTitle(raw),
    genres: [],
    imdbId: null,
    tmdbId: null,
  });
  const movies = [movie(1, "Heat (1972)"), movie(2, "Heat (1986)"), movie(3, "Heat (1995)")];

  it("orders equal text matches by how often each movie was rated", async () => {
    const counts = new Map([
      [1, 5],
      [2, 50],
      [3, 500],
    ]);
    const ranked = new LocalMovieSearch(movies, (id) => counts.get(id) ?? 0);
    expect(ids(await ranked.suggest("heat", 3))).toEqual([3, 2, 1]);
    const reversed = new LocalMovieSearch(movies, (id) => 1000 - (counts.get(id) ?? 0));
    expect(ids(await reversed.suggest("heat", 3))).toEqual([1, 2, 3]);
  });
});

describeWith(ml25mTitles)("LocalMovieSearch on the 62k titles of ml-25m", () => {
  let big: LocalMovieSearch;
  beforeAll(async () => {
    big = new LocalMovieSearch(await readMoviesFile(ML25M_MOVIES));
  });

  it("indexes every title and finds them", async () => {
    expect(big.size).toBe(62423);
    expect((await big.suggest("toy story 4", 5))[0]?.label).toBe("Toy Story 4 (2019)");
    expect((await big.suggest("heat 1972", 5))[0]).toMatchObject({ movieId: 73608, year: 1972 });
    expect((await big.suggest("amelie", 5))[0]?.movieId).toBe(4973);
    expect((await big.suggest("2001 a space", 5))[0]?.movieId).toBe(924);
    expect(await big.suggest("the", 25)).toHaveLength(25);
  });
});
