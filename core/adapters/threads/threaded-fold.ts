import { once } from "node:events";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { MemberRating } from "../../members/member-ratings.ts";
import type { ItemNeighbourTable } from "../../recommend/item-neighbours.ts";
import type { PopularMovie } from "../../recommend/popular.ts";
import { RatingIndex, type Sections } from "../../recommend/rating-index.ts";

export interface FoldWorkerData {
  /** The base index's arrays: shared memory when they come from a snapshot or a build. */
  index: Sections;
  rows: readonly MemberRating[];
  /** The item-neighbour table's rows, when the strategy has one: a new table if they change. */
  itemIds: Int32Array | null;
}

export type FoldReply =
  | { index: Sections; popular: PopularMovie[]; table: ItemNeighbourTable | null }
  | { error: string };

export interface FoldedIndex {
  index: RatingIndex;
  popular: PopularMovie[];
  /** A new item-neighbour table when the movie rows changed; null when the base's still fits. */
  table: ItemNeighbourTable | null;
}

const WORKER_URL = new URL(
  `./fold-worker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

/**
 * Members' likes folded into a new rating index from flat ratings, on a thread of its own: only
 * when a member liked a movie nobody rated, which changes the movie rows (other likes ride beside
 * the base index: memberRowsOf). At 25M ratings it takes seconds of CPU and the item-neighbour
 * table tens, which on the event loop held every request, /healthz included (issue 18). The new
 * index's arrays are SharedArrayBuffers, so nothing is copied back.
 */
export async function foldOffThread(
  base: RatingIndex,
  rows: readonly MemberRating[],
  itemIds: Int32Array | null,
): Promise<FoldedIndex> {
  const worker = new Worker(WORKER_URL, {
    workerData: { index: base.sections(), rows, itemIds } satisfies FoldWorkerData,
  });
  // Background work: a process shutting down does not wait for it (the next start folds again).
  worker.unref();
  try {
    const [reply] = (await Promise.race([
      once(worker, "message"),
      once(worker, "exit").then(([code]) => {
        throw new Error(`the fold thread exited with code ${code}`);
      }),
    ])) as [FoldReply];
    if ("error" in reply) throw new Error(reply.error);
    return { index: new RatingIndex(reply.index), popular: reply.popular, table: reply.table };
  } finally {
    await worker.terminate();
  }
}
