import { cacheKey, ModelCache } from "../adapters/files/model-cache.ts";
import type { Catalog } from "../catalog/catalog.ts";
import { type BlendData, genreBits } from "./blended-scores.ts";
import {
  buildItemNeighbours,
  DEFAULT_ITEM_NEIGHBOUR_OPTIONS,
  deserializeItemNeighbours,
  type ItemNeighbourOptions,
  type ItemNeighbourTable,
  serializeItemNeighbours,
} from "./item-neighbours.ts";
import type { RatingIndex } from "./rating-index.ts";
import { seriesOf } from "./series.ts";

export type ItemModelProgress =
  | { phase: "items-cache-hit"; path: string }
  | { phase: "items-built"; seconds: number; pairs: number }
  | { phase: "items-saved"; path: string }
  | { phase: "items-cache-write-failed"; message: string };

/**
 * What the default strategy needs beyond the rating index: the item-neighbour table (the costly
 * part: about 0.5 s at 100k ratings, tens of seconds at 25M, so it is cached on disk keyed by the
 * data checksum and the options), the series read from titles and the genre bits (cheap, rebuilt).
 */
export function itemModelFrom(
  catalog: Catalog,
  index: RatingIndex,
  table: ItemNeighbourTable = buildItemNeighbours(index),
): BlendData {
  const rowOfMovie = new Map(catalog.movies.map((m, i) => [m.movieId, i]));
  const seriesOfMovie = seriesOf(catalog.movies);
  const series = Int32Array.from(index.items.ids, (id) => {
    const at = rowOfMovie.get(id);
    return at === undefined ? -1 : (seriesOfMovie[at] as number);
  });
  const { genres, genreIdf } = genreBits(index.items.ids, (id) => catalog.get(id)?.genres);
  return { index, table, series, genres, genreIdf };
}

export async function loadOrBuildItemModel(
  catalog: Catalog,
  index: RatingIndex,
  cacheDir: string | null,
  options: ItemNeighbourOptions = DEFAULT_ITEM_NEIGHBOUR_OPTIONS,
  onProgress?: (event: ItemModelProgress) => void,
): Promise<BlendData> {
  const cache = cacheDir === null ? null : new ModelCache(cacheDir);
  const key = cacheKey(catalog.checksum, { kind: "item-neighbours", ...options });
  const cached = await cache?.load("items", key);
  const table = cached ? deserializeItemNeighbours(cached.arrays) : null;
  if (cache && table && sameRows(table.itemIds, index.items.ids)) {
    onProgress?.({ phase: "items-cache-hit", path: cache.pathOf("items", key) });
    return itemModelFrom(catalog, index, table);
  }
  const started = performance.now();
  const built = buildItemNeighbours(index, options);
  onProgress?.({
    phase: "items-built",
    seconds: (performance.now() - started) / 1000,
    pairs: built.cols.length,
  });
  if (cache) {
    // A read-only or full disk costs a rebuild next start, never this start.
    try {
      await cache.save("items", key, { options }, serializeItemNeighbours(built));
      onProgress?.({ phase: "items-saved", path: cache.pathOf("items", key) });
    } catch (error) {
      onProgress?.({ phase: "items-cache-write-failed", message: String(error) });
    }
  }
  return itemModelFrom(catalog, index, built);
}

export function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
