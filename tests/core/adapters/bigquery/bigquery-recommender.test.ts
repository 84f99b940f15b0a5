import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BigQueryRecommender } from "../../../../core/adapters/bigquery/bigquery-recommender.ts";
import { MoviebotError } from "../../../../core/errors.ts";
import {
  type Answer,
  FakeBigQuery,
  type Field,
  parametersOf,
} from "../../../support/fake-bigquery.ts";

const RECOMMEND_FIELDS: Field[] = [
  { name: "movieId", type: "INTEGER" },
  { name: "score", type: "FLOAT" },
  { name: "because", type: "INTEGER", mode: "REPEATED" },
];
const POPULAR_FIELDS: Field[] = [
  { name: "movieId", type: "INTEGER" },
  { name: "score", type: "FLOAT" },
  { name: "rating_count", type: "INTEGER" },
  { name: "mean_rating", type: "FLOAT" },
];

let fake: FakeBigQuery;
beforeAll(async () => {
  fake = await FakeBigQuery.start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.queries.length = 0;
});

function recommender(timeoutMs = 2000) {
  return new BigQueryRecommender({
    client: fake.client(),
    dataset: "movielens",
    model: "movie_mf",
    location: "EU",
    k: 30,
    timeoutMs,
  });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MoviebotError);
  return (error as MoviebotError).code;
}

describe("BigQueryRecommender over BigQuery's REST API", () => {
  it("sends the picks as an ARRAY<INT64> parameter, never in the SQL text, and maps the rows", async () => {
    fake.answer = () => ({
      fields: RECOMMEND_FIELDS,
      rows: [
        { movieId: 2571, score: 0.91, because: [318, 4711] },
        { movieId: 1196, score: 0.5, because: [] },
      ],
    });
    const result = await recommender().recommend([318, 4711], 2);

    expect(result).toEqual({
      strategy: "personalized",
      items: [
        { movieId: 2571, score: 0.91, because: [318, 4711] },
        { movieId: 1196, score: 0.5, because: [] },
      ],
    });
    const [query] = fake.queries;
    expect(fake.queries).toHaveLength(1);
    expect(query?.query).toContain("ML.RECOMMEND(MODEL movielens.movie_mf");
    expect(query?.query).toContain("FROM movielens.ratings");
    expect(query?.query).toContain("IN UNNEST(@liked)");
    expect(query?.query).not.toContain("4711");
    expect(query?.query.replace(/^--.*$/gm, "")).not.toMatch(/\{\{/);
    expect(parametersOf(query as never)).toEqual({
      liked: { type: "ARRAY<INT64>", value: ["318", "4711"] },
      k: { type: "INT64", value: "30" },
      limit: { type: "INT64", value: "2" },
    });
    expect(query?.useLegacySql).toBe(false);
    expect(query?.labels).toEqual({ app: "moviebot", purpose: "recommend" });
    expect(query?.location).toBe("EU");
    expect(query?.timeoutMs).toBe(2000);
    expect(query?.authorization).toBe("Bearer test-token");
  });

  it("answers an empty pick list with the popular query", async () => {
    fake.answer = () => ({
      fields: POPULAR_FIELDS,
      rows: [
        { movieId: 318, score: 0.88, rating_count: 317, mean_rating: 0.89 },
        { movieId: 858, score: 0.86, rating_count: 192, mean_rating: 0.87 },
      ],
    });
    const result = await recommender().recommend([], 2);
    expect(result).toEqual({
      strategy: "popular",
      items: [
        { movieId: 318, score: 0.88, because: [] },
        { movieId: 858, score: 0.86, because: [] },
      ],
    });
    const query = fake.queries[0];
    expect(query?.query).toContain("AVG(rating_im) AS mean_rating");
    // The list is fetched once, 100 long, and sliced for every cold start after.
    expect(parametersOf(query as never)).toEqual({
      limit: { type: "INT64", value: "100" },
      min_ratings: { type: "INT64", value: "10" },
      min_mean: { type: "FLOAT64", value: "0.8" },
      damping: { type: "FLOAT64", value: "25" },
    });
    expect(query?.labels?.purpose).toBe("popular");
  });

  it("reuses the popular list instead of scanning the ratings on every cold start", async () => {
    fake.answer = () => ({
      fields: POPULAR_FIELDS,
      rows: [
        { movieId: 318, score: 0.88, rating_count: 317, mean_rating: 0.89 },
        { movieId: 858, score: 0.86, rating_count: 192, mean_rating: 0.87 },
      ],
    });
    const shared = recommender();
    const [a, b] = await Promise.all([shared.popular(1), shared.popular(2)]);
    expect(a.items.map((i) => i.movieId)).toEqual([318]);
    expect(b.items.map((i) => i.movieId)).toEqual([318, 858]);
    expect((await shared.recommend([], 2)).items).toHaveLength(2);
    expect(fake.queries).toHaveLength(1);
  });

  it("falls back to the popular list without the picks when nobody liked them", async () => {
    fake.answer = (query) =>
      query.query.includes("ML.RECOMMEND")
        ? { fields: RECOMMEND_FIELDS, rows: [] }
        : {
            fields: POPULAR_FIELDS,
            rows: [
              { movieId: 318, score: 0.88, rating_count: 317, mean_rating: 0.89 },
              { movieId: 858, score: 0.86, rating_count: 192, mean_rating: 0.87 },
              { movieId: 50, score: 0.85, rating_count: 204, mean_rating: 0.86 },
            ],
          };
    const result = await recommender().recommend([318], 2);
    expect(result).toEqual({
      strategy: "popular",
      items: [
        { movieId: 858, score: 0.86, because: [] },
        { movieId: 50, score: 0.85, because: [] },
      ],
    });
    expect(fake.queries).toHaveLength(2);
  });

  it.each<[string, Answer, string, RegExp]>([
    [
      "401",
      {
        status: 401,
        reason: "unauthorized",
        message: "Request had invalid authentication credentials.",
      },
      "backend_unavailable",
      /credentials/,
    ],
    [
      "403",
      {
        status: 403,
        reason: "accessDenied",
        message: "Access Denied: User does not have bigquery.jobs.create permission",
      },
      "backend_unavailable",
      /HTTP 403/,
    ],
    [
      "500",
      { status: 500, reason: "backendError", message: "Backend error" },
      "backend_unavailable",
      /HTTP 500/,
    ],
    [
      "503",
      { status: 503, reason: "backendError", message: "Service unavailable" },
      "backend_unavailable",
      /HTTP 503/,
    ],
    ["unfinished job", { jobComplete: false }, "backend_timeout", /timed out/],
  ])("turns a %s into a coded error without retrying", async (_, answer, code, message) => {
    fake.answer = () => answer;
    const promise = recommender().recommend([1], 5);
    await expect(promise).rejects.toThrow(message);
    expect(await codeOf(promise)).toBe(code);
    expect(fake.queries).toHaveLength(1);
  });

  it("gives up with backend_timeout when BigQuery does not answer within the budget", async () => {
    fake.answer = () => ({ hang: true });
    expect(await codeOf(recommender(150).popular(5))).toBe("backend_timeout");
  });

  it("gives up when the caller's signal aborts", async () => {
    fake.answer = () => ({ hang: true });
    const controller = new AbortController();
    const promise = recommender(10_000).recommend([1, 2], 5, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await codeOf(promise)).toBe("backend_timeout");
  });

  it("says the backend is unavailable when nothing listens", async () => {
    const dead = new BigQueryRecommender({
      client: (
        await import("../../../../core/adapters/bigquery/bigquery-client.ts")
      ).createBigQueryClient({
        projectId: "p",
        location: "EU",
        apiEndpoint: "http://127.0.0.1:9",
        authClient: { getRequestHeaders: async () => new Headers() } as never,
      }),
      dataset: "d",
      model: "m",
      k: 3,
      timeoutMs: 2000,
    });
    expect(await codeOf(dead.popular(3))).toBe("backend_unavailable");
  });
});
