import { statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../bot/config.ts";
import { runSetup, setupPlan } from "../../scripts/bigquery-setup.ts";
import { MOVIELENS_DIR } from "../support/data.ts";
import { FakeBigQuery } from "../support/fake-bigquery.ts";

let fake: FakeBigQuery;
beforeAll(async () => {
  fake = await FakeBigQuery.start();
});
afterAll(async () => {
  await fake.close();
});

describe("bigquery:setup against BigQuery's REST API", () => {
  it("creates, uploads the three CSVs in full, derives rating_im, builds the item neighbours and trains, in that order", async () => {
    const config = loadConfig({ BIGQUERY_PROJECT: "test-project", BIGQUERY_DATASET: "movielens" });
    const printed: string[] = [];
    const progress = new Map<string, [number, number]>();
    await runSetup(setupPlan(config, MOVIELENS_DIR, false), {
      client: fake.client(),
      dataset: "movielens",
      location: "EU",
      write: (text) => printed.push(text),
      onUpload: (table, sent, total) => progress.set(table, [sent, total]),
    });

    expect(fake.queries.map((q) => q.query.split("\n").find((l) => !l.startsWith("--")))).toEqual([
      "CREATE SCHEMA IF NOT EXISTS movielens",
      "CREATE TABLE IF NOT EXISTS movielens.movies (",
      "CREATE TABLE IF NOT EXISTS movielens.links (",
      "CREATE TABLE IF NOT EXISTS movielens.ratings_raw (",
      "CREATE OR REPLACE TABLE movielens.ratings",
      "CREATE OR REPLACE TABLE movielens.item_neighbours AS",
      "CREATE MODEL IF NOT EXISTS movielens.movie_mf",
    ]);
    expect(fake.queries.every((q) => q.labels?.purpose === "setup")).toBe(true);
    // Training gets a server-side job limit, which sends it through jobs.insert.
    expect(Number(fake.queries.at(-1)?.jobTimeoutMs)).toBe(6 * 60 * 60 * 1000);

    const files = { movies: "movies.csv", links: "links.csv", ratings_raw: "ratings.csv" };
    expect(fake.uploads.map((u) => u.load.destinationTable.tableId)).toEqual(Object.keys(files));
    for (const upload of fake.uploads) {
      const table = upload.load.destinationTable.tableId as keyof typeof files;
      const size = statSync(join(MOVIELENS_DIR, files[table])).size;
      expect(upload.bytes).toBe(size);
      expect(upload.load).toMatchObject({
        destinationTable: { datasetId: "movielens" },
        sourceFormat: "CSV",
        skipLeadingRows: 1,
        writeDisposition: "WRITE_TRUNCATE",
      });
      expect(progress.get(table)).toEqual([size, size]);
    }
    expect(printed[0]).toMatch(/^\[1\/10\] -- create_dataset/);
    expect(printed).toHaveLength(10);
  });
});
