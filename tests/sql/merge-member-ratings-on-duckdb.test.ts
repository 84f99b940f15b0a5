import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  MEMBER_USER_BASE,
  memberRatings,
  memberRatingsCsv,
} from "../../core/members/member-ratings.ts";
import { SqlLoader } from "../../core/sql/sql-loader.ts";

/**
 * sql/create_member_ratings_table.sql and sql/merge_member_ratings.sql run on DuckDB (which has
 * BigQuery's MERGE … WHEN NOT MATCHED BY SOURCE), twice, as two syncs would: the second after a
 * member was forgotten. INT64/FLOAT64 become DuckDB's BIGINT/DOUBLE; the CSV load stands in for
 * BigQuery's load job (WRITE_TRUNCATE).
 */
const sql = new SqlLoader();
const values = { dataset: "movielens", member_base: MEMBER_USER_BASE };
const toDuckDb = (text: string) =>
  text.replace(/\bINT64\b/g, "BIGINT").replace(/\bFLOAT64\b/g, "DOUBLE");

let db: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  db = await DuckDBInstance.create(":memory:");
  connection = await db.connect();
  await connection.run("CREATE SCHEMA movielens");
  await connection.run(
    "CREATE TABLE movielens.ratings (userId BIGINT, movieId BIGINT, rating_im DOUBLE, rated_at TIMESTAMP)",
  );
  // MovieLens's rows, and one stale member row from an earlier sync.
  await connection.run(
    `INSERT INTO movielens.ratings VALUES
       (1, 1, 0.8, TIMESTAMP '2000-01-01'), (2, 6, 0.4, NULL), (${MEMBER_USER_BASE + 9}, 50, 1, NULL)`,
  );
});
afterAll(() => {
  connection?.closeSync();
});

async function sync(likes: { member: number; movieId: number }[]) {
  const file = join(mkdtempSync(join(tmpdir(), "merge-")), "member-ratings.csv");
  writeFileSync(file, memberRatingsCsv(memberRatings(likes)));
  await connection.run(toDuckDb(sql.render("create_member_ratings_table", values)));
  await connection.run("DELETE FROM movielens.member_ratings");
  await connection.run(
    `INSERT INTO movielens.member_ratings SELECT * FROM read_csv('${file}', header = true)`,
  );
  await connection.run(sql.render("merge_member_ratings", values));
  const reader = await connection.runAndReadAll(
    "SELECT userId, movieId, rating_im FROM movielens.ratings ORDER BY userId, movieId",
  );
  return reader.getRowObjectsJson().map((r) => [Number(r.userId), Number(r.movieId), r.rating_im]);
}

it("replaces the members' rows and leaves MovieLens's alone, sync after sync", async () => {
  const first = await sync([
    { member: 1, movieId: 1 },
    { member: 1, movieId: 6 },
    { member: 2, movieId: 1 },
  ]);
  expect(first).toEqual([
    [1, 1, 0.8],
    [2, 6, 0.4],
    [MEMBER_USER_BASE + 1, 1, 1],
    [MEMBER_USER_BASE + 1, 6, 1],
    [MEMBER_USER_BASE + 2, 1, 1],
  ]);
  // Member 1 chose "forget me"; member 2 liked another film.
  const second = await sync([
    { member: 2, movieId: 1 },
    { member: 2, movieId: 32 },
  ]);
  expect(second).toEqual([
    [1, 1, 0.8],
    [2, 6, 0.4],
    [MEMBER_USER_BASE + 2, 1, 1],
    [MEMBER_USER_BASE + 2, 32, 1],
  ]);
  // Nobody left: the members' rows all go, MovieLens's stay.
  expect(await sync([])).toEqual([
    [1, 1, 0.8],
    [2, 6, 0.4],
  ]);
});
