import type { Logger } from "pino";
import {
  buildSnapshot,
  loadServingData,
  type SearchSource,
  type ServingData,
  type SnapshotEvent,
} from "../../core/adapters/files/serving-snapshot.ts";
import { ensureMovieLens } from "../../core/adapters/movielens/download.ts";
import { isMoviebotError, MoviebotError } from "../../core/errors.ts";
import type { RecommenderProgress } from "../../core/recommend/local-recommender.ts";
import type { Config } from "../config.ts";
import { createProgress } from "../progress.ts";
import { snapshotPath } from "./snapshot-path.ts";

/** Where MovieLens lives when MOVIELENS_DIR is unset: downloaded here on first start. */
export const DEFAULT_MOVIELENS_DIR = "data/ml-latest-small";

/**
 * The catalogue, the embedded search index and the recommender's data: from the start-up
 * snapshot when SNAPSHOT is on and it is fresh, else from the MovieLens CSV files (downloaded
 * first when MOVIELENS_DIR is unset).
 */
export async function loadMovieLens(
  config: Config,
  logger: Logger,
  onSearchSource?: (source: SearchSource) => void,
): Promise<{ dir: string; data: ServingData }> {
  const dir = await movieLensDir(config, logger);
  const data = await loadServingData({
    dataDir: dir,
    snapshotPath: config.SNAPSHOT ? snapshotPath(config) : null,
    strategy: config.RECOMMENDER_STRATEGY,
    modelCacheDir: config.CACHE_DIR,
    onModelProgress: (event) => logTraining(logger, event),
    onEvent: (event) => logSnapshot(logger, event),
    ...(onSearchSource ? { onSearchSource } : {}),
  });
  return { dir, data };
}

/**
 * `npm run snapshot`: builds the start-up snapshot from the CSV files now (downloading MovieLens
 * first if need be), whatever snapshot is there, so a Docker image or a deploy can ship it.
 */
export async function writeStartupSnapshot(config: Config, logger: Logger): Promise<string> {
  const path = snapshotPath(config);
  await buildSnapshot({
    dataDir: await movieLensDir(config, logger),
    snapshotPath: path,
    strategy: config.RECOMMENDER_STRATEGY,
    modelCacheDir: config.CACHE_DIR,
    onModelProgress: (event) => logTraining(logger, event),
    onEvent: (event) => {
      logSnapshot(logger, event);
      if (event.kind === "write-failed")
        throw new Error(`could not write ${path}: ${event.message}`);
    },
  });
  return path;
}

async function movieLensDir(config: Config, logger: Logger): Promise<string> {
  if (config.MOVIELENS_DIR) return config.MOVIELENS_DIR;
  const progress = createProgress("Downloading MovieLens ml-latest-small", {
    log: (line) => logger.info(line),
  });
  try {
    return await ensureMovieLens({
      dir: DEFAULT_MOVIELENS_DIR,
      url: config.MOVIELENS_URL,
      onProgress: progress,
    });
  } catch (error) {
    if (!isMoviebotError(error) || error.code !== "download_failed") throw error;
    throw new MoviebotError(
      "download_failed",
      `MovieLens could not be downloaded from MOVIELENS_URL=${config.MOVIELENS_URL} (${error.message}): ` +
        "set MOVIELENS_DIR to an existing ml-latest-small folder, or MOVIELENS_URL to a reachable copy",
      { cause: error },
    );
  } finally {
    progress.stop();
  }
}

function logSnapshot(logger: Logger, event: SnapshotEvent): void {
  switch (event.kind) {
    case "loaded":
      logger.info({ path: event.path, bytes: event.bytes, ms: event.ms }, "snapshot loaded");
      break;
    case "missing":
      logger.info({ path: event.path }, "no snapshot yet: loading the CSV files, then writing one");
      break;
    case "unusable":
      logger.warn(
        { path: event.path, reason: event.reason, detail: event.message },
        "snapshot not used; rebuilding it from the CSV files",
      );
      break;
    case "written":
      logger.info({ path: event.path, bytes: event.bytes, ms: event.ms }, "snapshot written");
      break;
    case "write-failed":
      logger.warn({ path: event.path, reason: event.message }, "could not write the snapshot");
      break;
  }
}

/** Training and cache events of the embedded recommender, as log lines. */
export function logTraining(logger: Logger, event: RecommenderProgress): void {
  switch (event.phase) {
    case "train":
      logger.info(`training the recommender: iteration ${event.iteration} of ${event.iterations}`);
      break;
    case "cache-hit":
      logger.info({ path: event.path }, "recommender model loaded from cache");
      break;
    case "trained":
      logger.info({ seconds: event.seconds }, "recommender trained");
      break;
    case "saved":
      logger.info({ path: event.path }, "recommender model cached");
      break;
    case "cache-write-failed":
      logger.warn({ reason: event.message }, "could not cache the recommender model");
      break;
    case "items-cache-hit":
      logger.info({ path: event.path }, "item-neighbour table loaded from cache");
      break;
    case "items-built":
      logger.info({ seconds: event.seconds, pairs: event.pairs }, "item-neighbour table built");
      break;
    case "items-saved":
      logger.info({ path: event.path }, "item-neighbour table cached");
      break;
    case "items-cache-write-failed":
      logger.warn({ reason: event.message }, "could not cache the item-neighbour table");
      break;
  }
}
