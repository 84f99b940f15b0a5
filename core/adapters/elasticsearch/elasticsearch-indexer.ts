import type { Client } from "@elastic/elasticsearch";
import type { Catalog } from "../../catalog/catalog.ts";
import {
  MOVIES_INDEX_MAPPINGS,
  MOVIES_INDEX_SETTINGS,
  type MovieDocument,
  movieDocument,
} from "./elasticsearch-mapping.ts";

export interface ReindexOptions {
  client: Client;
  /** The alias searches read (ELASTICSEARCH_INDEX); each load goes to a fresh `<alias>-<timestamp>`. */
  alias: string;
  catalog: Catalog;
  now?: Date;
  /** Documents indexed so far, of all. */
  onProgress?: (done: number, total: number) => void;
  /** Each request as it is made ("PUT /movies-20261124t060000z"), for the script to print. */
  onStep?: (step: string) => void;
}

export interface ReindexResult {
  index: string;
  indexed: number;
  failed: number;
  /** The indices the alias pointed at before, now deleted. */
  deleted: string[];
}

/** movies-20261124t061502z: sortable and a legal (lowercase) index name. */
export function versionedIndexName(alias: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "").toLowerCase();
  return `${alias}-${stamp}`;
}

export function movieDocuments(catalog: Catalog): MovieDocument[] {
  return catalog.movies.map((movie) => movieDocument(movie, catalog.statsOf(movie.movieId)));
}

/**
 * Zero-downtime reload: build a new versioned index, bulk-load it, then move the alias in one
 * _aliases call (searches see the old index or the new one, never none), and only then delete the
 * old indices. A failed load deletes the half-built index and leaves the alias untouched.
 */
export async function reindexMovies(options: ReindexOptions): Promise<ReindexResult> {
  const { client, alias } = options;
  const step = options.onStep ?? (() => {});
  const index = versionedIndexName(alias, options.now ?? new Date());
  const documents = movieDocuments(options.catalog);

  if (await client.indices.exists({ index: alias })) {
    const existing = await client.indices.getAlias({ name: alias }, { ignore: [404] });
    if (!existing || Object.keys(existing).length === 0 || "error" in existing) {
      throw new Error(
        `${alias} is a concrete index, not an alias: delete or rename it once, then re-run`,
      );
    }
  }

  step(`PUT /${index}`);
  await client.indices.create({
    index,
    settings: MOVIES_INDEX_SETTINGS,
    mappings: MOVIES_INDEX_MAPPINGS,
  });

  let done = 0;
  let failed = 0;
  try {
    step(`POST /_bulk (${documents.length} documents into ${index})`);
    await client.helpers.bulk<MovieDocument>({
      datasource: documents,
      onDocument: (doc) => ({ index: { _index: index, _id: String(doc.movieId) } }),
      onSuccess: () => {
        done++;
        options.onProgress?.(done, documents.length);
      },
      onDrop: () => {
        failed++;
      },
      refreshOnCompletion: index,
    });
    if (failed > 0) throw new Error(`${failed} of ${documents.length} movies failed to index`);
  } catch (error) {
    step(`DELETE /${index} (load failed)`);
    await client.indices.delete({ index }, { ignore: [404] });
    throw error;
  }

  const previous = await client.indices.getAlias({ name: alias }, { ignore: [404] });
  const old = Object.keys(previous ?? {}).filter(
    (name) => name !== index && name !== "error" && name !== "status",
  );
  step(`POST /_aliases (${alias} → ${index}${old.length ? `, off ${old.join(", ")}` : ""})`);
  await client.indices.updateAliases({
    actions: [
      ...old.map((name) => ({ remove: { index: name, alias } })),
      { add: { index, alias, is_write_index: true } },
    ],
  });
  if (old.length > 0) {
    step(`DELETE /${old.join(",")}`);
    await client.indices.delete({ index: old });
  }
  return { index, indexed: done, failed, deleted: old };
}
