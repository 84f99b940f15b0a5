import { cacheKey, ModelCache } from "../adapters/files/model-cache.ts";
import type { Catalog } from "../catalog/catalog.ts";
import { type BlendData, DEFAULT_BLEND_OPTIONS, scoreBlended } from "./blended-scores.ts";
import { FactorScorer } from "./factor-scorer.ts";
import {
  type ItemModelProgress,
  itemModelFrom,
  loadOrBuildItemModel,
  sameRows,
} from "./item-model.ts";
import type { ItemNeighbourTable } from "./item-neighbours.ts";
import { DEFAULT_NEIGHBOUR_OPTIONS, scoreDefault } from "./liked-neighbours.ts";
import type { MatrixFactorizationModel } from "./mf-model.ts";
import { type PopularMovie, popularMovies } from "./popular.ts";
import { RatingIndex } from "./rating-index.ts";
import { explainRow } from "./reasons.ts";
import type { Recommendation, Recommender, RecommendOptions, ScoredMovie } from "./recommender.ts";
import { similarUsers } from "./similar-users.ts";
import { topN } from "./top-n.ts";
import { trainWals } from "./wals-trainer.ts";

/**
 * "default": item and user neighbours blended, with series and genre coherence (blended-scores.ts);
 * "neighbours": the user neighbours alone (the default until issue 10); "reference": the course's
 * similar users + matrix factorization, as BigQuery computes it.
 */
export type RecommenderStrategy = "default" | "neighbours" | "reference";
export const RECOMMENDER_STRATEGIES = ["default", "neighbours", "reference"] as const;

export type RecommenderProgress =
  | ItemModelProgress
  | { phase: "cache-hit"; path: string }
  | { phase: "train"; iteration: number; iterations: number }
  | { phase: "trained"; seconds: number }
  | { phase: "saved"; path: string }
  | { phase: "cache-write-failed"; message: string };

export interface ServeOptions {
  strategy: RecommenderStrategy;
  /** Similar users the reference method aggregates over. */
  k: number;
  /** Users the default and neighbours strategies draw on (liked-neighbours.ts); 50 when omitted. */
  neighbours?: number;
}

export interface LocalRecommenderOptions extends ServeOptions {
  /** WALS training options: see wals-trainer.ts. */
  factors: number;
  alpha: number;
  lambda: number;
  iterations: number;
  /** Where trained models are cached; null disables the cache. */
  cacheDir: string | null;
  seed?: number;
  /**
   * A ready item-neighbour table (e.g. from a start-up snapshot: deserializeItemNeighbours); used
   * when its rows match this data, otherwise the cache or a build answers.
   */
  itemTable?: ItemNeighbourTable;
  onProgress?: (event: RecommenderProgress) => void;
  signal?: AbortSignal;
}

/** How many liked movies to name in "because you liked …". */
const BECAUSE_MAX = 2;

/**
 * The embedded recommender. "reference" is the production design (similar users + WALS model, as
 * the BigQuery twin computes it); "default" is the better-scoring strategy served by default.
 */
export class LocalRecommender implements Recommender {
  readonly options: ServeOptions;
  private readonly catalog: Catalog;
  private readonly index: RatingIndex;
  /** The factor model and its user-row map; null when the strategy needs no model. */
  private readonly factors: {
    scorer: FactorScorer;
    /** Rating-index user row → model user row, or -1 when the model lacks the user. */
    modelUserOf: Int32Array;
  } | null;
  private readonly popularList: PopularMovie[];
  /** The default strategy's item model; null for the other strategies. */
  private readonly items: BlendData | null;

  private constructor(
    catalog: Catalog,
    model: MatrixFactorizationModel | null,
    options: ServeOptions,
    index = new RatingIndex(catalog.ratings),
    items: BlendData | null = null,
  ) {
    if (model === null && options.strategy === "reference")
      throw new Error("the reference strategy needs a factor model");
    this.catalog = catalog;
    this.options = options;
    this.index = index;
    if (model) {
      const scorer = new FactorScorer(model);
      const modelUserOf = index.users.ids.map((id) => scorer.users.rowOf(id));
      this.factors = { scorer, modelUserOf };
    } else this.factors = null;
    this.popularList = popularMovies(catalog.ratings);
    this.items = options.strategy === "default" ? (items ?? itemModelFrom(catalog, index)) : null;
  }

  /**
   * For "reference": loads the cached model for this data and these options, or trains one and
   * caches it. For "default": loads or builds the item-neighbour table the same way. Neither the
   * default nor the neighbours strategy trains a factor model (minutes saved at 25M ratings).
   */
  static async create(
    catalog: Catalog,
    options: LocalRecommenderOptions,
  ): Promise<LocalRecommender> {
    const index = new RatingIndex(catalog.ratings);
    const model =
      options.strategy === "reference" ? await loadOrTrain(catalog, index, options) : null;
    const snapshot = options.itemTable;
    let items: BlendData | null = null;
    if (options.strategy === "default") {
      items =
        snapshot && sameRows(snapshot.itemIds, index.items.ids)
          ? itemModelFrom(catalog, index, snapshot)
          : await loadOrBuildItemModel(
              catalog,
              index,
              options.cacheDir,
              undefined,
              options.onProgress,
            );
    }
    return new LocalRecommender(catalog, model, options, index, items);
  }

  /** Serves an existing model, e.g. one read from BigQuery ML's ML.WEIGHTS. */
  static fromModel(
    catalog: Catalog,
    model: MatrixFactorizationModel,
    options: ServeOptions,
    itemTable: ItemNeighbourTable | null = null,
  ): LocalRecommender {
    const index = new RatingIndex(catalog.ratings);
    const items =
      options.strategy === "default" && itemTable && sameRows(itemTable.itemIds, index.items.ids)
        ? itemModelFrom(catalog, index, itemTable)
        : null;
    return new LocalRecommender(catalog, model, options, index, items);
  }

  /** The default strategy's item-neighbour table (plain typed arrays, for snapshots); else null. */
  get itemTable(): ItemNeighbourTable | null {
    return this.items?.table ?? null;
  }

  async recommend(
    liked: readonly number[],
    limit: number,
    options: RecommendOptions = {},
  ): Promise<Recommendation> {
    options.signal?.throwIfAborted();
    if (liked.length === 0) return this.popular(limit, options);
    const result =
      this.options.strategy === "reference"
        ? this.reference(liked, limit)
        : this.personal(liked, limit);
    return result ?? this.popularExcluding(new Set(liked), limit);
  }

  async popular(limit: number, options: RecommendOptions = {}): Promise<Recommendation> {
    options.signal?.throwIfAborted();
    return this.popularExcluding(new Set(), limit);
  }

  private popularExcluding(exclude: ReadonlySet<number>, limit: number): Recommendation {
    const items: ScoredMovie[] = [];
    for (const movie of this.popularList) {
      if (items.length >= limit) break;
      if (exclude.has(movie.movieId) || !this.catalog.has(movie.movieId)) continue;
      items.push({ movieId: movie.movieId, score: movie.score, because: [] });
    }
    return { strategy: "popular", items };
  }

  /**
   * The reference method: top-k similar users (similar-users.ts), the mean of their predicted
   * scores over every movie, liked movies excluded. Null when nobody liked any of the movies.
   */
  private reference(liked: readonly number[], limit: number): Recommendation | null {
    // The constructor refuses "reference" without a model.
    const { scorer, modelUserOf } = this.factors as NonNullable<typeof this.factors>;
    const itemRows = liked.map((id) => this.index.items.rowOf(id)).filter((r) => r >= 0);
    const users = similarUsers(this.index, itemRows, this.options.k);
    const modelUsers = users.map((u) => modelUserOf[u.userRow] as number).filter((r) => r >= 0);
    if (modelUsers.length === 0) return null;
    const { vector, intercept } = scorer.meanUser(modelUsers);
    return this.rank(scorer, scorer.scoreAll(vector, intercept), liked, limit);
  }

  /**
   * "default": the blend of item and user neighbours (blended-scores.ts); "neighbours": what the
   * best-matching users who liked these movies also liked (liked-neighbours.ts).
   */
  private personal(liked: readonly number[], limit: number): Recommendation | null {
    const itemRows = liked.map((id) => this.index.items.rowOf(id)).filter((r) => r >= 0);
    const neighbours = {
      ...DEFAULT_NEIGHBOUR_OPTIONS,
      neighbours: this.options.neighbours ?? DEFAULT_NEIGHBOUR_OPTIONS.neighbours,
    };
    const scores = this.items
      ? scoreBlended(this.items, itemRows, { ...DEFAULT_BLEND_OPTIONS, neighbours })
      : scoreDefault(this.index, itemRows, neighbours);
    if (!scores) return null;
    const likedSet = new Set(liked);
    const ids = this.index.items.ids;
    const rows = topN(scores, limit, (row) => {
      const id = ids[row] as number;
      return scores[row] === 0 || likedSet.has(id) || !this.catalog.has(id);
    });
    const series = this.items?.series ?? null;
    const items: ScoredMovie[] = rows.map((row) => {
      const why = explainRow(this.index, series, row, itemRows, BECAUSE_MAX);
      const item: ScoredMovie = {
        movieId: ids[row] as number,
        score: scores[row] as number,
        because: why.because.map((r) => ids[r] as number),
      };
      if (why.series >= 0) item.series = ids[why.series] as number;
      if (why.lovedShare !== null) item.lovedShare = why.lovedShare;
      return item;
    });
    // Few neighbours may like fewer movies than asked for: top up with popular picks at score 0.
    if (items.length < limit) {
      const taken = new Set([...liked, ...items.map((i) => i.movieId)]);
      const extra = this.popularExcluding(taken, limit - items.length).items;
      items.push(...extra.map((i) => ({ ...i, score: 0 })));
    }
    return { strategy: "personalized", items };
  }

  /** Top `limit` model rows by score, liked and unknown movies excluded, with their reasons. */
  private rank(
    scorer: FactorScorer,
    scores: Float64Array,
    liked: readonly number[],
    limit: number,
  ): Recommendation {
    const likedSet = new Set(liked);
    const ids = scorer.items.ids;
    const rows = topN(scores, limit, (row) => {
      const id = ids[row] as number;
      return likedSet.has(id) || !this.catalog.has(id);
    });
    const likedRows = liked.map((id) => scorer.items.rowOf(id)).filter((r) => r >= 0);
    return {
      strategy: "personalized",
      items: rows.map((row) => ({
        movieId: ids[row] as number,
        score: scores[row] as number,
        because: factorReasons(scorer, row, likedRows),
      })),
    };
  }
}

/** The liked movies whose item factors point most the same way as the pick's. */
function factorReasons(scorer: FactorScorer, row: number, likedRows: readonly number[]): number[] {
  return likedRows
    .map((liked) => ({ liked, sim: scorer.itemCosine(row, liked) }))
    .filter((c) => c.sim > 0)
    .sort((a, b) => b.sim - a.sim)
    .slice(0, BECAUSE_MAX)
    .map((c) => scorer.items.ids[c.liked] as number);
}

async function loadOrTrain(
  catalog: Catalog,
  index: RatingIndex,
  options: LocalRecommenderOptions,
): Promise<MatrixFactorizationModel> {
  const training = {
    factors: options.factors,
    alpha: options.alpha,
    lambda: options.lambda,
    iterations: options.iterations,
    seed: options.seed ?? 42,
  };
  const cache = options.cacheDir === null ? null : new ModelCache(options.cacheDir);
  const key = cacheKey(catalog.checksum, training);
  const cached = await cache?.loadModel(key);
  if (cache && cached) {
    options.onProgress?.({ phase: "cache-hit", path: cache.pathOf("mf", key) });
    return cached;
  }
  const started = performance.now();
  const model = await trainWals(index, training, {
    signal: options.signal,
    onIteration: (p) => options.onProgress?.({ phase: "train", ...p }),
  });
  model.meta.dataChecksum = catalog.checksum;
  options.onProgress?.({ phase: "trained", seconds: (performance.now() - started) / 1000 });
  if (cache) {
    // A read-only or full disk costs a retrain next start, never this start.
    try {
      await cache.saveModel(key, model);
      options.onProgress?.({ phase: "saved", path: cache.pathOf("mf", key) });
    } catch (error) {
      options.onProgress?.({ phase: "cache-write-failed", message: String(error) });
    }
  }
  return model;
}
