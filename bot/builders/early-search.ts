import type { Worker } from "node:worker_threads";
import { searchFingerprint, searchSectionsOf } from "../../core/adapters/files/search-sections.ts";
import type { SnapshotKey } from "../../core/adapters/files/serving-snapshot.ts";
import { readSnapshotHeader } from "../../core/adapters/files/snapshot-file.ts";
import { snapshotFormat } from "../../core/adapters/files/snapshot-format.ts";
import { startRecommendThreads } from "../../core/adapters/threads/threaded-recommender.ts";
import { ThreadedSearch } from "../../core/adapters/threads/threaded-search.ts";
import type { Config } from "../config.ts";
import { snapshotPath } from "./snapshot-path.ts";

/** What main.ts starts before it loads the server's modules, for the core to adopt. */
export interface EarlyStart {
  search?: EarlySearch;
  /** Recommendation threads loading their modules, waiting for their data (startRecommendThreads). */
  recommendThreads?: Worker[];
}

export function startEarly(config: Config): EarlyStart {
  const search = startSearchEarly(config);
  const threaded = config.RECOMMEND_THREADS > 0 && config.RECOMMENDER_STRATEGY !== "reference";
  return {
    ...(search ? { search } : {}),
    ...(threaded ? { recommendThreads: startRecommendThreads(config.RECOMMEND_THREADS) } : {}),
  };
}

/** A search thread started from the snapshot file before the server's modules were loaded. */
export interface EarlySearch {
  search: ThreadedSearch;
  /** searchFingerprint of the bytes it reads: the core adopts it only if it serves the same. */
  fingerprint: string;
}

/**
 * Starts the search thread from the start-up snapshot's file before anything else (issue 18: the
 * first keystroke after a cold start must be answered within Slack's and Discord's 3 s). Loading
 * the server's modules takes the main thread 0.7–1.8 s and reading the whole snapshot 0.5 s more,
 * and the thread needs neither: it reads its two sections (22 MB at 25M ratings) itself. Only the
 * header is looked at here (format and strategy); the core checks the rest as it loads the
 * snapshot and adopts this thread only if the bytes it serves are the ones the thread read
 * (core-builder.ts), else closes it. Nothing when the search is not embedded on a thread, or there
 * is no usable snapshot (the load reports why, and rebuilds it).
 */
export function startSearchEarly(config: Config): EarlySearch | undefined {
  if (config.SEARCH_BACKEND === "elasticsearch" || config.SEARCH_THREADS === 0) return undefined;
  if (!config.SNAPSHOT) return undefined;
  const file = snapshotPath(config);
  try {
    const header = readSnapshotHeader<SnapshotKey, unknown>(file);
    if (header.key.format !== snapshotFormat().digest) return undefined;
    if (header.key.strategy !== config.RECOMMENDER_STRATEGY) return undefined;
    const sections = searchSectionsOf(header);
    const fingerprint = searchFingerprint(header);
    if (!sections || !fingerprint) return undefined;
    // No answer comes from it before the core adopts it (the HTTP routes wait for the core).
    const notYet = () => {
      throw new Error("the search thread was not adopted by the core");
    };
    return { search: new ThreadedSearch(notYet, { file, ...sections }), fingerprint };
  } catch {
    return undefined;
  }
}
