import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadMovieLens } from "../../../core/adapters/movielens/load-movielens.ts";
import { LocalMovieSearch } from "../../../core/search/local-movie-search.ts";
import { ML25M_MOVIES } from "../../support/data.ts";
import { ensureSyntheticMovieLens } from "../../support/movielens-fixture.ts";
import { describeWith, ml25mTitles } from "../../support/requirements.ts";

/** The fixture `npm test` uses without MOVIELENS_DIR: MovieLens-shaped, made-up, deterministic. */
describe("the synthetic test fixture", async () => {
  const dir = await ensureSyntheticMovieLens();
  const catalog = await loadMovieLens(dir);

  it("loads as MovieLens does: 2,000 movies, 50,000 ratings, titles parsed with their articles", async () => {
    expect(catalog.movies).toHaveLength(2000);
    expect(catalog.ratings.length).toBe(50_000);
    const withArticle = catalog.movies.find((m) => m.rawTitle.includes(", The ("));
    expect(withArticle?.title.startsWith("The ")).toBe(true);
    const search = LocalMovieSearch.fromCatalog(catalog);
    const [first] = await search.suggest(withArticle?.title ?? "", 1);
    expect(first?.movieId).toBe(withArticle?.movieId);
  });

  describeWith(ml25mTitles)("compared with MovieLens", () => {
    it("shares no title with the 62k real ones", () => {
      const real = new Set(
        readFileSync(ML25M_MOVIES, "utf8")
          .split("\n")
          .map((line) => line.split(",").slice(1, -1).join(",").replace(/^"|"$/g, "")),
      );
      const shared = catalog.movies.filter((m) => real.has(m.rawTitle));
      expect(shared).toEqual([]);
    });
  });
});
