import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../bot/config.ts";
import { SqliteTasteStore } from "../../core/adapters/sqlite/sqlite-taste-store.ts";
import { MEMBER_USER_BASE } from "../../core/members/member-ratings.ts";
import { memberId } from "../../core/members/taste-store.ts";
import {
  memberRatingsFile,
  runSync,
  summary,
  syncPlan,
} from "../../scripts/bigquery-sync-members.ts";
import { MOVIELENS_DIR } from "../support/data.ts";
import { FakeBigQuery } from "../support/fake-bigquery.ts";

// bigquery:sync-members against a local stand-in for BigQuery's REST API, reading a real SQLite
// member database.
const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");

let fake: FakeBigQuery;
let dir: string;
let dbFile: string;
const alice = memberId("slack", "T1", "U1");
const bob = memberId("discord", "G1", "42");
const carol = memberId("web", "web", "carolcarolcarolcarolcaro");

beforeAll(async () => {
  fake = await FakeBigQuery.start();
  dir = mkdtempSync(join(tmpdir(), "moviebot-sync-"));
  dbFile = join(dir, "moviebot.db");
  const store = await SqliteTasteStore.open(dbFile);
  await store.addLikes(alice, [1, 6]);
  await store.mark(alice, 32, "dislike", true); // not a rating: left out
  await store.mark(bob, 1, "like", true);
  await store.mark(bob, 50, "seen", true); // not a rating either
  await store.addLikes(carol, [260]);
  await store.forget(carol); // forget me: nothing of carol's goes up
  await store.close();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.queries.length = 0;
  fake.uploads.length = 0;
});

const firstCodeLine = (sql: string) => sql.split("\n").find((l) => !l.startsWith("--"));

describe("bigquery:sync-members", () => {
  it("uploads the members' likes as ratings (ids of their own, rating_im 1.0), then swaps them in and rebuilds the item neighbours", async () => {
    const config = loadConfig({ BIGQUERY_PROJECT: "test-project", BIGQUERY_DATASET: "movielens" });
    const store = await SqliteTasteStore.open(dbFile);
    const { file, rows } = await memberRatingsFile(store, mkdtempSync(join(tmpdir(), "sync-")));
    await store.close();
    expect(summary(rows)).toBe("3 likes from 2 members");
    const printed: string[] = [];
    await runSync(syncPlan(config, file, false), {
      client: fake.client(),
      dataset: "movielens",
      location: "EU",
      write: (text) => printed.push(text),
    });

    expect(fake.queries.map((q) => firstCodeLine(q.query))).toEqual([
      "CREATE TABLE IF NOT EXISTS movielens.member_ratings (",
      "MERGE INTO movielens.ratings AS r",
      "CREATE OR REPLACE TABLE movielens.item_neighbours AS",
    ]);
    const merge = fake.queries[1]?.query ?? "";
    // Only members' rows are replaced; MovieLens's (userId below the base) are never touched.
    expect(merge).toContain(`WHEN NOT MATCHED BY SOURCE AND r.userId >= ${MEMBER_USER_BASE} THEN`);
    expect(fake.uploads).toHaveLength(1);
    const [upload] = fake.uploads;
    expect(upload?.load).toMatchObject({
      destinationTable: { datasetId: "movielens", tableId: "member_ratings" },
      sourceFormat: "CSV",
      skipLeadingRows: 1,
      writeDisposition: "WRITE_TRUNCATE",
    });
    const lines = (upload?.text ?? "").trim().split("\n");
    expect(lines[0]).toBe("userId,movieId,rating_im");
    const body = lines.slice(1).map((l) => l.split(",").map(Number));
    // Two members, each under an id far above MovieLens's; likes only, each a full-marks rating.
    expect(body).toHaveLength(3);
    for (const [userId, , ratingIm] of body) {
      expect(userId).toBeGreaterThan(MEMBER_USER_BASE);
      expect(ratingIm).toBe(1);
    }
    expect(new Set(body.map(([u]) => u)).size).toBe(2);
    expect(body.map(([, m]) => m).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([1, 1, 6]);
    expect(printed[0]).toMatch(/^\[1\/4\] -- create_member_ratings_table/);
  });

  it("--retrain drops and retrains the model after the swap", () => {
    const config = loadConfig({ BIGQUERY_PROJECT: "p", BIGQUERY_DATASET: "movielens" });
    const names = syncPlan(config, "/tmp/x.csv", true).map((s) =>
      s.kind === "sql" ? s.name : `load ${s.table}`,
    );
    expect(names).toEqual([
      "create_member_ratings_table",
      "load member_ratings",
      "merge_member_ratings",
      "create_item_neighbours",
      "drop_model",
      "create_model",
    ]);
  });

  /** The script as `npm run bigquery:sync-members` runs it. */
  async function script(args: string[], env: Record<string, string> = {}) {
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        ["scripts/bigquery-sync-members.ts", ...args],
        {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH ?? "",
            MOVIELENS_DIR,
            DATA_DIR: dir,
            BIGQUERY_PROJECT: "test-project",
            BIGQUERY_DATASET: "movielens",
            BIGQUERY_API_URL: fake.url,
            ...env,
          },
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it("--dry-run prints the plan and what it would upload, and calls nothing", async () => {
    const { code, stdout } = await script(["--dry-run"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/-- dry run: 4 steps, 3 likes from 2 members \(CSV at (.+)\)/);
    const csv = /CSV at (.+?)\)/.exec(stdout)?.[1] as string;
    expect(readFileSync(csv, "utf8").trim().split("\n")).toHaveLength(4);
    const order = [
      "CREATE TABLE IF NOT EXISTS movielens.member_ratings",
      "→ movielens.member_ratings (CSV, header row skipped, WRITE_TRUNCATE)",
      "MERGE INTO movielens.ratings",
      "CREATE OR REPLACE TABLE movielens.item_neighbours",
    ];
    const positions = order.map((text) => stdout.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(stdout).not.toMatch(/\{\{/);
    expect(fake.queries).toHaveLength(0);
    expect(fake.uploads).toHaveLength(0);
  });

  it("says so when the member database cannot be read, and sends nothing", async () => {
    const { code, stderr } = await script([], {
      DATABASE_URL: "postgres://nobody@127.0.0.1:9/none",
    });
    expect(code).toBe(1);
    expect(stderr).toContain(
      "bigquery:sync-members failed: could not read the members' likes from the member database (DATABASE_URL)",
    );
    expect(stderr).not.toContain("nobody@");
    expect(fake.queries).toHaveLength(0);
  });
});
