import type { BigQuery } from "@google-cloud/bigquery";
import { MoviebotError } from "../../errors.ts";
import type { FactorTable, MatrixFactorizationModel } from "../../recommend/mf-model.ts";
import { SqlLoader } from "../../sql/sql-loader.ts";
import { runBigQuery } from "./bigquery-query.ts";

/** One row of ML.WEIGHTS for a matrix_factorization model (sql/export_weights.sql). */
export interface WeightsRow {
  /** "userId" or "movieId" (the model's user_col / item_col). */
  processed_input: string;
  /** The id, as BigQuery ML keeps it: a string. */
  feature: string | number | null;
  factor_weights: { factor: number; weight: number }[] | null;
  /** Implicit WALS keeps none: null. */
  intercept: number | null;
}

export interface WeightsMeta {
  trainedAt?: string;
  options?: Record<string, number | string>;
  userColumn?: string;
  itemColumn?: string;
}

/**
 * Turns ML.WEIGHTS rows into the core's model, so a BigQuery-trained model can be served in-process
 * (LocalRecommender.fromModel). Factor numbers are mapped to columns in ascending order; rows are
 * sorted by id so the same export always gives the same arrays.
 */
export function modelFromWeightsRows(
  rows: Iterable<WeightsRow>,
  meta: WeightsMeta = {},
): MatrixFactorizationModel {
  const userColumn = meta.userColumn ?? "userId";
  const itemColumn = meta.itemColumn ?? "movieId";
  const users: ParsedRow[] = [];
  const items: ParsedRow[] = [];
  const factorNumbers = new Set<number>();
  let globalIntercept = 0;

  for (const row of rows) {
    if (/global__intercept/i.test(row.processed_input)) {
      globalIntercept = Number(row.intercept ?? 0);
      continue;
    }
    const target =
      row.processed_input === userColumn
        ? users
        : row.processed_input === itemColumn
          ? items
          : undefined;
    if (!target) {
      throw new MoviebotError(
        "data_malformed",
        `ML.WEIGHTS row for unexpected input ${JSON.stringify(row.processed_input)} (expected ${userColumn} or ${itemColumn})`,
      );
    }
    const id = Number(row.feature);
    if (!Number.isInteger(id)) {
      throw new MoviebotError("data_malformed", `ML.WEIGHTS feature is not an id: ${row.feature}`);
    }
    const weights = row.factor_weights ?? [];
    // Every row carries the same factor numbers; collecting them from each is cheap insurance.
    for (const fw of weights) factorNumbers.add(fw.factor);
    target.push({ id, weights, intercept: Number(row.intercept ?? 0) });
  }

  const factorColumn = new Map([...factorNumbers].sort((a, b) => a - b).map((f, i) => [f, i]));
  const dim = factorColumn.size;
  if (dim === 0 || users.length === 0 || items.length === 0) {
    throw new MoviebotError(
      "data_malformed",
      `ML.WEIGHTS export is empty or incomplete (${users.length} users, ${items.length} items, ${dim} factors)`,
    );
  }
  return {
    dim,
    users: toFactorTable(users, factorColumn, dim),
    items: toFactorTable(items, factorColumn, dim),
    globalIntercept,
    meta: {
      source: "bigquery",
      trainedAt: meta.trainedAt ?? new Date().toISOString(),
      options: meta.options ?? {},
    },
  };
}

interface ParsedRow {
  id: number;
  weights: { factor: number; weight: number }[];
  intercept: number;
}

function toFactorTable(
  rows: ParsedRow[],
  factorColumn: Map<number, number>,
  dim: number,
): FactorTable {
  rows.sort((a, b) => a.id - b.id);
  const ids = new Int32Array(rows.length);
  const factors = new Float32Array(rows.length * dim);
  const intercepts = new Float32Array(rows.length);
  rows.forEach((row, r) => {
    if (r > 0 && rows[r - 1]?.id === row.id) {
      throw new MoviebotError("data_malformed", `ML.WEIGHTS has id ${row.id} twice`);
    }
    ids[r] = row.id;
    intercepts[r] = row.intercept;
    const base = r * dim;
    for (const { factor, weight } of row.weights) {
      factors[base + (factorColumn.get(factor) as number)] = weight;
    }
  });
  return { ids, factors, intercepts };
}

export interface BigQueryWeightsSourceOptions {
  client: BigQuery;
  dataset: string;
  model: string;
  location?: string;
  /** The export reads every factor row; it runs in the background, so it gets a generous budget. */
  timeoutMs?: number;
  /** Recorded in the model's meta (the training options used by bigquery:setup). */
  trainingOptions?: Record<string, number | string>;
  sql?: SqlLoader;
}

/** Runs the ML.WEIGHTS export and returns the model in the core's format. */
export class BigQueryWeightsSource {
  private readonly options: BigQueryWeightsSourceOptions;
  private readonly sql: SqlLoader;

  constructor(options: BigQueryWeightsSourceOptions) {
    this.options = options;
    this.sql = options.sql ?? new SqlLoader();
  }

  async load(signal?: AbortSignal): Promise<MatrixFactorizationModel> {
    const { client, dataset, model, location } = this.options;
    const rows = await runBigQuery<WeightsRow>(
      client,
      this.sql.render("export_weights", { dataset, model }),
      {
        timeoutMs: this.options.timeoutMs ?? 300_000,
        labels: { app: "moviebot", purpose: "export-weights" },
        ...(location ? { location } : {}),
        ...(signal ? { signal } : {}),
      },
    );
    return modelFromWeightsRows(rows, { options: this.options.trainingOptions ?? {} });
  }
}

export interface WeightsRefresherOptions {
  source: Pick<BigQueryWeightsSource, "load">;
  /** BIGQUERY_WEIGHTS_REFRESH_MINUTES. */
  intervalMs: number;
  /** Called with each freshly exported model (the composition root swaps the served recommender). */
  onModel: (model: MatrixFactorizationModel) => void;
  /** A failed refresh keeps the previous model; it is only reported. */
  onError?: (error: unknown) => void;
}

/**
 * Keeps the in-process copy of the BigQuery model fresh: one export at start, then one every
 * interval. If the first export fails, start() throws (the caller serves something else meanwhile)
 * but the schedule keeps trying; stop() ends it. The timer is unref'd so it never holds the process
 * open.
 */
export class WeightsRefresher {
  private readonly options: WeightsRefresherOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(options: WeightsRefresherOptions) {
    this.options = options;
  }

  async start(): Promise<MatrixFactorizationModel> {
    this.timer = setInterval(() => void this.refresh(), this.options.intervalMs);
    this.timer.unref();
    const model = await this.options.source.load(this.abort.signal);
    this.options.onModel(model);
    return model;
  }

  /** One refresh now; concurrent calls share the one in flight. */
  refresh(): Promise<void> {
    this.running ??= this.options.source
      .load(this.abort.signal)
      .then(
        (model) => this.options.onModel(model),
        (error: unknown) => this.options.onError?.(error),
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  stop(): void {
    clearInterval(this.timer);
    this.abort.abort();
  }
}
