/**
 * npm run bigquery:export-model [-- --dry-run] [--out FILE]
 *
 * Exports the trained model's ML.WEIGHTS into the core's MatrixFactorizationModel and writes it as
 * JSON (atomically: temp file + rename), for BIGQUERY_SERVE=local-weights or for inspection.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Command } from "commander";
import { modelOptionsFromConfig } from "../bot/builders/bigquery-builder.ts";
import { loadConfig } from "../bot/config.ts";
import { createBigQueryClient } from "../core/adapters/bigquery/bigquery-client.ts";
import { BigQueryWeightsSource } from "../core/adapters/bigquery/bigquery-weights.ts";
import type { MatrixFactorizationModel } from "../core/recommend/mf-model.ts";
import { SqlLoader } from "../core/sql/sql-loader.ts";

/** JSON form of the model: typed arrays as plain arrays. Readable back with modelFromJson. */
export function modelToJson(model: MatrixFactorizationModel): string {
  const table = (t: MatrixFactorizationModel["users"]) => ({
    ids: Array.from(t.ids),
    factors: Array.from(t.factors),
    intercepts: Array.from(t.intercepts),
  });
  return JSON.stringify({
    format: "moviebot-mf-model/1",
    dim: model.dim,
    globalIntercept: model.globalIntercept,
    meta: model.meta,
    users: table(model.users),
    items: table(model.items),
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const program = new Command("bigquery:export-model")
    .option("--dry-run", "print the export query without calling BigQuery")
    .option(
      "--out <file>",
      "where to write the model",
      join(config.CACHE_DIR, "bigquery-model.json"),
    )
    .parse();
  const opts = program.opts<{ dryRun?: boolean; out: string }>();
  if (!config.BIGQUERY_DATASET) throw new Error("BIGQUERY_DATASET is required for this command");
  const sql = new SqlLoader().render("export_weights", {
    dataset: config.BIGQUERY_DATASET,
    model: config.BIGQUERY_MODEL,
  });
  process.stdout.write(`-- export_weights → ${opts.out}\n${sql.trim()};\n`);
  if (opts.dryRun) return;
  if (!config.BIGQUERY_PROJECT) throw new Error("BIGQUERY_PROJECT is required for this command");

  const source = new BigQueryWeightsSource({
    client: createBigQueryClient({
      projectId: config.BIGQUERY_PROJECT,
      location: config.BIGQUERY_LOCATION,
      maxRetries: 3,
      ...(config.BIGQUERY_API_URL ? { apiEndpoint: config.BIGQUERY_API_URL } : {}),
    }),
    dataset: config.BIGQUERY_DATASET,
    model: config.BIGQUERY_MODEL,
    location: config.BIGQUERY_LOCATION,
    trainingOptions: modelOptionsFromConfig(config),
  });
  const model = await source.load();
  mkdirSync(dirname(opts.out), { recursive: true });
  const temp = `${opts.out}.${process.pid}.tmp`;
  writeFileSync(temp, modelToJson(model));
  renameSync(temp, opts.out);
  process.stdout.write(
    `Wrote ${opts.out}: ${model.users.ids.length} users, ${model.items.ids.length} movies, ${model.dim} factors.\n`,
  );
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `bigquery:export-model failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
