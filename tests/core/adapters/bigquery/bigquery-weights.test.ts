import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  BigQueryWeightsSource,
  modelFromWeightsRows,
  WeightsRefresher,
  type WeightsRow,
} from "../../../../core/adapters/bigquery/bigquery-weights.ts";
import { type MatrixFactorizationModel, predict } from "../../../../core/recommend/mf-model.ts";
import { FakeBigQuery, ML_WEIGHTS_FIELDS } from "../../../support/fake-bigquery.ts";

// ML.WEIGHTS of a 2-factor model: factors numbered as BigQuery ML numbers them, out of order on
// purpose, ids as strings, implicit WALS without intercepts.
const ROWS: WeightsRow[] = [
  {
    processed_input: "movieId",
    feature: "50",
    factor_weights: [
      { factor: 2, weight: 0.5 },
      { factor: 1, weight: 1 },
    ],
    intercept: null,
  },
  {
    processed_input: "userId",
    feature: "7",
    factor_weights: [
      { factor: 1, weight: 0.2 },
      { factor: 2, weight: -0.4 },
    ],
    intercept: null,
  },
  {
    processed_input: "userId",
    feature: "3",
    factor_weights: [
      { factor: 1, weight: 1 },
      { factor: 2, weight: 2 },
    ],
    intercept: null,
  },
  {
    processed_input: "movieId",
    feature: "10",
    factor_weights: [
      { factor: 1, weight: 0.1 },
      { factor: 2, weight: 0.3 },
    ],
    intercept: null,
  },
];

function row(table: MatrixFactorizationModel["users"], id: number): number {
  return table.ids.indexOf(id);
}

describe("modelFromWeightsRows", () => {
  it("builds factor tables whose predictions are the dot products of the exported vectors", () => {
    const model = modelFromWeightsRows(ROWS, { trainedAt: "2026-11-24T00:00:00.000Z" });
    expect(model.dim).toBe(2);
    expect([...model.users.ids]).toEqual([3, 7]);
    expect([...model.items.ids]).toEqual([10, 50]);
    // user 3 = (1, 2); movie 50 = (1, 0.5) → 1·1 + 2·0.5 = 2
    expect(predict(model, row(model.users, 3), row(model.items, 50))).toBeCloseTo(2, 6);
    // user 7 = (0.2, -0.4); movie 10 = (0.1, 0.3) → 0.02 − 0.12 = −0.1
    expect(predict(model, row(model.users, 7), row(model.items, 10))).toBeCloseTo(-0.1, 6);
    expect(model.meta).toMatchObject({ source: "bigquery", trainedAt: "2026-11-24T00:00:00.000Z" });
  });

  it("adds intercepts and a global intercept when the model has them", () => {
    const model = modelFromWeightsRows([
      {
        processed_input: "userId",
        feature: "1",
        factor_weights: [{ factor: 1, weight: 1 }],
        intercept: 0.25,
      },
      {
        processed_input: "movieId",
        feature: "2",
        factor_weights: [{ factor: 1, weight: 2 }],
        intercept: -0.5,
      },
      {
        processed_input: "__global__intercept__",
        feature: null,
        factor_weights: null,
        intercept: 3,
      },
    ]);
    expect(predict(model, 0, 0)).toBeCloseTo(3 + 0.25 - 0.5 + 2, 6);
  });

  it("rejects rows it does not understand instead of serving a wrong model", () => {
    expect(() =>
      modelFromWeightsRows([
        { processed_input: "genre", feature: "x", factor_weights: [], intercept: null },
      ]),
    ).toThrow(/unexpected input "genre"/);
    expect(() => modelFromWeightsRows([])).toThrow(/empty or incomplete/);
    expect(() => modelFromWeightsRows([...ROWS, ROWS[1] as WeightsRow])).toThrow(/id 7 twice/);
  });
});

describe("BigQueryWeightsSource and WeightsRefresher", () => {
  let fake: FakeBigQuery;
  beforeAll(async () => {
    fake = await FakeBigQuery.start();
  });
  afterAll(async () => {
    await fake.close();
  });

  it("exports ML.WEIGHTS over the REST API (REPEATED RECORD factor_weights) into a model", async () => {
    fake.answer = () => ({
      fields: ML_WEIGHTS_FIELDS,
      rows: ROWS as unknown as Record<string, unknown>[],
    });
    const source = new BigQueryWeightsSource({
      client: fake.client(),
      dataset: "movielens",
      model: "movie_mf",
      trainingOptions: { num_factors: 2 },
    });
    const model = await source.load();
    expect(fake.queries.at(-1)?.query).toContain("ML.WEIGHTS(MODEL movielens.movie_mf)");
    expect(predict(model, row(model.users, 3), row(model.items, 50))).toBeCloseTo(2, 6);
    expect(model.meta.options).toEqual({ num_factors: 2 });
  });

  it("keeps trying on schedule when the first export fails", async () => {
    vi.useFakeTimers();
    try {
      let calls = 0;
      const served: MatrixFactorizationModel[] = [];
      const refresher = new WeightsRefresher({
        source: {
          load: async () => {
            calls++;
            if (calls === 1) throw new Error("BigQuery down at start");
            return modelFromWeightsRows(ROWS);
          },
        },
        intervalMs: 60_000,
        onModel: (model) => served.push(model),
      });
      await expect(refresher.start()).rejects.toThrow("BigQuery down at start");
      expect(served).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(served).toHaveLength(1);
      refresher.stop();
      await vi.advanceTimersByTimeAsync(120_000);
      expect(calls).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("publishes each refreshed model and keeps the previous one when a refresh fails", async () => {
    const models = [modelFromWeightsRows(ROWS), modelFromWeightsRows(ROWS)];
    let calls = 0;
    const served: MatrixFactorizationModel[] = [];
    const errors: unknown[] = [];
    const refresher = new WeightsRefresher({
      source: {
        load: async () => {
          calls++;
          if (calls === 2) throw new Error("BigQuery down");
          return models[calls === 1 ? 0 : 1] as MatrixFactorizationModel;
        },
      },
      intervalMs: 3_600_000,
      onModel: (model) => served.push(model),
      onError: (error) => errors.push(error),
    });
    expect(await refresher.start()).toBe(models[0]);
    await refresher.refresh();
    expect(served).toEqual([models[0]]);
    expect(errors).toHaveLength(1);
    await refresher.refresh();
    expect(served[1]).toBe(models[1]);
    refresher.stop();
  });
});
