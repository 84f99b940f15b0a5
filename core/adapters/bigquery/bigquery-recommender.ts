import type { BigQuery } from "@google-cloud/bigquery";
import { LRUCache } from "lru-cache";
import type {
  Recommendation,
  Recommender,
  RecommendOptions,
  ScoredMovie,
} from "../../recommend/recommender.ts";
import { SqlLoader } from "../../sql/sql-loader.ts";
import { type BigQueryRun, runBigQuery } from "./bigquery-query.ts";

export interface BigQueryRecommenderOptions {
  client: BigQuery;
  /** BIGQUERY_DATASET and BIGQUERY_MODEL: identifiers (validated by the config and again by the loader). */
  dataset: string;
  model: string;
  location?: string;
  /** How many similar users the recommendation averages over (RECOMMENDER_K). */
  k: number;
  /** BIGQUERY_TIMEOUT_MS: per query; past it the caller gets backend_timeout and falls back. */
  timeoutMs: number;
  /** Added to the job labels (app=moviebot and purpose are always set). */
  labels?: Record<string, string>;
  /** Cold-start rule and ranking; the defaults (10 ratings, mean 0.8, 25 pseudo-ratings) match the embedded list. */
  popular?: { minRatings?: number; minMean?: number; damping?: number };
  /**
   * How long the popular list is reused (default 10 minutes). It only changes when the ratings
   * are reloaded, and each query scans the whole ratings table: cold starts should not pay that.
   */
  popularTtlMs?: number;
  sql?: SqlLoader;
}

interface RecommendRow {
  movieId: number;
  score: number;
  because: number[] | null;
}

interface PopularRow {
  movieId: number;
  score: number;
}

// The popular list is fetched this long and sliced; longer requests bypass the cache.
const POPULAR_CACHED = 100;

/**
 * Recommendations computed in BigQuery: similar users in SQL, scores from the BigQuery ML
 * matrix_factorization model (sql/recommend_for_liked.sql), cold start from sql/popular_movies.sql
 * (cached). Each call is one jobs.query round trip; failures surface as backend_timeout /
 * backend_unavailable, which FallbackRecommender answers from the embedded recommender.
 */
export class BigQueryRecommender implements Recommender {
  private readonly options: BigQueryRecommenderOptions;
  private readonly sql: SqlLoader;
  // One entry; fetchMethod makes concurrent cold starts share a single query.
  private readonly popularCache: LRUCache<"popular", ScoredMovie[]>;

  constructor(options: BigQueryRecommenderOptions) {
    this.options = options;
    this.sql = options.sql ?? new SqlLoader();
    this.popularCache = new LRUCache<"popular", ScoredMovie[]>({
      max: 1,
      ttl: options.popularTtlMs ?? 10 * 60_000,
      fetchMethod: () => this.queryPopular(POPULAR_CACHED),
    });
  }

  async recommend(
    liked: readonly number[],
    limit: number,
    options: RecommendOptions = {},
  ): Promise<Recommendation> {
    if (liked.length === 0) return this.popular(limit, options);
    const { dataset, model, k } = this.options;
    const rows = await runBigQuery<RecommendRow>(
      this.options.client,
      this.sql.render("recommend_for_liked", { dataset, model }),
      this.run("recommend", options.signal, {
        params: { liked: [...liked], k, limit },
        types: { liked: ["INT64"], k: "INT64", limit: "INT64" },
      }),
    );
    if (rows.length > 0) return { strategy: "personalized", items: rows.map(toScoredMovie) };
    // Nobody rated these picks highly: like the embedded recommender, fall back to the popular
    // list without the picks themselves.
    const picks = new Set(liked);
    const popular = await this.popular(limit + picks.size, options);
    return {
      strategy: "popular",
      items: popular.items.filter((item) => !picks.has(item.movieId)).slice(0, limit),
    };
  }

  async popular(limit: number, options: RecommendOptions = {}): Promise<Recommendation> {
    options.signal?.throwIfAborted();
    const items =
      limit <= POPULAR_CACHED
        ? ((await this.popularCache.fetch("popular")) ?? []).slice(0, limit)
        : await this.queryPopular(limit, options.signal);
    return { strategy: "popular", items };
  }

  private async queryPopular(limit: number, signal?: AbortSignal): Promise<ScoredMovie[]> {
    const popular = this.options.popular ?? {};
    const rows = await runBigQuery<PopularRow>(
      this.options.client,
      this.sql.render("popular_movies", { dataset: this.options.dataset }),
      this.run("popular", signal, {
        params: {
          limit,
          min_ratings: popular.minRatings ?? 10,
          min_mean: popular.minMean ?? 0.8,
          damping: popular.damping ?? 25,
        },
        types: { limit: "INT64", min_ratings: "INT64", min_mean: "FLOAT64", damping: "FLOAT64" },
      }),
    );
    return rows.map((row) => ({
      movieId: Number(row.movieId),
      score: Number(row.score),
      because: [],
    }));
  }

  private run(
    purpose: string,
    signal: AbortSignal | undefined,
    query: Pick<BigQueryRun, "params" | "types">,
  ): BigQueryRun {
    const run: BigQueryRun = {
      ...query,
      timeoutMs: this.options.timeoutMs,
      labels: { ...this.options.labels, app: "moviebot", purpose },
    };
    if (this.options.location) run.location = this.options.location;
    if (signal) run.signal = signal;
    return run;
  }
}

function toScoredMovie(row: RecommendRow): ScoredMovie {
  return {
    movieId: Number(row.movieId),
    score: Number(row.score),
    because: (row.because ?? []).map(Number),
  };
}
