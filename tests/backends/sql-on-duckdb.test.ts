import { join } from "node:path";
import {
  BIGINT,
  DOUBLE,
  type DuckDBConnection,
  DuckDBInstance,
  LIST,
  listValue,
} from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Catalog } from "../../core/catalog/catalog.ts";
import { LIKED_THRESHOLD } from "../../core/catalog/ratings.ts";
import { loadMovieLens } from "../../core/movielens/load-movielens.ts";
import { SqlLoader } from "../../core/sql/sql-loader.ts";
import { MOVIELENS_DIR } from "../support/data.ts";

/**
 * Runs the production SQL on DuckDB over the real ml-latest-small, to check its logic and not only
 * its shape. The dialect mapping is deliberately small: the dataset becomes a DuckDB schema whose
 * `ratings` view derives rating_im from ratings.csv exactly as sql/load_ratings.sql does, `IN
 * UNNEST(@x)` becomes `IN (SELECT UNNEST($x))`, and `@x` becomes `$x`.
 */
const sql = new SqlLoader();

function toDuckDb(bigQuerySql: string): string {
  return bigQuerySql
    .replace(/IN UNNEST\(@(\w+)\)/g, "IN (SELECT UNNEST($$$1))")
    .replace(/@(\w+)/g, "$$$1");
}

let db: DuckDBInstance;
let connection: DuckDBConnection;
let catalog: Catalog;

beforeAll(async () => {
  db = await DuckDBInstance.create(":memory:");
  connection = await db.connect();
  const ratingsCsv = join(MOVIELENS_DIR, "ratings.csv").replaceAll("'", "''");
  await connection.run("CREATE SCHEMA movielens");
  await connection.run(
    `CREATE VIEW movielens.ratings AS
     SELECT userId::BIGINT AS userId, movieId::BIGINT AS movieId, rating / 5 AS rating_im
     FROM read_csv('${ratingsCsv}', header = true,
       columns = {'userId': 'BIGINT', 'movieId': 'BIGINT', 'rating': 'DOUBLE', 'timestamp': 'BIGINT'})`,
  );
  catalog = await loadMovieLens(MOVIELENS_DIR);
});

afterAll(() => {
  connection?.closeSync();
  db?.closeSync();
});

/** Independent answer over the Catalog: users who liked the picks, by how many they share, then id. */
function similarUsersInTs(liked: number[], k: number) {
  const picks = new Set(liked);
  const shared = new Map<number, number[]>();
  const { userIds, movieIds, values, length } = catalog.ratings;
  for (let i = 0; i < length; i++) {
    const movieId = movieIds[i] as number;
    if (!picks.has(movieId) || (values[i] as number) < LIKED_THRESHOLD) continue;
    const userId = userIds[i] as number;
    shared.set(userId, [...(shared.get(userId) ?? []), movieId]);
  }
  return [...shared]
    .map(([userId, movies]) => ({
      userId,
      shared_count: movies.length,
      shared: movies.sort((a, b) => a - b),
    }))
    .sort((a, b) => b.shared_count - a.shared_count || a.userId - b.userId)
    .slice(0, k);
}

/** Independent damped-mean popular list over the Catalog's per-movie stats. */
function popularInTs(limit: number, minRatings: number, minMean: number, damping: number) {
  const { values, length } = catalog.ratings;
  let total = 0;
  for (let i = 0; i < length; i++) total += values[i] as number;
  const globalMean = total / length;
  return catalog.movies
    .map((movie) => ({ movieId: movie.movieId, ...catalog.statsOf(movie.movieId) }))
    .filter((s) => s.ratingCount >= minRatings && s.meanRating >= minMean)
    .map((s) => ({
      movieId: s.movieId,
      rating_count: s.ratingCount,
      score: (s.meanRating * s.ratingCount + damping * globalMean) / (s.ratingCount + damping),
    }))
    .sort((a, b) => b.score - a.score || b.rating_count - a.rating_count || a.movieId - b.movieId)
    .slice(0, limit);
}

describe("sql/ on DuckDB against ml-latest-small", () => {
  it.each([
    ["Toy Story, Heat, The Matrix", [1, 6, 2571], 30],
    ["one pick", [318], 10],
    ["five picks with ties", [1, 260, 1196, 2571, 4993], 50],
  ])("similar_users.sql matches an independent computation (%s)", async (_, liked, k) => {
    const reader = await connection.runAndReadAll(
      toDuckDb(sql.render("similar_users", { dataset: "movielens" })),
      { liked: listValue(liked), k },
      { liked: LIST(BIGINT), k: BIGINT },
    );
    const rows = reader.getRowObjectsJS().map((row) => ({
      userId: Number(row.userId),
      shared_count: Number(row.shared_count),
      shared: (row.shared as bigint[]).map(Number),
    }));
    const expected = similarUsersInTs(liked, k);
    expect(rows).toHaveLength(k);
    expect(rows).toEqual(expected);
  });

  it("popular_movies.sql matches an independent damped-mean ranking", async () => {
    const reader = await connection.runAndReadAll(
      toDuckDb(sql.render("popular_movies", { dataset: "movielens" })),
      { limit: 40, min_ratings: 10, min_mean: 0.8, damping: 10 },
      { limit: BIGINT, min_ratings: BIGINT, min_mean: DOUBLE, damping: DOUBLE },
    );
    const rows = reader.getRowObjectsJS().map((row) => ({
      movieId: Number(row.movieId),
      rating_count: Number(row.rating_count),
      score: Number(row.score),
      mean_rating: Number(row.mean_rating),
    }));
    const expected = popularInTs(40, 10, 0.8, 10);
    expect(rows.map((r) => r.movieId)).toEqual(expected.map((r) => r.movieId));
    rows.forEach((row, i) => {
      expect(row.score).toBeCloseTo(expected[i]?.score as number, 5);
      expect(row.rating_count).toBeGreaterThanOrEqual(10);
      expect(row.mean_rating).toBeGreaterThanOrEqual(0.8);
    });
    // Shawshank (317 ratings) leads; no film with only a handful of ratings makes the top ten.
    expect(rows[0]?.movieId).toBe(318);
    expect(Math.min(...rows.slice(0, 10).map((r) => r.rating_count))).toBeGreaterThan(30);
  });
});
