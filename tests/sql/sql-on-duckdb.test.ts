import { join } from "node:path";
import {
  BIGINT,
  DOUBLE,
  type DuckDBConnection,
  DuckDBInstance,
  LIST,
  listValue,
} from "@duckdb/node-api";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadMovieLens } from "../../core/adapters/movielens/load-movielens.ts";
import type { Catalog } from "../../core/catalog/catalog.ts";
import { LIKED_THRESHOLD } from "../../core/catalog/ratings.ts";
import {
  buildItemNeighbours,
  DEFAULT_ITEM_NEIGHBOUR_OPTIONS,
  type ItemNeighbourTable,
  itemNeighbourSqlValues,
  itemNeighboursFromRows,
} from "../../core/recommend/item-neighbours.ts";
import { RatingIndex } from "../../core/recommend/rating-index.ts";
import { SqlLoader } from "../../core/sql/sql-loader.ts";
import { MOVIELENS_DIR } from "../support/data.ts";
import { describeWith, realMovieLens } from "../support/requirements.ts";

/**
 * Runs the production SQL on DuckDB over the real ml-latest-small, to check its logic and not only
 * its shape. The dialect mapping is deliberately small: the dataset becomes a DuckDB schema whose
 * `ratings` view derives rating_im from ratings.csv exactly as sql/load_ratings.sql does, `IN
 * UNNEST(@x)` becomes `IN (SELECT UNNEST($x))`, and `@x` becomes `$x`.
 */
const sql = new SqlLoader();

function toDuckDb(bigQuerySql: string): string {
  return (
    bigQuerySql
      .replace(/IN UNNEST\(@(\w+)\)/g, "IN (SELECT UNNEST($$$1))")
      .replace(/@(\w+)/g, "$$$1")
      // BigQuery's integer DIV is DuckDB's // operator (bq_div, a macro made in beforeAll).
      .replace(/\bDIV\(/g, "bq_div(")
      // DuckDB has no LIMIT inside an aggregate, and names an unnested column with a table alias.
      .replace(/ARRAY_AGG\(([^()]*?) LIMIT (\d+)\)/g, "list_slice(ARRAY_AGG($1), 1, $2)")
      .replace(/CROSS JOIN UNNEST\(([\w.]+)\) AS (\w+)/g, "CROSS JOIN UNNEST($1) AS unnested($2)")
      // ML.RECOMMEND stands in as a view of known predictions for the similar users.
      .replace(
        /ML\.RECOMMEND\(MODEL [\w.]+, \(SELECT userId FROM similar_users\)\)/g,
        "(SELECT * FROM movielens.predictions WHERE userId IN (SELECT userId FROM similar_users))",
      )
  );
}

/**
 * The stand-in model: a fixed, irregular confidence for every (user, movie) pair. Multiples of 1/64
 * add up exactly in floating point, so ties stay ties whatever order either side sums in.
 */
function confidence(userId: number, movieId: number): number {
  return ((userId * 31 + movieId * 17) % 101) / 64;
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
  await connection.run(
    `CREATE VIEW movielens.predictions AS
     SELECT u.userId, m.movieId,
       ((u.userId * 31 + m.movieId * 17) % 101) / 64 AS predicted_rating_im_confidence
     FROM (SELECT DISTINCT userId FROM movielens.ratings) AS u,
          (SELECT DISTINCT movieId FROM movielens.ratings) AS m`,
  );
  await connection.run("CREATE MACRO bq_div(a, b) AS a // b");
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

/** Independent answer for recommend_for_liked.sql over the same stand-in predictions. */
function recommendInTs(liked: number[], k: number, limit: number) {
  const users = similarUsersInTs(liked, k);
  const rated = new Set<number>(catalog.ratings.movieIds);
  const picks = new Set(liked);
  const scored = [...rated]
    .filter((movieId) => !picks.has(movieId))
    .map((movieId) => ({
      movieId,
      score: users.reduce((sum, u) => sum + confidence(u.userId, movieId), 0) / users.length,
    }))
    .sort((a, b) => b.score - a.score || a.movieId - b.movieId)
    .slice(0, limit);
  return scored.map(({ movieId, score }) => {
    const weight = new Map<number, number>();
    for (const u of users) {
      for (const pick of u.shared) {
        weight.set(pick, (weight.get(pick) ?? 0) + confidence(u.userId, movieId));
      }
    }
    const because = [...weight]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, 2)
      .map(([pick]) => pick);
    return { movieId, score, because };
  });
}

/**
 * Independent damped-mean popular list over the Catalog's ratings. The Catalog keeps rating_im as
 * Float32 (0.8 is 0.800000011…); MovieLens ratings are half stars, so rating_im is a whole number of
 * tenths and rounding recovers the exact value the SQL computes as rating / 5.
 */
function popularInTs(minRatings: number, minMean: number, damping: number) {
  const { movieIds, values, length } = catalog.ratings;
  const stats = new Map<number, { n: number; tenths: number }>();
  let totalTenths = 0;
  for (let i = 0; i < length; i++) {
    const tenths = Math.round((values[i] as number) * 10);
    totalTenths += tenths;
    const entry = stats.get(movieIds[i] as number) ?? { n: 0, tenths: 0 };
    entry.n++;
    entry.tenths += tenths;
    stats.set(movieIds[i] as number, entry);
  }
  const globalMean = totalTenths / 10 / length;
  return [...stats]
    .filter(([, s]) => s.n >= minRatings && s.tenths / 10 / s.n >= minMean - 1e-6)
    .map(([movieId, s]) => ({
      movieId,
      rating_count: s.n,
      score: (s.tenths / 10 + damping * globalMean) / (s.n + damping),
    }))
    .sort((a, b) => b.score - a.score || b.rating_count - a.rating_count || a.movieId - b.movieId);
}

/**
 * The ranking as runs of equal (score to 1e-9, rating count): within a run the order is a tie-break
 * on movieId that float summation order could flip by an ulp, so each run is compared as a set.
 */
function runs(rows: { movieId: number; score: number; rating_count: number }[]): string[] {
  const out: string[] = [];
  let key = "";
  let ids: number[] = [];
  for (const row of rows) {
    const k = `${row.score.toFixed(9)}/${row.rating_count}`;
    if (k !== key && ids.length > 0) {
      out.push(`${key}: ${ids.sort((a, b) => a - b).join(",")}`);
      ids = [];
    }
    key = k;
    ids.push(row.movieId);
  }
  if (ids.length > 0) out.push(`${key}: ${ids.sort((a, b) => a - b).join(",")}`);
  return out;
}

describeWith(realMovieLens)("sql/ on DuckDB against ml-latest-small", () => {
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

  it.each([
    ["Toy Story, Heat, The Matrix", [1, 6, 2571], 30],
    ["five picks", [1, 260, 1196, 2571, 4993], 10],
  ])(
    "recommend_for_liked.sql aggregates, excludes the picks and explains (%s)",
    async (_, liked, k) => {
      const reader = await connection.runAndReadAll(
        toDuckDb(sql.render("recommend_for_liked", { dataset: "movielens", model: "movie_mf" })),
        { liked: listValue(liked), k, limit: 20 },
        { liked: LIST(BIGINT), k: BIGINT, limit: BIGINT },
      );
      const rows = reader.getRowObjectsJS().map((row) => ({
        movieId: Number(row.movieId),
        score: Number(row.score),
        because: (row.because as bigint[]).map(Number),
      }));
      const expected = recommendInTs(liked, k, 20);
      expect(rows.map((r) => r.movieId)).toEqual(expected.map((r) => r.movieId));
      expect(rows.map((r) => r.because)).toEqual(expected.map((r) => r.because));
      for (const [i, row] of rows.entries()) {
        expect(row.score).toBeCloseTo(expected[i]?.score as number, 9);
      }
      expect(rows.some((r) => liked.includes(r.movieId))).toBe(false);
    },
  );

  it("popular_movies.sql matches an independent damped-mean ranking", async () => {
    const reader = await connection.runAndReadAll(
      toDuckDb(sql.render("popular_movies", { dataset: "movielens" })),
      // A limit past the end, so no run of ties is cut in two.
      { limit: 100_000, min_ratings: 10, min_mean: 0.8, damping: 25 },
      { limit: BIGINT, min_ratings: BIGINT, min_mean: DOUBLE, damping: DOUBLE },
    );
    const rows = reader.getRowObjectsJS().map((row) => ({
      movieId: Number(row.movieId),
      rating_count: Number(row.rating_count),
      score: Number(row.score),
      mean_rating: Number(row.mean_rating),
    }));
    const expected = popularInTs(10, 0.8, 25);
    expect(rows.length).toBeGreaterThan(100);
    expect(runs(rows)).toEqual(runs(expected));
    for (const row of rows) {
      expect(row.rating_count).toBeGreaterThanOrEqual(10);
      expect(row.mean_rating).toBeGreaterThan(0.8 - 1e-6);
    }
    // Shawshank (317 ratings) leads; no film with only a handful of ratings makes the top ten.
    expect(rows[0]?.movieId).toBe(318);
    expect(Math.min(...rows.slice(0, 10).map((r) => r.rating_count))).toBeGreaterThan(30);
  });
});

describeWith(realMovieLens)("the default strategy's item-neighbour table on DuckDB", () => {
  let index: RatingIndex;
  let table: ItemNeighbourTable;
  let exported: { movieId: number; neighbourId: number; sim: number }[];

  beforeAll(async () => {
    index = new RatingIndex(catalog.ratings);
    // A sample cap low enough that ml-latest-small's heaviest likers are thinned on both sides.
    const options = { ...DEFAULT_ITEM_NEIGHBOUR_OPTIONS, maxLikesPerUser: 300 };
    table = buildItemNeighbours(index, options);
    await connection.run(
      toDuckDb(
        sql.render("create_item_neighbours", {
          dataset: "movielens",
          ...itemNeighbourSqlValues(options),
        }),
      ),
    );
    const reader = await connection.runAndReadAll(
      toDuckDb(sql.render("export_item_neighbours", { dataset: "movielens" })),
    );
    exported = reader.getRowObjectsJS().map((row) => ({
      movieId: Number(row.movieId),
      neighbourId: Number(row.neighbourId),
      sim: Number(row.sim),
    }));
  }, 120_000);

  it("create_item_neighbours.sql builds the table buildItemNeighbours builds", () => {
    expect(exported.length).toBe(table.cols.length);
    const fromSql = itemNeighboursFromRows(index, exported);
    expect(fromSql.ptr).toEqual(table.ptr);
    let differ = 0;
    for (let e = 0; e < table.cols.length; e++) {
      if (fromSql.cols[e] !== table.cols[e]) differ++;
      expect(fromSql.sims[e]).toBeCloseTo(table.sims[e] as number, 5);
    }
    // Float32 storage can swap two neighbours whose similarities agree to 7 digits; nothing more.
    expect(differ).toBeLessThanOrEqual(table.cols.length / 10_000);
  });

  it.each([
    ["Toy Story", [1]],
    ["Toy Story, Heat, The Matrix", [1, 6, 2571]],
    ["five picks", [1, 260, 1196, 2571, 4993]],
  ])("recommend_by_item_neighbours.sql sums the picks' similarities (%s)", async (_, liked) => {
    const reader = await connection.runAndReadAll(
      toDuckDb(sql.render("recommend_by_item_neighbours", { dataset: "movielens" })),
      { liked: listValue(liked), limit: 20 },
      { liked: LIST(BIGINT), limit: BIGINT },
    );
    const rows = reader.getRowObjectsJS().map((row) => ({
      movieId: Number(row.movieId),
      score: Number(row.score),
      because: (row.because as bigint[]).map(Number),
    }));
    const scores = new Map<number, { score: number; best: number; sim: number }>();
    for (const pick of liked) {
      const p = index.items.rowOf(pick);
      for (let e = table.ptr[p] as number; e < (table.ptr[p + 1] as number); e++) {
        const id = index.items.ids[table.cols[e] as number] as number;
        if (liked.includes(id)) continue;
        const sim = exported.find((r) => r.movieId === pick && r.neighbourId === id)?.sim ?? 0;
        const entry = scores.get(id) ?? { score: 0, best: pick, sim: -1 };
        entry.score += sim;
        if (sim > entry.sim || (sim === entry.sim && pick < entry.best)) {
          entry.sim = sim;
          entry.best = pick;
        }
        scores.set(id, entry);
      }
    }
    const expected = [...scores]
      .sort((a, b) => b[1].score - a[1].score || a[0] - b[0])
      .slice(0, 20);
    expect(rows.map((r) => r.movieId)).toEqual(expected.map(([id]) => id));
    expect(rows.map((r) => r.because)).toEqual(expected.map(([, e]) => [e.best]));
    for (const [i, row] of rows.entries()) {
      expect(row.score).toBeCloseTo((expected[i] as [number, { score: number }])[1].score, 9);
    }
  });
});
