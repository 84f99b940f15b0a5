import type { RatingIndex } from "./rating-index.ts";

/**
 * Precomputed item neighbours learned on likes: for every movie, the `k` movies its likers liked
 * most, normalised for popularity. The similarity is an asymmetric cosine
 *
 *   sim(i → j) = likedBoth(i, j) / (liked(i)^(1 − pop) · liked(j)^pop + shrink)
 *
 * With pop = 0.5 it is the cosine of the two sets of likers; a larger `pop` divides more by the
 * candidate's own likes, so a blockbuster that everybody likes stops being everybody's neighbour
 * (the cause of "Toy Story → The Shawshank Redemption"). `shrink` damps pairs seen by few users.
 *
 * Only the top k per movie are kept: 62k movies × k = 100 is 6.2M pairs, 50 MB as two typed arrays,
 * where the dense matrix would be 15 GB. Users who liked more than `maxLikesPerUser` movies count
 * with an evenly strided sample of their likes: their pairs grow with the square of their likes
 * and say least about any one pair (someone who liked 3000 films).
 */
export interface ItemNeighbourOptions {
  k: number;
  pop: number;
  shrink: number;
  /** Pairs liked together by fewer users are dropped. */
  minShared: number;
  maxLikesPerUser: number;
}

export const DEFAULT_ITEM_NEIGHBOUR_OPTIONS: ItemNeighbourOptions = {
  k: 100,
  pop: 0.5,
  shrink: 20,
  minShared: 2,
  maxLikesPerUser: 500,
};

/**
 * Row r's neighbours are cols/sims[ptr[r] .. ptr[r+1]), best first. Plain typed arrays so the
 * table can be cached on disk and snapshotted (serialize / deserialize below).
 */
export interface ItemNeighbourTable {
  /** Item ids in row order, as the rating index had them when the table was built. */
  itemIds: Int32Array;
  ptr: Int32Array;
  cols: Int32Array;
  sims: Float32Array;
  /** Likes per item row (the popularity the similarity was normalised by). */
  likes: Int32Array;
}

export function buildItemNeighbours(
  index: RatingIndex,
  options: ItemNeighbourOptions = DEFAULT_ITEM_NEIGHBOUR_OPTIONS,
): ItemNeighbourTable {
  const nItems = index.items.length;
  const byItem = index.likedByItem;
  const byUser = sampledLikes(index, options.maxLikesPerUser);
  const likes = new Int32Array(nItems);
  for (let u = 0; u + 1 < byUser.ptr.length; u++) {
    for (let e = byUser.ptr[u] as number; e < (byUser.ptr[u + 1] as number); e++) {
      const i = byUser.cols[e] as number;
      likes[i] = (likes[i] as number) + 1;
    }
  }
  const inSample = sampleMembership(index, byUser);
  const co = new Int32Array(nItems);
  const touched = new Int32Array(nItems);
  const ptr = new Int32Array(nItems + 1);
  const cols: number[] = [];
  const sims: number[] = [];
  const bestRows = new Int32Array(options.k);
  const bestSims = new Float64Array(options.k);
  for (let i = 0; i < nItems; i++) {
    let nTouched = 0;
    for (let e = byItem.ptr[i] as number; e < (byItem.ptr[i + 1] as number); e++) {
      if (!inSample(e)) continue;
      const u = byItem.cols[e] as number;
      for (let f = byUser.ptr[u] as number; f < (byUser.ptr[u + 1] as number); f++) {
        const j = byUser.cols[f] as number;
        if (co[j] === 0) touched[nTouched++] = j;
        co[j] = (co[j] as number) + 1;
      }
    }
    // Keep the k best in an insertion-sorted buffer: k ≤ a few hundred, candidates many.
    let kept = 0;
    const base = (likes[i] as number) ** (1 - options.pop);
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t] as number;
      const shared = co[j] as number;
      co[j] = 0;
      if (j === i || shared < options.minShared) continue;
      const sim = shared / (base * (likes[j] as number) ** options.pop + options.shrink);
      if (kept === options.k) {
        const last = bestSims[kept - 1] as number;
        if (sim < last || (sim === last && j > (bestRows[kept - 1] as number))) continue;
      }
      let at = kept < options.k ? kept++ : kept - 1;
      while (
        at > 0 &&
        ((bestSims[at - 1] as number) < sim ||
          ((bestSims[at - 1] as number) === sim && (bestRows[at - 1] as number) > j))
      ) {
        bestSims[at] = bestSims[at - 1] as number;
        bestRows[at] = bestRows[at - 1] as number;
        at--;
      }
      bestSims[at] = sim;
      bestRows[at] = j;
    }
    for (let n = 0; n < kept; n++) {
      cols.push(bestRows[n] as number);
      sims.push(bestSims[n] as number);
    }
    ptr[i + 1] = cols.length;
  }
  return {
    itemIds: Int32Array.from(index.items.ids),
    ptr,
    cols: Int32Array.from(cols),
    sims: Float32Array.from(sims),
    likes,
  };
}

/** Each user's liked item rows, thinned by an even stride to at most `max`. */
function sampledLikes(index: RatingIndex, max: number): { ptr: Int32Array; cols: Int32Array } {
  const src = index.likedByUser;
  const nUsers = src.ptr.length - 1;
  const ptr = new Int32Array(nUsers + 1);
  for (let u = 0; u < nUsers; u++) {
    const n = (src.ptr[u + 1] as number) - (src.ptr[u] as number);
    ptr[u + 1] = (ptr[u] as number) + Math.min(n, max);
  }
  const cols = new Int32Array(ptr[nUsers] as number);
  for (let u = 0; u < nUsers; u++) {
    const start = src.ptr[u] as number;
    const n = (src.ptr[u + 1] as number) - start;
    const m = Math.min(n, max);
    for (let s = 0; s < m; s++)
      cols[(ptr[u] as number) + s] = src.cols[start + Math.floor((s * n) / m)] as number;
  }
  return { ptr, cols };
}

/** Whether likedByItem entry e (a user's like) survived that user's sampling. */
function sampleMembership(
  index: RatingIndex,
  sampled: { ptr: Int32Array; cols: Int32Array },
): (entry: number) => boolean {
  const byItem = index.likedByItem;
  const keep = new Uint8Array(byItem.cols.length);
  // Walk items in row order: a user's sampled likes are ascending, so one cursor per user suffices.
  const cursor = sampled.ptr.slice(0, -1);
  for (let i = 0; i + 1 < byItem.ptr.length; i++) {
    for (let e = byItem.ptr[i] as number; e < (byItem.ptr[i + 1] as number); e++) {
      const u = byItem.cols[e] as number;
      const at = cursor[u] as number;
      if (at < (sampled.ptr[u + 1] as number) && sampled.cols[at] === i) {
        keep[e] = 1;
        cursor[u] = at + 1;
      }
    }
  }
  return (entry) => keep[entry] === 1;
}

/** The table as named typed arrays (model cache, start-up snapshot) and back. */
export function serializeItemNeighbours(
  table: ItemNeighbourTable,
): Map<string, Int32Array | Float32Array> {
  return new Map<string, Int32Array | Float32Array>([
    ["itemIds", table.itemIds],
    ["ptr", table.ptr],
    ["cols", table.cols],
    ["sims", table.sims],
    ["likes", table.likes],
  ]);
}

export function deserializeItemNeighbours(
  arrays: ReadonlyMap<string, Int32Array | Float32Array>,
): ItemNeighbourTable | null {
  const itemIds = arrays.get("itemIds");
  const ptr = arrays.get("ptr");
  const cols = arrays.get("cols");
  const sims = arrays.get("sims");
  const likes = arrays.get("likes");
  if (
    !(itemIds instanceof Int32Array && ptr instanceof Int32Array && cols instanceof Int32Array) ||
    !(sims instanceof Float32Array && likes instanceof Int32Array) ||
    ptr.length !== itemIds.length + 1 ||
    likes.length !== itemIds.length ||
    cols.length !== sims.length ||
    ptr[ptr.length - 1] !== cols.length
  ) {
    return null;
  }
  return { itemIds, ptr, cols, sims, likes };
}

export interface ItemNeighbourRow {
  movieId: number;
  neighbourId: number;
  sim: number;
}

/**
 * The table from exported rows (sql/export_item_neighbours.sql: BigQuery builds it, the process
 * serves it), laid out on `index`'s item rows. Rows for movies the index lacks are dropped; likes
 * are counted from the index.
 */
export function itemNeighboursFromRows(
  index: RatingIndex,
  rows: readonly ItemNeighbourRow[],
): ItemNeighbourTable {
  const n = index.items.length;
  const lists: { col: number; sim: number }[][] = Array.from({ length: n }, () => []);
  for (const row of rows) {
    const i = index.items.rowOf(row.movieId);
    const j = index.items.rowOf(row.neighbourId);
    if (i >= 0 && j >= 0) lists[i]?.push({ col: j, sim: row.sim });
  }
  const ptr = new Int32Array(n + 1);
  const cols: number[] = [];
  const sims: number[] = [];
  for (let i = 0; i < n; i++) {
    const list = (lists[i] as { col: number; sim: number }[]).sort(
      (a, b) => b.sim - a.sim || a.col - b.col,
    );
    for (const { col, sim } of list) {
      cols.push(col);
      sims.push(sim);
    }
    ptr[i + 1] = cols.length;
  }
  const likes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    likes[i] = (index.likedByItem.ptr[i + 1] as number) - (index.likedByItem.ptr[i] as number);
  }
  return {
    itemIds: Int32Array.from(index.items.ids),
    ptr,
    cols: Int32Array.from(cols),
    sims: Float32Array.from(sims),
    likes,
  };
}

/** The placeholders sql/create_item_neighbours.sql takes, from the options. */
export function itemNeighbourSqlValues(
  options: ItemNeighbourOptions = DEFAULT_ITEM_NEIGHBOUR_OPTIONS,
): Record<string, number> {
  return {
    item_k: options.k,
    item_pop: options.pop,
    item_shrink: options.shrink,
    item_min_shared: options.minShared,
    item_max_likes: options.maxLikesPerUser,
  };
}
