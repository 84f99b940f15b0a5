import type { BigQuery } from "@google-cloud/bigquery";
import { createBigQueryClient } from "../../core/adapters/bigquery/bigquery-client.ts";
import { BigQueryRecommender } from "../../core/adapters/bigquery/bigquery-recommender.ts";
import {
  BigQueryWeightsSource,
  WeightsRefresher,
} from "../../core/adapters/bigquery/bigquery-weights.ts";
import type { MatrixFactorizationModel } from "../../core/recommend/mf-model.ts";
import type { Config } from "../config.ts";

// The BigQuery adapters from validated config (also used by the admin scripts). The config's
// superRefine has already checked that the settings BigQuery needs are present.

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is required`);
  return value;
}

/** CREATE MODEL's matrix-factorization options, named as BigQuery ML names them. */
export function modelOptionsFromConfig(config: Config) {
  return {
    num_factors: config.MF_FACTORS,
    wals_alpha: config.MF_ALPHA,
    l2_reg: config.MF_LAMBDA,
    max_iterations: config.MF_ITERATIONS,
  };
}

/** Serving client: Application Default Credentials, no client retries (the caller has a fallback). */
export function bigQueryClientFromConfig(config: Config): BigQuery {
  return createBigQueryClient({
    projectId: required(config.BIGQUERY_PROJECT, "BIGQUERY_PROJECT"),
    location: config.BIGQUERY_LOCATION,
    ...(config.BIGQUERY_API_URL ? { apiEndpoint: config.BIGQUERY_API_URL } : {}),
  });
}

/** BIGQUERY_SERVE=remote: every recommendation is one BigQuery query. */
export function bigQueryRecommenderFromConfig(
  config: Config,
  client: BigQuery = bigQueryClientFromConfig(config),
): BigQueryRecommender {
  return new BigQueryRecommender({
    client,
    dataset: required(config.BIGQUERY_DATASET, "BIGQUERY_DATASET"),
    model: config.BIGQUERY_MODEL,
    location: config.BIGQUERY_LOCATION,
    k: config.RECOMMENDER_K,
    timeoutMs: config.BIGQUERY_TIMEOUT_MS,
  });
}

/**
 * BIGQUERY_SERVE=local-weights: exports ML.WEIGHTS at start and every
 * BIGQUERY_WEIGHTS_REFRESH_MINUTES; `onModel` receives each model (wrap it with
 * LocalRecommender.fromModel and swap it into a SwappableRecommender).
 */
export function weightsRefresherFromConfig(
  config: Config,
  onModel: (model: MatrixFactorizationModel) => void,
  onError: (error: unknown) => void,
  client: BigQuery = bigQueryClientFromConfig(config),
): WeightsRefresher {
  const source = new BigQueryWeightsSource({
    client,
    dataset: required(config.BIGQUERY_DATASET, "BIGQUERY_DATASET"),
    model: config.BIGQUERY_MODEL,
    location: config.BIGQUERY_LOCATION,
    trainingOptions: modelOptionsFromConfig(config),
  });
  return new WeightsRefresher({
    source,
    intervalMs: config.BIGQUERY_WEIGHTS_REFRESH_MINUTES * 60_000,
    onModel,
    onError,
  });
}
