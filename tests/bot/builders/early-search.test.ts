import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { distinctSuggestQueries } from "../../../bench/workload.ts";
import { buildCore } from "../../../bot/builders/core-builder.ts";
import { startSearchEarly } from "../../../bot/builders/early-search.ts";
import { type Config, loadConfig } from "../../../bot/config.ts";
import { loadServingData } from "../../../core/adapters/files/serving-snapshot.ts";
import type { LocalMovieSearch } from "../../../core/search/local-movie-search.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";

const silent = pino({ level: "silent" });

describe("the search thread started before the server loads (startSearchEarly)", () => {
  let config: Config;
  let local: LocalMovieSearch;
  let queries: string[];

  beforeAll(async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "moviebot-early-search-"));
    config = loadConfig({
      PORT: "0",
      MOVIELENS_DIR,
      CACHE_DIR: cacheDir,
      DATA_DIR: mkdtempSync(join(tmpdir(), "moviebot-early-search-data-")),
      RECOMMEND_THREADS: "0",
    });
    const data = await loadServingData({
      dataDir: MOVIELENS_DIR,
      snapshotPath: join(cacheDir, "snapshot.bin"),
      modelCacheDir: null,
      strategy: config.RECOMMENDER_STRATEGY,
    });
    local = data.search;
    queries = [
      "toy sto",
      "matrx",
      "heat 1995",
      "the",
      "s",
      ...distinctSuggestQueries(data.catalog, 200, 7),
    ];
  });

  it("reads its index from the snapshot file, is adopted by the core, and answers as the index in process", async () => {
    const early = startSearchEarly(config);
    expect(early).toBeDefined();
    if (!early) return;
    expect(await early.search.started).toBe(true);
    const core = await buildCore(config, silent, { search: early });
    try {
      const expected = queries.map((q) => local.suggestNow(q, 10));
      // Adopted, not closed: the early thread itself still answers.
      expect(await Promise.all(queries.map((q) => early.search.suggest(q, 10)))).toEqual(expected);
      expect(await Promise.all(queries.map((q) => core.search.suggest(q, 10)))).toEqual(expected);
    } finally {
      await core.close();
    }
  });

  it("is replaced by a thread of the core's own when the snapshot served is not the one it read", async () => {
    const early = startSearchEarly(config);
    if (!early) throw new Error("no early search");
    const core = await buildCore(config, silent, {
      search: { ...early, fingerprint: "another snapshot" },
    });
    try {
      const expected = queries.map((q) => local.suggestNow(q, 10));
      expect(await Promise.all(queries.map((q) => core.search.suggest(q, 10)))).toEqual(expected);
    } finally {
      await core.close();
    }
  });

  it("starts nothing without a usable snapshot, for another strategy, or without a search thread", () => {
    const none = mkdtempSync(join(tmpdir(), "moviebot-early-search-none-"));
    expect(startSearchEarly({ ...config, CACHE_DIR: none })).toBeUndefined();
    expect(startSearchEarly({ ...config, RECOMMENDER_STRATEGY: "reference" })).toBeUndefined();
    expect(startSearchEarly({ ...config, SEARCH_THREADS: 0 })).toBeUndefined();
    expect(startSearchEarly({ ...config, SNAPSHOT: false })).toBeUndefined();
  });
});
