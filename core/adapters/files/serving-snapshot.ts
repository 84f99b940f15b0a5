import { statSync } from "node:fs";
import { basename } from "node:path";
import { Catalog, type MovieStats } from "../../catalog/catalog.ts";
import type { Movie } from "../../catalog/movie.ts";
import type { ItemModelProgress } from "../../recommend/item-model.ts";
import {
  LocalRecommender,
  type RecommenderState,
  type RecommenderStrategy,
} from "../../recommend/local-recommender.ts";
import type { Sections } from "../../recommend/rating-index.ts";
import { LocalMovieSearch, type SearchSnapshot } from "../../search/local-movie-search.ts";
import {
  findMovieLensFiles,
  hashMovieLensFiles,
  loadMovieLens,
} from "../movielens/load-movielens.ts";
import { SEARCH_SECTIONS, searchFingerprint } from "./search-sections.ts";
import { readSnapshot, readSnapshotHeader, SnapshotError, writeSnapshot } from "./snapshot-file.ts";
import { snapshotFormat } from "./snapshot-format.ts";

/** Everything a start derives from the data: what the search and the recommender serve from. */
export interface ServingData {
  catalog: Catalog;
  /**
   * The embedded search index. From a snapshot it is built on first use: a server whose search
   * runs on a thread (SEARCH_THREADS) never builds it on the event loop, sparing its start that
   * time and its heap a second copy (about 250 MB at 25M ratings).
   */
  readonly search: LocalMovieSearch;
  recommender: RecommenderState;
  /**
   * The search index's plain form as UTF-8 JSON, for a thread to rebuild it from: views of the
   * snapshot's shared memory when read from one (no copy), else encoded on demand.
   */
  searchSource(): SearchSource;
}

export interface SearchSource {
  /** The catalogue's movies (Movie[]). */
  movies: Uint8Array;
  /** LocalMovieSearch's SearchSnapshot. */
  index: Uint8Array;
  /**
   * Read from a snapshot: what identifies these bytes (searchFingerprint), so a search thread
   * started from the same file earlier (bot/builders/early-search.ts) can be known to serve them.
   */
  fingerprint?: string;
}

/** What the snapshot was built from: it is used only when all of it matches. */
export interface SnapshotKey {
  /** snapshotFormat()'s digest: the code that wrote it. */
  format: string;
  /** SHA-256 over the data files (Catalog.checksum). */
  dataChecksum: string;
  /** The recommender strategy whose precomputed tables it holds. */
  strategy: string;
}

interface SnapshotMeta {
  /**
   * Size and modification time of each data file when the snapshot was built: when they still
   * match, the files are not hashed again (hashing 650 MB of CSV would eat the start's budget).
   * When they differ, the files are hashed and the checksum decides.
   */
  stamps: FileStamp[];
  movies: number;
  ratings: number;
}

interface FileStamp {
  name: string;
  size: number;
  mtimeMs: number;
}

export type SnapshotEvent =
  | { kind: "loaded"; path: string; bytes: number; ms: number }
  | { kind: "missing"; path: string }
  /** Stale, corrupt or another format: never served, rebuilt. */
  | { kind: "unusable"; path: string; reason: SnapshotError["reason"]; message: string }
  | { kind: "written"; path: string; bytes: number; ms: number }
  | { kind: "write-failed"; path: string; message: string };

export interface LoadOptions {
  dataDir: string;
  /** The model cache the CSV path reads and fills (the item-neighbour table); null: none. */
  modelCacheDir: string | null;
  onModelProgress?: (event: ItemModelProgress) => void;
  /** Where the snapshot lives; null: no snapshot, always from CSV. */
  snapshotPath: string | null;
  strategy: string;
  onEvent?: (event: SnapshotEvent) => void;
  /**
   * Called with the search index's bytes as soon as a snapshot's are read and checked, before the
   * rest is built: a thread can build the index meanwhile, on the other core. The same arrays
   * are then `searchSource()`'s, which is how a caller knows the snapshot was served.
   */
  onSearchSource?: (source: SearchSource) => void;
}

/**
 * The serving data, from a valid snapshot when there is one (typed arrays read straight from the
 * file), else from the CSV files, then written as a snapshot for the next start. A snapshot that
 * is stale (other data, other strategy), corrupt (CRC, length) or of another format is reported
 * once through `onEvent` and rebuilt; it is never served.
 */
export async function loadServingData(options: LoadOptions): Promise<ServingData> {
  const { snapshotPath, onEvent } = options;
  if (snapshotPath === null) return fromCsv(options);
  try {
    const started = performance.now();
    const { data, bytes } = await fromSnapshot(
      options.dataDir,
      snapshotPath,
      options.strategy,
      options.onSearchSource,
    );
    onEvent?.({
      kind: "loaded",
      path: snapshotPath,
      bytes,
      ms: Math.round(performance.now() - started),
    });
    return data;
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    if (error.reason === "missing") onEvent?.({ kind: "missing", path: snapshotPath });
    else {
      onEvent?.({
        kind: "unusable",
        path: snapshotPath,
        reason: error.reason,
        message: error.message,
      });
    }
  }
  const data = await fromCsv(options);
  await saveSnapshot(data, options);
  return data;
}

/** `npm run snapshot`: from the CSV files, written whatever is there now. */
export async function buildSnapshot(options: LoadOptions & { snapshotPath: string }) {
  const data = await fromCsv(options);
  await saveSnapshot(data, options);
  return data;
}

async function fromCsv(options: LoadOptions): Promise<ServingData> {
  const catalog = await loadMovieLens(options.dataDir);
  const search = LocalMovieSearch.fromCatalog(catalog);
  return {
    catalog,
    search,
    searchSource: () => ({
      movies: utf8(JSON.stringify(catalog.movies)),
      index: utf8(JSON.stringify(search.toSnapshot())),
    }),
    recommender: await LocalRecommender.stateOf(
      catalog,
      options.strategy as RecommenderStrategy,
      options.modelCacheDir,
      options.onModelProgress,
    ),
  };
}

async function saveSnapshot(data: ServingData, options: LoadOptions): Promise<void> {
  const path = options.snapshotPath;
  if (path === null) return;
  const started = performance.now();
  try {
    const { catalog } = data;
    const key: SnapshotKey = {
      format: snapshotFormat().digest,
      dataChecksum: catalog.checksum,
      strategy: options.strategy,
    };
    const meta: SnapshotMeta = {
      stamps: stampsOf(options.dataDir),
      movies: catalog.movies.length,
      ratings: catalog.ratings.length,
    };
    const stats = [...catalog.allStats()];
    const sections: Sections = {
      [SEARCH_SECTIONS.movies]: utf8(JSON.stringify(catalog.movies)),
      "catalog.stats.movieId": Int32Array.from(stats, ([id]) => id),
      "catalog.stats.ratingCount": Int32Array.from(stats, ([, s]) => s.ratingCount),
      "catalog.stats.meanRating": Float64Array.from(stats, ([, s]) => s.meanRating),
      [SEARCH_SECTIONS.index]: utf8(JSON.stringify(data.search.toSnapshot())),
      ...LocalRecommender.stateSections(data.recommender),
    };
    const bytes = await writeSnapshot(path, key, meta, sections);
    options.onEvent?.({
      kind: "written",
      path,
      bytes,
      ms: Math.round(performance.now() - started),
    });
  } catch (error) {
    // A read-only or full disk costs the next start its speed, never this start.
    options.onEvent?.({ kind: "write-failed", path, message: (error as Error).message });
  }
}

async function fromSnapshot(
  dataDir: string,
  path: string,
  strategy: string,
  onSearchSource?: (source: SearchSource) => void,
): Promise<{ data: ServingData; bytes: number }> {
  const header = readSnapshotHeader<SnapshotKey, SnapshotMeta>(path);
  // The prefix holds 32 bits of the format; the header its whole digest.
  if (header.key.format !== snapshotFormat().digest) {
    throw new SnapshotError("version", "snapshot written by other code (format digest differs)");
  }
  if (header.key.strategy !== strategy) {
    throw new SnapshotError(
      "stale",
      `snapshot holds strategy "${header.key.strategy}", the settings ask for "${strategy}"`,
    );
  }
  if (!sameStamps(header.meta.stamps, stampsOf(dataDir))) {
    const checksum = await hashMovieLensFiles(dataDir);
    if (checksum !== header.key.dataChecksum) {
      throw new SnapshotError("stale", "snapshot was built from other data (checksum differs)");
    }
  }
  const read = readSnapshot<SnapshotKey, SnapshotMeta>(path);
  const { sections } = read;
  const movieBytes = sections[SEARCH_SECTIONS.movies];
  const indexBytes = sections[SEARCH_SECTIONS.index];
  // From the header of the bytes read: the file may have been replaced since the first look.
  const fingerprint = searchFingerprint(read.header);
  const source = movieBytes &&
    indexBytes &&
    fingerprint && {
      movies: movieBytes as Uint8Array,
      index: indexBytes as Uint8Array,
      fingerprint,
    };
  if (source) onSearchSource?.(source);
  try {
    const movies = JSON.parse(text(sections, SEARCH_SECTIONS.movies)) as Movie[];
    const ids = section(sections, "catalog.stats.movieId");
    const counts = section(sections, "catalog.stats.ratingCount");
    const means = section(sections, "catalog.stats.meanRating");
    const stats = new Map<number, MovieStats>();
    for (let i = 0; i < ids.length; i++) {
      stats.set(ids[i] as number, {
        ratingCount: counts[i] as number,
        meanRating: means[i] as number,
      });
    }
    const byId = new Set(movies.map((m) => m.movieId));
    const recommender = LocalRecommender.stateFromSections(sections, (id) => byId.has(id));
    const catalog = new Catalog(
      movies,
      recommender.index.ratings(),
      header.key.dataChecksum,
      stats,
    );
    recommender.known = (id) => catalog.has(id);
    section(sections, SEARCH_SECTIONS.index);
    let search: LocalMovieSearch | undefined;
    const data: ServingData = {
      catalog,
      recommender,
      get search() {
        search ??= new LocalMovieSearch(
          movies,
          undefined,
          JSON.parse(text(sections, SEARCH_SECTIONS.index)) as SearchSnapshot,
        );
        return search;
      },
      // The same arrays onSearchSource was given.
      searchSource: () => source as SearchSource,
    };
    return { data, bytes: header.totalBytes };
  } catch (error) {
    if (error instanceof SnapshotError) throw error;
    // CRCs matched but the content does not fit this code: treat as corrupt, rebuild.
    throw new SnapshotError("corrupt", `snapshot content unreadable: ${(error as Error).message}`);
  }
}

function stampsOf(dataDir: string): FileStamp[] {
  const files = findMovieLensFiles(dataDir);
  return [files.movies, files.links, files.ratings].map((file) => {
    const stat = statSync(file);
    return { name: basename(file), size: stat.size, mtimeMs: stat.mtimeMs };
  });
}

function sameStamps(a: readonly FileStamp[], b: readonly FileStamp[]): boolean {
  return (
    a.length === b.length &&
    a.every((s, i) => s.name === b[i]?.name && s.size === b[i]?.size && s.mtimeMs === b[i]?.mtimeMs)
  );
}

function section(sections: Sections, name: string): Sections[string] {
  const array = sections[name];
  if (!array) throw new SnapshotError("corrupt", `snapshot section ${name} is missing`);
  return array;
}

function text(sections: Sections, name: string): string {
  const bytes = section(sections, name);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

function utf8(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, "utf8"));
}
