/**
 * npm run elasticsearch:index [-- --dry-run] [--data DIR]
 *
 * Builds a new versioned index `<ELASTICSEARCH_INDEX>-<timestamp>`, bulk-loads every movie with
 * progress, moves the ELASTICSEARCH_INDEX alias to it in one atomic _aliases call, then deletes the
 * indices the alias pointed at before. --dry-run prints the requests without calling Elasticsearch.
 */
import { SingleBar } from "cli-progress";
import { Command } from "commander";
import { loadConfig } from "../bot/config.ts";
import { createElasticsearchClient } from "../core/adapters/elasticsearch/elasticsearch-client.ts";
import {
  movieDocuments,
  reindexMovies,
  versionedIndexName,
} from "../core/adapters/elasticsearch/elasticsearch-indexer.ts";
import {
  MOVIES_INDEX_MAPPINGS,
  MOVIES_INDEX_SETTINGS,
} from "../core/adapters/elasticsearch/elasticsearch-mapping.ts";
import { loadMovieLens } from "../core/adapters/movielens/load-movielens.ts";

async function main(): Promise<void> {
  const program = new Command("elasticsearch:index")
    .option("--dry-run", "print the requests without calling Elasticsearch")
    .option("--data <dir>", "MovieLens directory (default: MOVIELENS_DIR)")
    .parse();
  const opts = program.opts<{ dryRun?: boolean; data?: string }>();
  const config = loadConfig();
  const dataDir = opts.data ?? config.MOVIELENS_DIR;
  if (!dataDir) throw new Error("MOVIELENS_DIR (or --data) is required for this command");
  const alias = config.ELASTICSEARCH_INDEX;
  const catalog = await loadMovieLens(dataDir);

  if (opts.dryRun) {
    const index = versionedIndexName(alias, new Date());
    const documents = movieDocuments(catalog);
    const print = (line: string) => process.stdout.write(`${line}\n`);
    print("# dry run: nothing sent to Elasticsearch");
    print(`HEAD /${alias}    # must be an alias (or absent), never a concrete index`);
    print(`PUT /${index}`);
    print(
      JSON.stringify({ settings: MOVIES_INDEX_SETTINGS, mappings: MOVIES_INDEX_MAPPINGS }, null, 2),
    );
    print(`POST /_bulk    # ${documents.length} documents, e.g.`);
    for (const doc of documents.slice(0, 2)) {
      print(JSON.stringify({ index: { _index: index, _id: String(doc.movieId) } }));
      print(JSON.stringify(doc));
    }
    print(`POST /${index}/_refresh`);
    print(`GET /_alias/${alias}    # the indices behind the alias now`);
    print("POST /_aliases");
    print(
      JSON.stringify({
        actions: [
          { remove: { index: "<each index behind the alias>", alias } },
          { add: { index, alias, is_write_index: true } },
        ],
      }),
    );
    print("DELETE /<each index that was behind the alias>");
    return;
  }

  if (!config.ELASTICSEARCH_URL && !config.ELASTICSEARCH_CLOUD_ID) {
    throw new Error("ELASTICSEARCH_URL or ELASTICSEARCH_CLOUD_ID is required for this command");
  }
  const client = createElasticsearchClient({
    ...(config.ELASTICSEARCH_URL ? { url: config.ELASTICSEARCH_URL } : {}),
    ...(config.ELASTICSEARCH_CLOUD_ID ? { cloudId: config.ELASTICSEARCH_CLOUD_ID } : {}),
    ...(config.ELASTICSEARCH_API_KEY ? { apiKey: config.ELASTICSEARCH_API_KEY } : {}),
    // Bulk requests are big and an admin can wait: not the autocomplete budget.
    timeoutMs: 60_000,
    maxRetries: 3,
  });
  const bar = new SingleBar({ format: "  movies {bar} {percentage}% {value}/{total}" });
  let started = false;
  const result = await reindexMovies({
    client,
    alias,
    catalog,
    onStep: (step) => process.stdout.write(`${step}\n`),
    onProgress: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
      if (done === total) bar.stop();
    },
  });
  process.stdout.write(
    `${alias} → ${result.index}: ${result.indexed} movies indexed; deleted ${result.deleted.join(", ") || "nothing"}.\n`,
  );
  await client.close();
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `elasticsearch:index failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
