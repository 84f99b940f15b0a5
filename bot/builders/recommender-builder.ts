import type { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import { foldOffThread } from "../../core/adapters/threads/threaded-fold.ts";
import { ThreadedRecommender } from "../../core/adapters/threads/threaded-recommender.ts";
import type { Catalog } from "../../core/catalog/catalog.ts";
import { fitsBeside, memberRowsOf, popularOfIndex } from "../../core/members/member-index.ts";
import { foldMemberLikes, memberRatings } from "../../core/members/member-ratings.ts";
import type { MemberLike, TasteStore } from "../../core/members/taste-store.ts";
import { CachingRecommender } from "../../core/recommend/caching-recommender.ts";
import { FallbackRecommender } from "../../core/recommend/fallback-recommender.ts";
import { itemModelFrom } from "../../core/recommend/item-model.ts";
import type { ItemNeighbourTable } from "../../core/recommend/item-neighbours.ts";
import { LocalRecommender, type RecommenderState } from "../../core/recommend/local-recommender.ts";
import type { Recommender } from "../../core/recommend/recommender.ts";
import { SwappableRecommender } from "../../core/recommend/swappable-recommender.ts";
import type { Config } from "../config.ts";
import { startMembersRefresh } from "../members-refresh.ts";
import { logTraining } from "./serving-data.ts";

export type Closers = (() => Promise<void> | void)[];

export interface BuiltRecommender {
  /** What the cards ask: the configured backend, behind the answer cache when it is on. */
  recommender: Recommender;
  /** Hit and miss counts of the answer cache, when it is on. */
  stats?: { hits: number; misses: number };
  /**
   * Starts folding members' likes into the embedded recommender (now, off the event loop, and
   * every MEMBERS_REFRESH_MINUTES): called once the server answers, so a start with members is as
   * fast as one without. A no-op for BigQuery, which trains on its own ratings table.
   */
  foldMembers(store: TasteStore): void;
}

/**
 * The recommender RECOMMENDER_BACKEND names. The embedded one is always trained: it is the whole
 * answer by default, the fallback of BIGQUERY_SERVE=remote, and the first model of local-weights.
 * What needs stopping (threads, refreshers) is pushed onto `closers`.
 */
export async function buildRecommender(
  config: Config,
  logger: Logger,
  catalog: Catalog,
  state: RecommenderState,
  closers: Closers,
  /** Threads started before the data was loaded (startRecommendThreads): taken from the array. */
  startedThreads: Worker[] = [],
): Promise<BuiltRecommender> {
  const started = performance.now();
  const local = await LocalRecommender.createFrom(catalog, state, {
    ...recommenderOptions(config),
    cacheDir: config.CACHE_DIR,
    onProgress: (event) => logTraining(logger, event),
  });
  logger.info({ ms: Math.round(performance.now() - started) }, "embedded recommender ready");
  const embedded = offEventLoop(config, catalog, local, closers, startedThreads);
  const built = await chooseBackend(config, logger, catalog, embedded, closers, local.itemTable);
  // The embedded recommender learns from members too: their likes are folded into its data at
  // start-up and every MEMBERS_REFRESH_MINUTES (BigQuery trains on its own ratings table).
  const folding = config.RECOMMENDER_BACKEND === "local" ? new SwappableRecommender(built) : null;
  const backend = folding ?? built;
  const recommender =
    config.RECOMMEND_CACHE_SIZE > 0
      ? new CachingRecommender(backend, {
          size: config.RECOMMEND_CACHE_SIZE,
          ttlMs: config.RECOMMEND_CACHE_TTL_MS,
        })
      : backend;
  return {
    recommender,
    ...(recommender instanceof CachingRecommender ? { stats: recommender.stats } : {}),
    foldMembers(store) {
      if (!folding) return;
      const refresher = startMembersRefresh({
        store,
        build: (likes) => withMembers(config, catalog, local, embedded, likes),
        // The embedded recommender takes each refresh's members in place: never retired.
        swap: (next) => retire(folding.swap(next), next, embedded),
        minutes: config.MEMBERS_REFRESH_MINUTES,
        logger,
      });
      closers.push(() => refresher.stop());
    },
  };
}

/**
 * The embedded recommender over MovieLens's ratings and the members' likes. The members ride
 * beside the snapshot's index as raters of their own (memberRowsOf, RatingIndex.members): a few
 * MB, built in tens of milliseconds by each recommendation thread from the likes it is posted,
 * beside the base the threads share.
 * A like of a movie nobody rated changes the movie rows: then the index and the item-neighbour
 * table are built anew on a thread of its own (foldOffThread) and served by new threads. The
 * reference strategy trains its factor model on the folded catalogue, as at start-up.
 */
async function withMembers(
  config: Config,
  catalog: Catalog,
  local: LocalRecommender,
  embedded: Recommender,
  likes: readonly MemberLike[],
): Promise<Recommender> {
  if (local.options.strategy === "reference") {
    const refreshed = await LocalRecommender.create(foldMemberLikes(catalog, likes), {
      ...recommenderOptions(config),
      cacheDir: null,
    });
    return offEventLoop(config, catalog, refreshed, []);
  }
  const rows = memberRatings(likes.filter((like) => catalog.has(like.movieId)));
  const base = local.state;
  if (fitsBeside(base.index, rows)) {
    if (embedded instanceof ThreadedRecommender) {
      // Each thread builds the members' rows beside the base it shares: the event loop posts.
      embedded.setMembers(rows);
      return embedded;
    }
    const members = rows.length > 0 ? memberRowsOf(base.index, rows) : null;
    const index = base.index.withMembers(members);
    // No members left ("forget me"): the snapshot's own list, as at start-up.
    const popular = members ? popularOfIndex(index) : base.popular;
    // The item model is per movie row, which members do not change: the base's serves.
    const items = base.items ? { ...base.items, index } : null;
    return LocalRecommender.fromState({ ...base, index, popular, items }, local.options);
  }
  const folded = await foldOffThread(base.index, rows, local.itemTable?.itemIds ?? null);
  const items =
    base.items && !folded.table
      ? { ...base.items, index: folded.index }
      : folded.table
        ? itemModelFrom(catalog, folded.index, folded.table)
        : null;
  const state: RecommenderState = {
    index: folded.index,
    popular: folded.popular,
    items,
    known: base.known,
  };
  return offEventLoop(config, catalog, LocalRecommender.fromState(state, local.options), []);
}

/** The embedded recommender's strategy and training options, as the settings give them. */
export function recommenderOptions(config: Config) {
  return {
    strategy: config.RECOMMENDER_STRATEGY,
    k: config.RECOMMENDER_K,
    neighbours: config.RECOMMENDER_NEIGHBOURS,
    factors: config.MF_FACTORS,
    alpha: config.MF_ALPHA,
    lambda: config.MF_LAMBDA,
    iterations: config.MF_ITERATIONS,
  };
}

/** Stops the threads of a recommender swapped out (but `keep`'s), a grace period after the swap. */
function retire(previous: Recommender, next: Recommender, keep: Recommender): void {
  if (previous === next || previous === keep || !(previous instanceof ThreadedRecommender)) return;
  setTimeout(() => void previous.close(), 30_000).unref();
}

/**
 * The default and neighbours strategies on worker threads (RECOMMEND_THREADS), sharing the rating
 * index's memory: the event loop stays free for /healthz and keystrokes. The reference strategy
 * serves a factor model in process: its per-request work is a dot product per movie.
 */
function offEventLoop(
  config: Config,
  catalog: Catalog,
  local: LocalRecommender,
  closers: Closers,
  started: Worker[] = [],
): Recommender {
  if (config.RECOMMEND_THREADS === 0 || local.options.strategy === "reference") return local;
  const threaded = new ThreadedRecommender(
    local.state,
    Int32Array.from(catalog.movies, (m) => m.movieId),
    local.options,
    config.RECOMMEND_THREADS,
    started,
  );
  closers.push(() => threaded.close());
  return threaded;
}

async function chooseBackend(
  config: Config,
  logger: Logger,
  catalog: Catalog,
  local: Recommender,
  closers: Closers,
  itemTable: ItemNeighbourTable | null,
): Promise<Recommender> {
  if (config.RECOMMENDER_BACKEND !== "bigquery") return local;
  // BigQuery's client (and Google's auth library) only when it is the backend: a start without it
  // does not load them (part of what a cold start spends before /healthz, issue 18).
  const { bigQueryRecommenderFromConfig, weightsRefresherFromConfig } = await import(
    "./bigquery-builder.ts"
  );
  if (config.BIGQUERY_SERVE === "remote") {
    // Only the reference method has a SQL twin (docs/quality.md, "With BigQuery").
    if (config.RECOMMENDER_STRATEGY !== "reference") {
      logger.warn(
        { strategy: config.RECOMMENDER_STRATEGY },
        "BIGQUERY_SERVE=remote answers with the reference method; RECOMMENDER_STRATEGY applies to the embedded fallback only (BIGQUERY_SERVE=local-weights serves it)",
      );
    }
    return new FallbackRecommender({
      primary: bigQueryRecommenderFromConfig(config),
      fallback: local,
      onFallback: (error) => logger.warn({ err: error }, "BigQuery failed; embedded answer served"),
    });
  }
  // Hybrid: the BigQuery-trained model, exported through ML.WEIGHTS, served in-process.
  const swappable = new SwappableRecommender(local);
  const serve = recommenderOptions(config);
  const refresher = weightsRefresherFromConfig(
    config,
    (model) => {
      // The item-neighbour table depends on the ratings only: reuse it, do not rebuild it per model.
      swappable.swap(LocalRecommender.fromModel(catalog, model, serve, itemTable));
      logger.info(
        { users: model.users.ids.length, items: model.items.ids.length },
        "ML.WEIGHTS model loaded",
      );
    },
    (error) => logger.warn({ err: error }, "ML.WEIGHTS refresh failed; keeping the previous model"),
  );
  await refresher
    .start()
    .catch((error) =>
      logger.warn({ err: error }, "first ML.WEIGHTS export failed; retrying on schedule"),
    );
  closers.push(() => refresher.stop());
  return swappable;
}
