import { cacheKey, ModelCache } from "../adapters/files/model-cache.ts";
import type { Catalog } from "../catalog/catalog.ts";
import { type BlendData, type BlendOptions, DEFAULT_BLEND_OPTIONS } from "./blended-scores.ts";
import { type TopBlended, topBlended } from "./blended-top.ts";
import { FactorScorer } from "./factor-scorer.ts";
import {
  type ItemModelProgress,
  itemModelFrom,
  loadOrBuildItemModel,
  sameRows,
} from "./item-model.ts";
import type { ItemNeighbourTable } from "./item-neighbours.ts";
import {
  DEFAULT_NEIGHBOUR_OPTIONS,
  type NeighbourOptions,
  scoreDefault,
} from "./liked-neighbours.ts";
import type { MatrixFactorizationModel } from "./mf-model.ts";
import { type PopularMovie, popularMovies } from "./popular.ts";
import { RatingIndex, type Sections } from "./rating-index.ts";
import { explainRows } from "./reasons.ts";
import type { Recommendation, Recommender, RecommendOptions, ScoredMovie } from "./recommender.ts";
import { reusedFloat64 } from "./scratch.ts";
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

/**
 * What the recommender serves from, built once from the catalogue: the rating index, the popular
 * list and the default strategy's item model. A snapshot stores it (`stateSections`) and worker
 * threads share it.
 */
export interface RecommenderState {
  index: RatingIndex;
  /** Movies passing the cold-start rule, best first (popular.ts). */
  popular: PopularMovie[];
  /** The default strategy's item model (item-model.ts); null for the other strategies. */
  items: BlendData | null;
  known: (movieId: number) => boolean;
}

/** How many liked movies to name in "because you liked …". */
const BECAUSE_MAX = 2;

/**
 * The embedded recommender. "reference" is the production design (similar users + WALS model, as
 * the BigQuery twin computes it); "default" is the better-scoring strategy served by default.
 */
export class LocalRecommender implements Recommender {
  readonly options: ServeOptions;
  /** Whether the catalogue knows a movieId: only known movies are recommended. */
  private readonly known: (movieId: number) => boolean;
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
  /** The scorers' options with this recommender's neighbour count: built once, not per request. */
  private readonly neighbourOptions: NeighbourOptions;
  private readonly blendOptions: BlendOptions;

  private constructor(
    state: RecommenderState,
    model: MatrixFactorizationModel | null,
    options: ServeOptions,
  ) {
    if (model === null && options.strategy === "reference")
      throw new Error("the reference strategy needs a factor model");
    if (state.items === null && options.strategy === "default")
      throw new Error("the default strategy needs its item model");
    this.known = state.known;
    this.options = options;
    const index = state.index;
    this.index = index;
    if (model) {
      const scorer = new FactorScorer(model);
      const modelUserOf = index.users.ids.map((id) => scorer.users.rowOf(id));
      this.factors = { scorer, modelUserOf };
    } else this.factors = null;
    this.popularList = state.popular;
    this.items = options.strategy === "default" ? state.items : null;
    this.neighbourOptions = {
      ...DEFAULT_NEIGHBOUR_OPTIONS,
      neighbours: options.neighbours ?? DEFAULT_NEIGHBOUR_OPTIONS.neighbours,
    };
    this.blendOptions = { ...DEFAULT_BLEND_OPTIONS, neighbours: this.neighbourOptions };
  }

  /**
   * The state for `strategy` from the catalogue: the index and popular list, and for "default"
   * the item model, loaded from or saved to the model cache in `cacheDir` (item-model.ts).
   */
  static async stateOf(
    catalog: Catalog,
    strategy: RecommenderStrategy,
    cacheDir: string | null,
    onProgress?: (event: ItemModelProgress) => void,
    itemTable?: ItemNeighbourTable,
  ): Promise<RecommenderState> {
    const index = new RatingIndex(catalog.ratings);
    let items: BlendData | null = null;
    if (strategy === "default") {
      items =
        itemTable && sameRows(itemTable.itemIds, index.items.ids)
          ? itemModelFrom(catalog, index, itemTable)
          : await loadOrBuildItemModel(catalog, index, cacheDir, undefined, onProgress);
    }
    return {
      index,
      popular: popularMovies(catalog.ratings),
      items,
      known: (id) => catalog.has(id),
    };
  }

  /**
   * The state as named typed arrays, for a snapshot: the rating index ("index.*"), the popular
   * list ("popular.*") and the strategy's precomputed tables ("strategy.default.*": the item
   * neighbours, series and genre bits).
   */
  static stateSections(state: RecommenderState): Sections {
    const sections: Sections = {};
    for (const [name, array] of Object.entries(state.index.sections())) {
      sections[`index.${name}`] = array;
    }
    sections["popular.movieId"] = Int32Array.from(state.popular, (p) => p.movieId);
    sections["popular.ratingCount"] = Int32Array.from(state.popular, (p) => p.ratingCount);
    sections["popular.meanRating"] = Float64Array.from(state.popular, (p) => p.meanRating);
    sections["popular.score"] = Float64Array.from(state.popular, (p) => p.score);
    const items = state.items;
    if (items) {
      const { table } = items;
      sections["strategy.default.table.itemIds"] = table.itemIds;
      sections["strategy.default.table.ptr"] = table.ptr;
      sections["strategy.default.table.cols"] = table.cols;
      sections["strategy.default.table.sims"] = table.sims;
      sections["strategy.default.table.likes"] = table.likes;
      sections["strategy.default.series"] = items.series;
      sections["strategy.default.genres"] = items.genres;
      sections["strategy.default.genreIdf"] = items.genreIdf;
    }
    return sections;
  }

  /** The state `stateSections` stored; `known` is the catalogue's. */
  static stateFromSections(
    sections: Sections,
    known: (movieId: number) => boolean,
  ): RecommenderState {
    const index: Sections = {};
    for (const [name, array] of Object.entries(sections)) {
      if (name.startsWith("index.")) index[name.slice("index.".length)] = array;
    }
    const at = <T>(name: string) => {
      const array = sections[name];
      if (!array) throw new Error(`snapshot section ${name} is missing`);
      return array as T;
    };
    const ids = at<Int32Array>("popular.movieId");
    const counts = at<Int32Array>("popular.ratingCount");
    const means = at<Float64Array>("popular.meanRating");
    const scores = at<Float64Array>("popular.score");
    const popular: PopularMovie[] = Array.from(ids, (movieId, i) => ({
      movieId,
      ratingCount: counts[i] as number,
      meanRating: means[i] as number,
      score: scores[i] as number,
    }));
    const ratingIndex = new RatingIndex(index);
    const items: BlendData | null = sections["strategy.default.series"]
      ? {
          index: ratingIndex,
          table: {
            itemIds: at<Int32Array>("strategy.default.table.itemIds"),
            ptr: at<Int32Array>("strategy.default.table.ptr"),
            cols: at<Int32Array>("strategy.default.table.cols"),
            sims: at<Float32Array>("strategy.default.table.sims"),
            likes: at<Int32Array>("strategy.default.table.likes"),
          },
          series: at<Int32Array>("strategy.default.series"),
          genres: at<Uint32Array>("strategy.default.genres"),
          genreIdf: at<Float64Array>("strategy.default.genreIdf"),
        }
      : null;
    return { index: ratingIndex, popular, items, known };
  }

  /**
   * A recommender over state built before (a snapshot, another thread); the reference strategy
   * needs its factor model (`model`), the others none.
   */
  static fromState(
    state: RecommenderState,
    options: ServeOptions,
    model: MatrixFactorizationModel | null = null,
  ): LocalRecommender {
    return new LocalRecommender(state, model, options);
  }

  /** The default strategy's item-neighbour table (plain typed arrays, for snapshots); else null. */
  get itemTable(): ItemNeighbourTable | null {
    return this.items?.table ?? null;
  }

  /** The state this recommender serves from. */
  get state(): RecommenderState {
    return { index: this.index, popular: this.popularList, items: this.items, known: this.known };
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
    const state = await LocalRecommender.stateOf(
      catalog,
      options.strategy,
      options.cacheDir,
      options.onProgress,
      options.itemTable,
    );
    return LocalRecommender.createFrom(catalog, state, options);
  }

  /** `create` over state built before (read from a snapshot, say). */
  static async createFrom(
    catalog: Catalog,
    state: RecommenderState,
    options: LocalRecommenderOptions,
  ): Promise<LocalRecommender> {
    const model =
      options.strategy === "reference" ? await loadOrTrain(catalog, state.index, options) : null;
    let items = state.items;
    if (options.strategy === "default" && items === null) {
      const table = options.itemTable;
      items =
        table && sameRows(table.itemIds, state.index.items.ids)
          ? itemModelFrom(catalog, state.index, table)
          : await loadOrBuildItemModel(
              catalog,
              state.index,
              options.cacheDir,
              undefined,
              options.onProgress,
            );
    }
    return new LocalRecommender({ ...state, items }, model, options);
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
      options.strategy !== "default"
        ? null
        : itemTable && sameRows(itemTable.itemIds, index.items.ids)
          ? itemModelFrom(catalog, index, itemTable)
          : itemModelFrom(catalog, index);
    const state: RecommenderState = {
      index,
      popular: popularMovies(catalog.ratings),
      items,
      known: (id) => catalog.has(id),
    };
    return new LocalRecommender(state, model, options);
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
      if (exclude.has(movie.movieId) || !this.known(movie.movieId)) continue;
      items.push({
        movieId: movie.movieId,
        score: movie.score,
        because: [],
        likedShare: this.likedShare(this.index.items.rowOf(movie.movieId)),
      });
    }
    return { strategy: "popular", items };
  }

  /** The share of all raters who liked the movie of this item row (0 for an unknown row). */
  private likedShare(row: number): number {
    const users = this.index.users.length;
    if (row < 0 || users === 0) return 0;
    return this.index.likerCount(row) / users;
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
    // Read to the end of this call and never kept: a work array reused across requests (both
    // scorers zero it).
    const out = reusedFloat64("recommend.scores", this.index.items.length);
    const likedSet = new Set(liked);
    const ids = this.index.items.ids;
    const skip = (row: number) => {
      const id = ids[row] as number;
      return likedSet.has(id) || !this.known(id);
    };
    const top = this.items
      ? topBlended(this.items, itemRows, this.blendOptions, limit, skip, out)
      : this.topDefault(itemRows, limit, skip, out);
    if (!top) return null;
    const rows = top.rows;
    const series = this.items?.series ?? null;
    const reasons = explainRows(this.index, series, rows, itemRows, BECAUSE_MAX);
    const items: ScoredMovie[] = rows.map((row, at) => {
      const why = reasons[at] as (typeof reasons)[number];
      const item: ScoredMovie = {
        movieId: ids[row] as number,
        score: top.scores[at] as number,
        because: why.because.map((r) => ids[r] as number),
        likedShare: this.likedShare(row),
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

  /** "neighbours": the best `limit` rows of scoreDefault, zero scores and `skip`'s excluded. */
  private topDefault(
    itemRows: readonly number[],
    limit: number,
    skip: (row: number) => boolean,
    out: Float64Array,
  ): TopBlended | null {
    const scores = scoreDefault(this.index, itemRows, this.neighbourOptions, out);
    if (!scores) return null;
    const rows = topN(scores, limit, (row) => scores[row] === 0 || skip(row));
    return { rows, scores: rows.map((row) => scores[row] as number) };
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
      return likedSet.has(id) || !this.known(id);
    });
    const likedRows = liked.map((id) => scorer.items.rowOf(id)).filter((r) => r >= 0);
    return {
      strategy: "personalized",
      items: rows.map((row) => ({
        movieId: ids[row] as number,
        score: scores[row] as number,
        because: factorReasons(scorer, row, likedRows),
        likedShare: this.likedShare(this.index.items.rowOf(ids[row] as number)),
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
