import {
  appendFileSync,
  copyFileSync,
  mkdtempSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { distinctLikedSets, distinctSuggestQueries } from "../../../../bench/workload.ts";
import { startApp } from "../../../../bot/app.ts";
import { loadConfig } from "../../../../bot/config.ts";
import {
  searchFingerprint,
  searchSectionsOf,
} from "../../../../core/adapters/files/search-sections.ts";
import {
  loadServingData,
  type SearchSource,
  type ServingData,
  type SnapshotEvent,
} from "../../../../core/adapters/files/serving-snapshot.ts";
import {
  readSnapshotHeader,
  readSnapshotSection,
  type SectionEntry,
  SnapshotError,
} from "../../../../core/adapters/files/snapshot-file.ts";
import { LocalRecommender } from "../../../../core/recommend/local-recommender.ts";
import { LocalMovieSearch } from "../../../../core/search/local-movie-search.ts";
import { MOVIELENS_DIR } from "../../../support/data.ts";

const OPTIONS = { strategy: "default" as const, k: 30, neighbours: 50 };

/** A private copy of ml-latest-small, so a test may change it. */
function dataCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "moviebot-snapshot-data-"));
  for (const name of ["movies.csv", "links.csv", "ratings.csv"]) {
    copyFileSync(join(MOVIELENS_DIR, name), join(dir, name));
  }
  return dir;
}

async function load(dataDir: string, snapshotPath: string, strategy = "default") {
  const events: SnapshotEvent[] = [];
  const data = await loadServingData({
    dataDir,
    snapshotPath,
    modelCacheDir: null,
    strategy,
    onEvent: (e) => events.push(e),
  });
  return { data, kinds: events.map((e) => e.kind), events };
}

/** What users get from the data: suggestions, recommendations, stats, the ratings themselves. */
async function answers(data: ServingData) {
  const { catalog } = data;
  const recommender = LocalRecommender.fromState(data.recommender, OPTIONS);
  const queries = distinctSuggestQueries(catalog, 400, 3);
  const sets = distinctLikedSets(catalog, 200, 4);
  return {
    movies: catalog.movies.map((m) => ({ ...m })).sort((a, b) => a.movieId - b.movieId),
    stats: catalog.movies.map((m) => catalog.statsOf(m.movieId)),
    ratings: catalog.ratings.length,
    ratingSum: catalog.ratings.values.reduce((s, v) => s + v, 0),
    suggestions: queries.map((q) => data.search.suggestNow(q, 10)),
    recommendations: await Promise.all(sets.map((liked) => recommender.recommend(liked, 10))),
    popular: await recommender.popular(20),
  };
}

describe("the start-up snapshot", () => {
  let fromCsv: Awaited<ReturnType<typeof answers>>;
  let dataDir: string;
  let snapshotPath: string;

  beforeAll(async () => {
    dataDir = dataCopy();
    snapshotPath = join(mkdtempSync(join(tmpdir(), "moviebot-snapshot-")), "snapshot.bin");
    const first = await load(dataDir, snapshotPath);
    expect(first.kinds).toEqual(["missing", "written"]);
    fromCsv = await answers(first.data);
  });

  it("is read back on the next start and answers exactly as the CSV files did", async () => {
    const second = await load(dataDir, snapshotPath);
    expect(second.kinds).toEqual(["loaded"]);
    expect(await answers(second.data)).toEqual(fromCsv);
    expect(second.data.catalog.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("hands the search index's bytes over before the rest is built, the same the data give later", async () => {
    const early: SearchSource[] = [];
    const data = await loadServingData({
      dataDir,
      snapshotPath,
      modelCacheDir: null,
      strategy: "default",
      onSearchSource: (source) => early.push(source),
    });
    expect(early).toHaveLength(1);
    expect(data.searchSource()).toBe(early[0]);
    const fromBytes = new LocalMovieSearch(
      JSON.parse(Buffer.from(early[0]?.movies ?? []).toString("utf8")),
      undefined,
      JSON.parse(Buffer.from(early[0]?.index ?? []).toString("utf8")),
    );
    expect(fromBytes.suggestNow("toy story", 5)).toEqual(data.search.suggestNow("toy story", 5));
    // A thread started from the file before it was loaded reads the same bytes alone, and knows
    // them by the same fingerprint.
    const header = readSnapshotHeader(snapshotPath);
    const sections = searchSectionsOf(header);
    expect(early[0]?.fingerprint).toBe(searchFingerprint(header));
    // Compared as buffers: a deep equality over megabytes of bytes, element by element, takes the
    // test runner tens of seconds on a busy machine.
    const same = (section: SectionEntry | undefined, bytes: Uint8Array | undefined) =>
      Buffer.from(readSnapshotSection(snapshotPath, section as SectionEntry)).equals(
        Buffer.from(bytes ?? []),
      );
    expect(same(sections?.movies, early[0]?.movies)).toBe(true);
    expect(same(sections?.index, early[0]?.index)).toBe(true);
    // From the CSV files (no snapshot yet), nothing is handed over early.
    const fresh: SearchSource[] = [];
    await loadServingData({
      dataDir,
      snapshotPath: join(mkdtempSync(join(tmpdir(), "moviebot-snapshot-")), "snapshot.bin"),
      modelCacheDir: null,
      strategy: "default",
      onSearchSource: (source) => fresh.push(source),
    });
    expect(fresh).toEqual([]);
  });

  it("refuses a section read alone from a file replaced since its header was read", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "moviebot-snapshot-")), "snapshot.bin");
    await load(dataDir, path);
    const entry = searchSectionsOf(readSnapshotHeader(path))?.index as SectionEntry;
    const bytes = readFileSync(path);
    bytes.writeUInt8(bytes.readUInt8(entry.offset + 10) ^ 0x20, entry.offset + 10);
    writeFileSync(path, bytes);
    expect(() => readSnapshotSection(path, entry)).toThrow(SnapshotError);
  });

  it("is still used when the files were touched but not changed (their checksum decides)", async () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dataDir, "ratings.csv"), later, later);
    expect((await load(dataDir, snapshotPath)).kinds).toEqual(["loaded"]);
  });

  it("is stale when the data changed: reported once, rebuilt, the new data served", async () => {
    const dir = dataCopy();
    const path = join(mkdtempSync(join(tmpdir(), "moviebot-snapshot-")), "snapshot.bin");
    await load(dir, path);
    // A new user who liked Toy Story.
    appendFileSync(join(dir, "ratings.csv"), "999999,1,5.0,1700000000\n");
    const stale = await load(dir, path);
    expect(stale.kinds).toEqual(["unusable", "written"]);
    expect(stale.events[0]).toMatchObject({ reason: "stale" });
    expect(stale.data.catalog.ratings.length).toBe(fromCsv.ratings + 1);
    expect((await load(dir, path)).kinds).toEqual(["loaded"]);
  });

  it("is stale for another strategy", async () => {
    const other = await load(dataDir, snapshotPath, "reference");
    expect(other.events[0]).toMatchObject({ kind: "unusable", reason: "stale" });
    // Rebuilt for that strategy; the default's start rebuilds it back.
    expect((await load(dataDir, snapshotPath)).events[0]).toMatchObject({ reason: "stale" });
  });

  const flip = (at: (b: Buffer) => number, mask: number) => (b: Buffer) => {
    const i = at(b);
    b.writeUInt8(b.readUInt8(i) ^ mask, i);
    return b;
  };
  it.each([
    ["a flipped byte inside a section", flip((b) => b.length - 1000, 0x40)],
    ["a flipped byte in the header", flip(() => 40, 0x01)],
    ["a truncated file", (b: Buffer) => b.subarray(0, b.length - 8)],
    [
      "another format version",
      (b: Buffer) => {
        b.writeUInt32LE(999, 8);
        return b;
      },
    ],
    ["no snapshot at all, just bytes", () => Buffer.from("not a snapshot")],
  ])("is refused with %s, and rebuilt", async (_name, damage) => {
    const path = join(mkdtempSync(join(tmpdir(), "moviebot-snapshot-")), "snapshot.bin");
    await load(dataDir, path);
    const bytes = readFileSync(path);
    writeFileSync(path, damage(bytes));
    const refused = await load(dataDir, path);
    expect(refused.kinds).toEqual(["unusable", "written"]);
    expect(["corrupt", "version"]).toContain((refused.events[0] as { reason: string }).reason);
    expect(refused.data.catalog.ratings.length).toBe(fromCsv.ratings);
    expect((await load(dataDir, path)).kinds).toEqual(["loaded"]);
  });

  it("is reported in one log line by the server, which serves the rebuilt data", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "moviebot-snapshot-app-"));
    const config = loadConfig({ PORT: "0", MOVIELENS_DIR: dataDir, CACHE_DIR: cacheDir });
    const first = await startApp(config, pino({ level: "silent" }));
    await first.ready;
    await first.close();
    const path = join(cacheDir, "snapshot.bin");
    const bytes = readFileSync(path);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 5000) ^ 0xff, bytes.length - 5000);
    writeFileSync(path, bytes);

    const lines: { msg: string; level: number; reason?: string }[] = [];
    const logger = pino(
      { level: "info" },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    const app = await startApp(config, logger);
    try {
      await app.ready;
      const warnings = lines.filter((l) => l.level >= 40 && /snapshot/.test(l.msg));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ reason: "corrupt" });
      const body = (await (
        await fetch(`http://127.0.0.1:${app.port}/api/recommend?liked=1&limit=3`)
      ).json()) as { strategy: string; results: unknown[] };
      expect(body).toMatchObject({ strategy: "personalized" });
      expect(body.results).toHaveLength(3);
    } finally {
      await app.close();
    }
  });
});
