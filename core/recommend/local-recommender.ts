import { cacheKey, ModelCache } from "../adapters/files/model-cache.ts";
import type { Catalog } from "../catalog/catalog.ts";
import { FactorScorer } from "./factor-scorer.ts";
import { DEFAULT_NEIGHBOUR_OPTIONS, likedReasons, scoreDefault } from "./liked-neighbours.ts";
import type { MatrixFactorizationModel } from "./mf-model.ts";
import { type PopularMovie, popularMovies } from "./popular.ts";
import { RatingIndex, type Sections } from "./rating-index.ts";
import type { Recommendation, Recommender, RecommendOptions, ScoredMovie } from "./recommender.ts";
import { similarUsers } from "./similar-users.ts";
import { topN } from "./top-n.ts";
import { trainWals } from "./wals-trainer.ts";

export type RecommenderStrategy = "default" | "reference";

export type RecommenderProgress =
  | { phase: "cache-hit"; path: string }
  | { phase: "train"; iteration: number; iterations: number }
  | { phase: "trained"; seconds: number }
  | { phase: "saved"; path: string }
  | { phase: "cache-write-failed"; message: string };

export interface ServeOptions {
  strategy: RecommenderStrategy;
  /** Similar users the reference method aggregates over. */
  k: number;
  /** Neighbours the default strategy draws on (liked-neighbours.ts); 50 when omitted. */
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
  onProgress?: (event: RecommenderProgress) => void;
  signal?: AbortSignal;
}

export interface RecommenderState {
  index: RatingIndex;
  /** Movies passing the cold-start rule, best first (popular.ts). */
  popular: PopularMovie[];
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

  private constructor(
    state: RecommenderState,
    model: MatrixFactorizationModel | null,
    options: ServeOptions,
  ) {
    if (model === null && options.strategy === "reference")
      throw new Error("the reference strategy needs a factor model");
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
  }

  /**
   * What the recommender serves from, built once from the catalogue: the rating index and the
   * popular list. A snapshot stores it and worker threads share it (see `fromState`).
   */
  static stateOf(catalog: Catalog): RecommenderState {
    return {
      index: new RatingIndex(catalog.ratings),
      popular: popularMovies(catalog.ratings),
      known: (id) => catalog.has(id),
    };
  }

  /**
   * The state as named typed arrays, for a snapshot: the rating index ("index.*"), the popular list
   * ("popular.*"), and whatever the strategy precomputes ("strategy.<name>.*"; the current default
   * precomputes nothing beyond the index).
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
    const column = (name: string) => {
      const array = sections[`popular.${name}`];
      if (!array) throw new Error(`snapshot section popular.${name} is missing`);
      return array;
    };
    const [ids, counts, means, scores] = ["movieId", "ratingCount", "meanRating", "score"].map(
      column,
    ) as [Int32Array, Int32Array, Float64Array, Float64Array];
    const popular: PopularMovie[] = Array.from(ids, (movieId, i) => ({
      movieId,
      ratingCount: counts[i] as number,
      meanRating: means[i] as number,
      score: scores[i] as number,
    }));
    return { index: new RatingIndex(index), popular, known };
  }

  /** A model-free recommender (the default strategy) over state built before. */
  static fromState(state: RecommenderState, options: ServeOptions): LocalRecommender {
    return new LocalRecommender(state, null, options);
  }

  /** The state this recommender serves from. */
  get state(): RecommenderState {
    return { index: this.index, popular: this.popularList, known: this.known };
  }

  /**
   * For "reference": loads the cached model for this data and these options, or trains one and
   * caches it. The default strategy never reads a model, so it starts without training (minutes
   * saved at 25M ratings).
   */
  static async create(
    catalog: Catalog,
    options: LocalRecommenderOptions,
  ): Promise<LocalRecommender> {
    return LocalRecommender.createFrom(catalog, LocalRecommender.stateOf(catalog), options);
  }

  /** `create` over state built before (read from a snapshot, say). */
  static async createFrom(
    catalog: Catalog,
    state: RecommenderState,
    options: LocalRecommenderOptions,
  ): Promise<LocalRecommender> {
    const model =
      options.strategy === "reference" ? await loadOrTrain(catalog, state.index, options) : null;
    return new LocalRecommender(state, model, options);
  }

  /** Serves an existing model, e.g. one read from BigQuery ML's ML.WEIGHTS. */
  static fromModel(
    catalog: Catalog,
    model: MatrixFactorizationModel,
    options: ServeOptions,
  ): LocalRecommender {
    return new LocalRecommender(LocalRecommender.stateOf(catalog), model, options);
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
        : this.neighbours(liked, limit);
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

  /** Default strategy: what the best-matching users who liked these movies also liked. */
  private neighbours(liked: readonly number[], limit: number): Recommendation | null {
    const itemRows = liked.map((id) => this.index.items.rowOf(id)).filter((r) => r >= 0);
    const scores = scoreDefault(this.index, itemRows, {
      ...DEFAULT_NEIGHBOUR_OPTIONS,
      neighbours: this.options.neighbours ?? DEFAULT_NEIGHBOUR_OPTIONS.neighbours,
    });
    if (!scores) return null;
    const likedSet = new Set(liked);
    const ids = this.index.items.ids;
    const rows = topN(scores, limit, (row) => {
      const id = ids[row] as number;
      return scores[row] === 0 || likedSet.has(id) || !this.known(id);
    });
    const items: ScoredMovie[] = rows.map((row) => ({
      movieId: ids[row] as number,
      score: scores[row] as number,
      because: likedReasons(this.index, row, itemRows, BECAUSE_MAX).map((r) => ids[r] as number),
    }));
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
      return likedSet.has(id) || !this.known(id);
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
