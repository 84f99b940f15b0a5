import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bigQueryRecommenderFromConfig,
  weightsRefresherFromConfig,
} from "../../../bot/builders/bigquery-builder.ts";
import { elasticsearchClientFromConfig } from "../../../bot/builders/elasticsearch-builder.ts";
import { loadConfig } from "../../../bot/config.ts";
import type { MatrixFactorizationModel } from "../../../core/recommend/mf-model.ts";
import type { Recommendation, Recommender } from "../../../core/recommend/recommender.ts";
import { SwappableRecommender } from "../../../core/recommend/swappable-recommender.ts";
import { FakeBigQuery, ML_WEIGHTS_FIELDS, parametersOf } from "../../support/fake-bigquery.ts";

let fake: FakeBigQuery;
beforeAll(async () => {
  fake = await FakeBigQuery.start();
});
afterAll(async () => {
  await fake.close();
});

const config = loadConfig({
  RECOMMENDER_BACKEND: "bigquery",
  BIGQUERY_PROJECT: "test-project",
  BIGQUERY_DATASET: "prod_movies",
  BIGQUERY_MODEL: "mf_2026",
  BIGQUERY_LOCATION: "europe-west1",
  BIGQUERY_TIMEOUT_MS: "1500",
  RECOMMENDER_K: "12",
});

describe("backends built from config", () => {
  it("queries the configured dataset and model with RECOMMENDER_K and BIGQUERY_TIMEOUT_MS", async () => {
    fake.answer = () => ({
      fields: [
        { name: "movieId", type: "INTEGER" },
        { name: "score", type: "FLOAT" },
        { name: "because", type: "INTEGER", mode: "REPEATED" },
      ],
      rows: [{ movieId: 2, score: 0.5, because: [1] }],
    });
    await bigQueryRecommenderFromConfig(config, fake.client()).recommend([1], 5);
    const query = fake.queries.at(-1);
    expect(query?.query).toContain("ML.RECOMMEND(MODEL prod_movies.mf_2026");
    expect(parametersOf(query as never).k).toEqual({ type: "INT64", value: "12" });
    expect(query?.timeoutMs).toBe(1500);
    expect(query?.location).toBe("europe-west1");
  });

  it("hands each exported model to the hybrid's callback", async () => {
    fake.answer = () => ({
      fields: ML_WEIGHTS_FIELDS,
      rows: [
        {
          processed_input: "userId",
          feature: "1",
          factor_weights: [{ factor: 1, weight: 0.5 }],
          intercept: null,
        },
        {
          processed_input: "movieId",
          feature: "9",
          factor_weights: [{ factor: 1, weight: 2 }],
          intercept: null,
        },
      ],
    });
    const models: MatrixFactorizationModel[] = [];
    const refresher = weightsRefresherFromConfig(
      config,
      (m) => models.push(m),
      () => {},
      fake.client(),
    );
    await refresher.start();
    refresher.stop();
    expect(models).toHaveLength(1);
    expect(models[0]?.meta).toMatchObject({ source: "bigquery", options: { num_factors: 32 } });
    expect(fake.queries.at(-1)?.query).toContain("ML.WEIGHTS(MODEL prod_movies.mf_2026)");
  });

  it("serves whichever recommender was swapped in last", async () => {
    const fixed = (movieId: number): Recommender => {
      const answer: Recommendation = {
        strategy: "popular",
        items: [{ movieId, score: 1, because: [] }],
      };
      return { recommend: async () => answer, popular: async () => answer };
    };
    const served = new SwappableRecommender(fixed(1));
    expect((await served.popular(1)).items[0]?.movieId).toBe(1);
    served.swap(fixed(2));
    expect((await served.recommend([5], 1)).items[0]?.movieId).toBe(2);
  });

  it("connects to Elastic Cloud from ELASTICSEARCH_CLOUD_ID", () => {
    const cloudId = `deployment:${Buffer.from("cloud.example$es-uuid$kibana-uuid").toString("base64")}`;
    const client = elasticsearchClientFromConfig(
      loadConfig({
        SEARCH_BACKEND: "elasticsearch",
        ELASTICSEARCH_CLOUD_ID: cloudId,
        ELASTICSEARCH_API_KEY: "k",
      }),
    );
    const connections = (client.connectionPool as unknown as { connections: { url: URL }[] })
      .connections;
    expect(connections[0]?.url.href).toBe("https://es-uuid.cloud.example/");
  });
});
