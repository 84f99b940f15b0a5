// One thread of ThreadedRecommender: serves recommendations from the rating index the main thread
// built, shared through SharedArrayBuffers (nothing is copied), so a costly recommendation blocks
// this thread and never the HTTP event loop.
import { parentPort, workerData } from "node:worker_threads";
import { memberRowsOf, popularOfIndex } from "../../members/member-index.ts";
import type { MemberRating } from "../../members/member-ratings.ts";
import { LocalRecommender } from "../../recommend/local-recommender.ts";
import { packRecommendation } from "../../recommend/packed-recommendation.ts";
import { RatingIndex, type Sections } from "../../recommend/rating-index.ts";
import { answerInBatches } from "./batches.ts";
import type {
  AskRequest,
  WorkerAnswer,
  WorkerData,
  WorkerReply,
  WorkerRequest,
} from "./threaded-recommender.ts";

// Its data comes as workerData, or, for a thread started before the data was loaded (main.ts
// starts them first, so their modules load while the server's do), as the first message.
let data: WorkerData;
let known: Set<number>;
let base: RatingIndex;
let recommender: LocalRecommender;

function start(given: WorkerData): void {
  data = given;
  known = new Set(data.known);
  base = new RatingIndex(data.index as Sections);
  recommender = serving(data.memberRows);
}
if (workerData) start(workerData as WorkerData);

/**
 * The recommender over the base index with members' likes `rows` beside it (memberRowsOf), and
 * the popular list with them; the base alone when there are none (or they do not fit beside it,
 * which setMembers' caller rules out).
 */
function serving(rows: readonly MemberRating[]): LocalRecommender {
  const members = rows.length > 0 ? memberRowsOf(base, rows) : null;
  const index = members ? base.withMembers(members) : base;
  return LocalRecommender.fromState(
    {
      index,
      popular: members ? popularOfIndex(index) : data.popular,
      items: data.items ? { ...data.items, index } : null,
      known: (id) => known.has(id),
    },
    data.options,
  );
}

async function answer(request: AskRequest): Promise<WorkerAnswer> {
  try {
    const result =
      request.kind === "popular"
        ? await recommender.popular(request.limit)
        : await recommender.recommend(request.liked, request.limit);
    return { id: request.id, result: packRecommendation(result) };
  } catch (error) {
    return { id: request.id, error: (error as Error).message };
  }
}

parentPort?.on("message", async (request: WorkerRequest) => {
  if (Array.isArray(request)) {
    await answerInBatches(request, answer, (replies) =>
      parentPort?.postMessage(replies satisfies WorkerReply),
    );
    return;
  }
  if (request.kind === "start") {
    start(request.data);
    return;
  }
  // Messages arrive in order: every request sent after setMembers is answered with these.
  try {
    recommender = serving(request.rows);
  } catch {
    // Keeps the recommender it has: a thread that died here would be started with the same rows.
  }
});
