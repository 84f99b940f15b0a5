import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOVIELENS_DIR } from "../support/data.ts";
import { FakeBigQuery } from "../support/fake-bigquery.ts";
import { itWith, realMovieLens } from "../support/requirements.ts";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");

let fake: FakeBigQuery;
beforeAll(async () => {
  fake = await FakeBigQuery.start();
});
afterAll(async () => {
  await fake.close();
});

/** Runs an admin script as `npm run` would (Node 24 strips the types), with only the given settings. */
async function script(name: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [`scripts/${name}.ts`, ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        MOVIELENS_DIR,
        BIGQUERY_PROJECT: "test-project",
        BIGQUERY_DATASET: "movielens",
        // Dry runs must not call anything; a stand-in here would record it if they did.
        BIGQUERY_API_URL: fake.url,
        ELASTICSEARCH_URL: "http://127.0.0.1:9",
        ...env,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("admin scripts --dry-run", () => {
  it("bigquery:setup prints every statement in order and calls nothing", async () => {
    const { code, stdout } = await script("bigquery-setup", ["--dry-run"], { MF_FACTORS: "8" });
    expect(code).toBe(0);
    const order = [
      "CREATE SCHEMA IF NOT EXISTS movielens",
      "CREATE TABLE IF NOT EXISTS movielens.movies",
      "CREATE TABLE IF NOT EXISTS movielens.links",
      "CREATE TABLE IF NOT EXISTS movielens.ratings_raw",
      `load ${resolve(MOVIELENS_DIR, "movies.csv")} → movielens.movies`,
      `load ${resolve(MOVIELENS_DIR, "links.csv")} → movielens.links`,
      `load ${resolve(MOVIELENS_DIR, "ratings.csv")} → movielens.ratings_raw`,
      "CREATE OR REPLACE TABLE movielens.ratings",
      "rating / 5 AS rating_im",
      "CREATE MODEL IF NOT EXISTS movielens.movie_mf",
      "num_factors = 8,",
    ];
    const positions = order.map((text) => stdout.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(stdout).not.toContain("DROP MODEL");
    expect(stdout).not.toMatch(/\{\{/);
    expect(fake.queries).toHaveLength(0);
  });

  it("bigquery:setup --retrain drops the model before creating it", async () => {
    const { code, stdout } = await script("bigquery-setup", ["--dry-run", "--retrain"]);
    expect(code).toBe(0);
    expect(stdout.indexOf("DROP MODEL IF EXISTS movielens.movie_mf")).toBeGreaterThan(0);
    expect(stdout.indexOf("DROP MODEL")).toBeLessThan(stdout.indexOf("CREATE MODEL"));
  });

  it("bigquery:setup refuses a dataset name that is not an identifier, naming the variable", async () => {
    const { code, stderr } = await script("bigquery-setup", ["--dry-run"], {
      BIGQUERY_DATASET: "movielens`; DROP SCHEMA x; --",
    });
    expect(code).toBe(1);
    expect(stderr).toContain("BIGQUERY_DATASET");
  });

  it("bigquery:export-model prints the ML.WEIGHTS query", async () => {
    const { code, stdout } = await script("bigquery-export-model", [
      "--dry-run",
      "--out",
      "/tmp/x.json",
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain("-- export_weights → /tmp/x.json");
    expect(stdout).toContain("FROM ML.WEIGHTS(MODEL movielens.movie_mf);");
    expect(fake.queries).toHaveLength(0);
  });

  itWith(realMovieLens)(
    "elasticsearch:index prints the index creation, the bulk load and the alias swap",
    async () => {
      const { code, stdout } = await script("elasticsearch-index", ["--dry-run"], {
        ELASTICSEARCH_INDEX: "films",
      });
      expect(code).toBe(0);
      const index = /PUT \/(films-\d{8}t\d{6}z)/.exec(stdout)?.[1];
      expect(index).toBeDefined();
      expect(stdout).toContain('"type": "search_as_you_type"');
      expect(stdout).toContain(`POST /_bulk    # 9742 documents`);
      expect(stdout).toContain(`{"index":{"_index":"${index}","_id":"1"}}`);
      expect(stdout).toContain(
        `{"add":{"index":"${index}","alias":"films","is_write_index":true}}`,
      );
      expect(stdout.indexOf("POST /_aliases")).toBeLessThan(stdout.indexOf("DELETE /"));
    },
  );
});
