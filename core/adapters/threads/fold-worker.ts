// The thread of foldOffThread: builds the rating index with members' likes from the base index's
// ratings (shared memory, not copied) and a new item-neighbour table, and hands back the new
// index's arrays (shared too), so the HTTP event loop goes on answering while it is built. Only
// for likes of a movie nobody rated, which change the movie rows; other likes ride beside the
// base index (memberRowsOf).
import { parentPort, workerData } from "node:worker_threads";
import { popularOfIndex, withMemberRatings } from "../../members/member-index.ts";
import { sameRows } from "../../recommend/item-model.ts";
import { buildItemNeighbours } from "../../recommend/item-neighbours.ts";
import { RatingIndex, type Sections } from "../../recommend/rating-index.ts";
import type { FoldReply, FoldWorkerData } from "./threaded-fold.ts";

const data = workerData as FoldWorkerData;
let reply: FoldReply;
try {
  const base = new RatingIndex(data.index as Sections);
  const index = new RatingIndex(withMemberRatings(base.ratings(), data.rows));
  // The base's item-neighbour table serves while the movie rows are the same; a member's like of
  // a movie nobody had rated changes the rows: built here.
  const table =
    data.itemIds && !sameRows(data.itemIds, index.items.ids) ? buildItemNeighbours(index) : null;
  reply = { index: index.sections(), popular: popularOfIndex(index), table };
} catch (error) {
  reply = { error: (error as Error).message };
}
parentPort?.postMessage(reply);
