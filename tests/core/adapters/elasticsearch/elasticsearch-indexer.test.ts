import { beforeEach, describe, expect, it } from "vitest";
import { createElasticsearchClient } from "../../../../core/adapters/elasticsearch/elasticsearch-client.ts";
import {
  reindexMovies,
  versionedIndexName,
} from "../../../../core/adapters/elasticsearch/elasticsearch-indexer.ts";
import { MOVIES_INDEX_MAPPINGS } from "../../../../core/adapters/elasticsearch/elasticsearch-mapping.ts";
import { errors, Mock, type MockParams, mockConnection } from "../../../support/es-mock.ts";
import { MOVIES, tinyCatalog } from "../../../support/tiny-catalog.ts";

const NOW = new Date("2026-11-24T06:15:02.123Z");
const NEW_INDEX = "movies-20261124t061502z";

const mock = new Mock();
const client = createElasticsearchClient({
  url: "http://localhost:9200",
  timeoutMs: 5000,
  Connection: mockConnection(mock),
});
let calls: { method: string; path: string; body: unknown }[] = [];

function record(method: string | string[], path: string, answer: (body: unknown) => unknown) {
  mock.add({ method, path }, (params: MockParams) => {
    calls.push({ method: String(params.method), path: String(params.path), body: params.body });
    return answer(params.body) as never;
  });
}

function notFound(type: string) {
  return new errors.ResponseError({
    body: { error: { type, reason: "missing" }, status: 404 },
    statusCode: 404,
    headers: {},
    warnings: null,
    meta: {} as never,
  });
}

function bulkOk(body: unknown) {
  const lines = body as { index?: { _index: string; _id: string } }[];
  const items = lines
    .filter((line) => line.index)
    .map((line) => ({
      index: { _index: line.index?._index, _id: line.index?._id, status: 201, result: "created" },
    }));
  return { took: 5, errors: false, items };
}

beforeEach(() => {
  mock.clearAll();
  calls = [];
  record("PUT", "/:index", () => ({
    acknowledged: true,
    shards_acknowledged: true,
    index: NEW_INDEX,
  }));
  record("POST", "/_bulk", bulkOk);
  record(["GET", "POST"], "/:index/_refresh", () => ({
    _shards: { total: 1, successful: 1, failed: 0 },
  }));
  record("POST", "/_aliases", () => ({ acknowledged: true }));
  record("DELETE", "/:index", () => ({ acknowledged: true }));
});

describe("npm run elasticsearch:index (reindexMovies)", () => {
  it("loads a new versioned index, swaps the alias in one call, then deletes the old index", async () => {
    record("HEAD", "/movies", () => ({}));
    record("GET", "/_alias/movies", () => ({
      "movies-20261001t000000z": { aliases: { movies: {} } },
    }));
    const progress: [number, number][] = [];

    const result = await reindexMovies({
      client,
      alias: "movies",
      catalog: tinyCatalog(),
      now: NOW,
      onProgress: (done, total) => progress.push([done, total]),
    });

    expect(result).toEqual({
      index: NEW_INDEX,
      indexed: MOVIES.length,
      failed: 0,
      deleted: ["movies-20261001t000000z"],
    });
    const create = calls.find((c) => c.method === "PUT");
    expect(create?.path).toBe(`/${NEW_INDEX}`);
    expect(create?.body).toMatchObject({ mappings: MOVIES_INDEX_MAPPINGS });

    const bulk = calls.find((c) => c.path === "/_bulk")?.body as Record<string, unknown>[];
    expect(bulk).toContainEqual({ index: { _index: NEW_INDEX, _id: "4973" } });
    expect(bulk).toContainEqual({
      movieId: 4973,
      title: "Amélie",
      raw_title: "Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)",
      alt_titles: ["Le Fabuleux destin d'Amélie Poulain"],
      year: 2001,
      label: "Amélie (2001)",
      // The tiny catalogue has no ratings: the floor of 1 keeps rank_feature's value positive.
      popularity: 1,
      rating_count: 0,
    });
    expect(progress.at(-1)).toEqual([MOVIES.length, MOVIES.length]);

    const swap = calls.find((c) => c.path === "/_aliases");
    expect(swap?.body).toEqual({
      actions: [
        { remove: { index: "movies-20261001t000000z", alias: "movies" } },
        { add: { index: NEW_INDEX, alias: "movies", is_write_index: true } },
      ],
    });
    const order = calls.map((c) => `${c.method} ${c.path}`);
    expect(order.indexOf("POST /_aliases")).toBeLessThan(
      order.indexOf("DELETE /movies-20261001t000000z"),
    );
  });

  it("creates the alias on first run and deletes nothing", async () => {
    record("HEAD", "/movies", () => notFound("index_not_found_exception"));
    record("GET", "/_alias/movies", () => notFound("aliases_not_found_exception"));
    const result = await reindexMovies({
      client,
      alias: "movies",
      catalog: tinyCatalog(),
      now: NOW,
    });
    expect(result.deleted).toEqual([]);
    expect(calls.find((c) => c.path === "/_aliases")?.body).toEqual({
      actions: [{ add: { index: NEW_INDEX, alias: "movies", is_write_index: true } }],
    });
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);
  });

  it("refuses to shadow a concrete index that has the alias's name", async () => {
    record("HEAD", "/movies", () => ({}));
    record("GET", "/_alias/movies", () => notFound("aliases_not_found_exception"));
    await expect(
      reindexMovies({ client, alias: "movies", catalog: tinyCatalog(), now: NOW }),
    ).rejects.toThrow(/concrete index, not an alias/);
    expect(calls.some((c) => c.method === "PUT")).toBe(false);
  });

  it("names indices so they sort by time and are legal index names", () => {
    expect(versionedIndexName("movies", NOW)).toBe(NEW_INDEX);
  });
});
