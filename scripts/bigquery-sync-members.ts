/**
 * npm run bigquery:sync-members [-- --dry-run] [--retrain]
 *
 * Replaces the members' rows in the BigQuery ratings table with the member database's likes
 * (DATABASE_URL), so the next model training learns from them: the likes go up as a CSV into
 * `member_ratings` (WRITE_TRUNCATE), one MERGE swaps them into `ratings` (members only: userId ≥
 * MEMBER_USER_BASE; MovieLens's rows are never touched), and the item-neighbour table is rebuilt
 * from the result. --retrain then drops and retrains the model. A member who chose "forget me"
 * is gone from BigQuery after the next sync. Prints every statement before running it; --dry-run
 * prints them (and writes the CSV it would upload) and calls nothing.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import pino from "pino";
import { modelOptionsFromConfig } from "../bot/builders/bigquery-builder.ts";
import { openTasteStore } from "../bot/builders/taste-store-builder.ts";
import { type Config, loadConfig } from "../bot/config.ts";
import { createBigQueryClient } from "../core/adapters/bigquery/bigquery-client.ts";
import {
  MEMBER_USER_BASE,
  type MemberRating,
  memberRatings,
  memberRatingsCsv,
} from "../core/members/member-ratings.ts";
import type { TasteStore } from "../core/members/taste-store.ts";
import { itemNeighbourSqlValues } from "../core/recommend/item-neighbours.ts";
import { SqlLoader } from "../core/sql/sql-loader.ts";
import { describeStep, runSetup, type SetupRun, type SetupStep } from "./bigquery-setup.ts";

/** The sync as a list of steps, so --dry-run and the real run print the same thing. */
export function syncPlan(config: Config, csvFile: string, retrain: boolean): SetupStep[] {
  const sql = new SqlLoader();
  const dataset = requireSetting(config.BIGQUERY_DATASET, "BIGQUERY_DATASET");
  const step = (name: string, jobTimeoutMs?: number): SetupStep => ({
    kind: "sql",
    name,
    sql: sql.render(name, {
      dataset,
      model: config.BIGQUERY_MODEL,
      member_base: MEMBER_USER_BASE,
      ...modelOptionsFromConfig(config),
      ...itemNeighbourSqlValues(),
    }),
    ...(jobTimeoutMs ? { jobTimeoutMs } : {}),
  });
  return [
    step("create_member_ratings_table"),
    { kind: "load", table: "member_ratings", file: csvFile },
    step("merge_member_ratings"),
    // The default strategy serves this table: rebuilt so members count there at once.
    step("create_item_neighbours", 60 * 60 * 1000),
    ...(retrain ? [step("drop_model"), step("create_model", 6 * 60 * 60 * 1000)] : []),
  ];
}

/** Reads every member's likes as ratings rows and writes them as the CSV the load job uploads. */
export async function memberRatingsFile(
  store: TasteStore,
  dir: string,
): Promise<{ file: string; rows: MemberRating[] }> {
  const rows = memberRatings(await store.allLikes());
  const file = join(dir, "member-ratings.csv");
  writeFileSync(file, memberRatingsCsv(rows));
  return { file, rows };
}

/** What the sync will send: "12 likes from 4 members". */
export function summary(rows: readonly MemberRating[]): string {
  const members = new Set(rows.map((r) => r.userId)).size;
  return `${rows.length} like${rows.length === 1 ? "" : "s"} from ${members} member${members === 1 ? "" : "s"}`;
}

/** Runs the plan (the setup's runner: same printing, same job labels and limits). */
export function runSync(plan: SetupStep[], run: SetupRun): Promise<void> {
  return runSetup(plan, run);
}

function requireSetting(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is required for this command`);
  return value;
}

async function main(): Promise<void> {
  const program = new Command("bigquery:sync-members")
    .option("--dry-run", "print the statements and write the CSV, without calling BigQuery")
    .option("--retrain", "drop and retrain the model after the sync")
    .parse();
  const opts = program.opts<{ dryRun?: boolean; retrain?: boolean }>();
  const config = loadConfig();
  const dataset = requireSetting(config.BIGQUERY_DATASET, "BIGQUERY_DATASET");
  // Warnings (a database that does not answer) on stderr; the plan alone on stdout.
  const logger = pino({ level: "warn" }, pino.destination(2));
  const store = await openTasteStore(config, logger);
  let read: Awaited<ReturnType<typeof memberRatingsFile>>;
  try {
    read = await memberRatingsFile(store, mkdtempSync(join(tmpdir(), "moviebot-sync-")));
  } catch (error) {
    throw new Error(
      `could not read the members' likes from the member database (DATABASE_URL): ${(error as Error).message}`,
    );
  } finally {
    await store.close();
  }
  const plan = syncPlan(config, read.file, Boolean(opts.retrain));
  if (opts.dryRun) {
    process.stdout.write(
      `-- dry run: ${plan.length} steps, ${summary(read.rows)} (CSV at ${read.file}), nothing sent to BigQuery\n\n`,
    );
    for (const step of plan) process.stdout.write(`${describeStep(step, dataset)}\n`);
    return;
  }
  const client = createBigQueryClient({
    projectId: requireSetting(config.BIGQUERY_PROJECT, "BIGQUERY_PROJECT"),
    location: config.BIGQUERY_LOCATION,
    maxRetries: 3,
    ...(config.BIGQUERY_API_URL ? { apiEndpoint: config.BIGQUERY_API_URL } : {}),
  });
  process.stdout.write(`Syncing ${summary(read.rows)} into ${dataset}.ratings\n`);
  await runSync(plan, {
    client,
    dataset,
    location: config.BIGQUERY_LOCATION,
    write: (text) => process.stdout.write(text),
  });
  process.stdout.write("Members synced into BigQuery.\n");
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `bigquery:sync-members failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
