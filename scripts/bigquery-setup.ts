/**
 * npm run bigquery:setup [-- --dry-run] [--retrain] [--data DIR]
 *
 * Creates the dataset and tables, loads the MovieLens CSVs (with progress), derives rating_im, and
 * trains the matrix_factorization model. Idempotent: IF NOT EXISTS for the dataset, tables and model,
 * WRITE_TRUNCATE for the loads, CREATE OR REPLACE for the derived ratings table. Prints every
 * statement before running it; --dry-run prints them and calls nothing.
 */
import { createReadStream, statSync } from "node:fs";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { BigQuery } from "@google-cloud/bigquery";
import { SingleBar } from "cli-progress";
import { Command } from "commander";
import { modelOptionsFromConfig } from "../bot/builders/bigquery-builder.ts";
import { type Config, loadConfig } from "../bot/config.ts";
import { createBigQueryClient } from "../core/adapters/bigquery/bigquery-client.ts";
import { runBigQuery } from "../core/adapters/bigquery/bigquery-query.ts";
import { findMovieLensFiles } from "../core/adapters/movielens/load-movielens.ts";
import { itemNeighbourSqlValues } from "../core/recommend/item-neighbours.ts";
import { SqlLoader } from "../core/sql/sql-loader.ts";

export type SetupStep =
  | { kind: "sql"; name: string; sql: string; jobTimeoutMs?: number }
  | { kind: "load"; table: string; file: string };

/** The whole setup as a list of steps, so --dry-run and the real run print the same thing. */
export function setupPlan(config: Config, dataDir: string, retrain: boolean): SetupStep[] {
  const sql = new SqlLoader();
  const dataset = requireSetting(config.BIGQUERY_DATASET, "BIGQUERY_DATASET");
  const model = config.BIGQUERY_MODEL;
  const files = findMovieLensFiles(dataDir);
  if (files.layout !== "movielens") {
    throw new Error(
      `${dataDir} holds the course layout; bigquery:setup loads the MovieLens layout (movies.csv, links.csv, ratings.csv)`,
    );
  }
  const step = (name: string, jobTimeoutMs?: number): SetupStep => ({
    kind: "sql",
    name,
    sql: sql.render(name, {
      dataset,
      model,
      ...modelOptionsFromConfig(config),
      ...itemNeighbourSqlValues(),
    }),
    ...(jobTimeoutMs ? { jobTimeoutMs } : {}),
  });
  return [
    step("create_dataset"),
    step("create_movies_table"),
    step("create_links_table"),
    step("create_ratings_raw_table"),
    { kind: "load", table: "movies", file: files.movies },
    { kind: "load", table: "links", file: files.links },
    { kind: "load", table: "ratings_raw", file: files.ratings },
    step("load_ratings"),
    // The default strategy's item-neighbour table, rebuilt from the ratings just loaded.
    step("create_item_neighbours", 60 * 60 * 1000),
    ...(retrain ? [step("drop_model")] : []),
    // Training runs for minutes on ml-latest-small and far longer on 25M ratings.
    step("create_model", 6 * 60 * 60 * 1000),
  ];
}

export function describeStep(step: SetupStep, dataset: string): string {
  if (step.kind === "sql") return `-- ${step.name}\n${stripHeader(step.sql)};\n`;
  return `-- load ${step.file} → ${dataset}.${step.table} (CSV, header row skipped, WRITE_TRUNCATE)\n`;
}

function stripHeader(sql: string): string {
  return sql
    .split("\n")
    .filter((line) => !line.startsWith("--"))
    .join("\n")
    .trim();
}

export interface SetupRun {
  client: BigQuery;
  dataset: string;
  location: string;
  /** Where each step is printed before it runs. */
  write: (text: string) => void;
  /** Bytes of a CSV uploaded so far, of all. */
  onUpload?: (table: string, sent: number, total: number) => void;
}

/** Runs the plan step by step, printing each before it runs; stops at the first failure. */
export async function runSetup(plan: SetupStep[], run: SetupRun): Promise<void> {
  for (const [i, step] of plan.entries()) {
    run.write(`[${i + 1}/${plan.length}] ${describeStep(step, run.dataset)}`);
    if (step.kind === "load") await loadCsv(run, step);
    else {
      await runBigQuery(run.client, step.sql, {
        location: run.location,
        labels: { app: "moviebot", purpose: "setup" },
        ...(step.jobTimeoutMs ? { jobTimeoutMs: step.jobTimeoutMs } : {}),
      });
    }
  }
}

async function loadCsv(run: SetupRun, step: { table: string; file: string }): Promise<void> {
  const total = statSync(step.file).size;
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      run.onUpload?.(step.table, sent, total);
      done(null, chunk);
    },
  });
  const upload = run.client.dataset(run.dataset).table(step.table).createWriteStream({
    sourceFormat: "CSV",
    skipLeadingRows: 1,
    writeDisposition: "WRITE_TRUNCATE",
    location: run.location,
  });
  // "complete" comes once the load job is DONE, after the upload itself has finished.
  const complete = new Promise<void>((resolve, reject) => {
    upload.on("complete", () => resolve());
    upload.on("error", reject);
  });
  await pipeline(createReadStream(step.file), counter, upload);
  await complete;
}

function requireSetting(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is required for this command`);
  return value;
}

async function main(): Promise<void> {
  const program = new Command("bigquery:setup")
    .option("--dry-run", "print the statements without calling BigQuery")
    .option("--retrain", "drop and retrain the model even if it exists")
    .option("--data <dir>", "MovieLens directory (default: MOVIELENS_DIR)")
    .parse();
  const opts = program.opts<{ dryRun?: boolean; retrain?: boolean; data?: string }>();
  const config = loadConfig();
  const dataDir = requireSetting(opts.data ?? config.MOVIELENS_DIR, "MOVIELENS_DIR (or --data)");
  const dataset = requireSetting(config.BIGQUERY_DATASET, "BIGQUERY_DATASET");
  const plan = setupPlan(config, dataDir, Boolean(opts.retrain));
  if (opts.dryRun) {
    process.stdout.write(`-- dry run: ${plan.length} steps, nothing sent to BigQuery\n\n`);
    for (const step of plan) process.stdout.write(`${describeStep(step, dataset)}\n`);
    return;
  }
  const client = createBigQueryClient({
    projectId: requireSetting(config.BIGQUERY_PROJECT, "BIGQUERY_PROJECT"),
    location: config.BIGQUERY_LOCATION,
    maxRetries: 3,
    ...(config.BIGQUERY_API_URL ? { apiEndpoint: config.BIGQUERY_API_URL } : {}),
  });
  const bar = new SingleBar({ format: "  {table} {bar} {percentage}% {value}/{total} bytes" });
  let current = "";
  await runSetup(plan, {
    client,
    dataset,
    location: config.BIGQUERY_LOCATION,
    write: (text) => process.stdout.write(text),
    onUpload: (table, sent, total) => {
      if (table !== current) {
        if (current) bar.stop();
        current = table;
        bar.start(total, 0, { table });
      }
      bar.update(sent);
      if (sent === total) {
        bar.stop();
        current = "";
      }
    },
  });
  process.stdout.write("BigQuery setup complete.\n");
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `bigquery:setup failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
