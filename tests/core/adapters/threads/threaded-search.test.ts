import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distinctSuggestQueries } from "../../../../bench/workload.ts";
import { loadMovieLens } from "../../../../core/adapters/movielens/load-movielens.ts";
import { ThreadedSearch } from "../../../../core/adapters/threads/threaded-search.ts";
import type { Catalog } from "../../../../core/catalog/catalog.ts";
import { LocalMovieSearch } from "../../../../core/search/local-movie-search.ts";
import { MOVIELENS_DIR } from "../../../support/data.ts";

const utf8 = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value)));

describe("ThreadedSearch", () => {
  let catalog: Catalog;
  let local: LocalMovieSearch;
  let threaded: ThreadedSearch;

  beforeAll(async () => {
    catalog = await loadMovieLens(MOVIELENS_DIR);
    local = LocalMovieSearch.fromCatalog(catalog);
    threaded = new ThreadedSearch(() => local, {
      movies: utf8(catalog.movies),
      index: utf8(local.toSnapshot()),
    });
  });
  afterAll(() => threaded.close());

  it("answers what the in-process index answers, from its thread", async () => {
    expect(await threaded.started).toBe(true);
    // A title of whichever catalogue is loaded (MovieLens, or the made-up fixture without it).
    const known = catalog.movies[0] as Catalog["movies"][number];
    const queries = [
      known.title,
      "toy sto",
      "matrx",
      "heat 1995",
      "the",
      "lotr",
      ...distinctSuggestQueries(catalog, 400, 3),
    ];
    const there = await Promise.all(queries.map((q) => threaded.suggest(q, 10)));
    const here = await Promise.all(queries.map((q) => local.suggest(q, 10)));
    expect(there).toEqual(here);
    expect(there[0]?.map((result) => result.movieId)).toContain(known.movieId);
  });

  it("refuses an aborted request before it is sent", async () => {
    const controller = new AbortController();
    controller.abort(new Error("gone"));
    await expect(threaded.suggest("heat", 5, { signal: controller.signal })).rejects.toThrow(
      "gone",
    );
  });

  it("answers in process when its thread cannot build the index, without retrying forever", async () => {
    const broken = new ThreadedSearch(() => local, {
      movies: utf8("not movies"),
      index: utf8(null),
    });
    try {
      // Sent while the thread starts, answered in process once it cannot.
      const early = broken.suggest("heat", 3);
      expect(await broken.started).toBe(false);
      expect(await early).toEqual(await local.suggest("heat", 3));
      expect(await broken.suggest("matrix", 3)).toEqual(await local.suggest("matrix", 3));
    } finally {
      await broken.close();
    }
  });
});
