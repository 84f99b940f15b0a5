// One thread of ThreadedRecommender: serves recommendations from the rating index the main thread
// built, shared through SharedArrayBuffers (nothing is copied), so a costly recommendation blocks
// this thread and never the HTTP event loop.
import { parentPort, workerData } from "node:worker_threads";
import { LocalRecommender } from "../../recommend/local-recommender.ts";
import type { PopularMovie } from "../../recommend/popular.ts";
import { type MemberRows, RatingIndex, type Sections } from "../../recommend/rating-index.ts";
import type { WorkerData, WorkerReply, WorkerRequest } from "./threaded-recommender.ts";

const data = workerData as WorkerData;
const known = new Set(data.known);
const base = new RatingIndex(data.index as Sections);
let recommender = serving(data.members, data.popular);

/** The recommender over the base index with `members` beside it (RatingIndex.members). */
function serving(members: MemberRows | null, popular: PopularMovie[]): LocalRecommender {
  const index = members ? base.withMembers(members) : base;
  return LocalRecommender.fromState(
    {
      index,
      popular,
      items: data.items ? { ...data.items, index } : null,
      known: (id) => known.has(id),
    },
    data.options,
  );
}

parentPort?.on("message", async (request: WorkerRequest) => {
  if (request.kind === "members") {
    // Messages arrive in order: every request sent after setMembers is answered with these.
    recommender = serving(request.members, request.popular);
    return;
  }
  let reply: WorkerReply;
  try {
    const result =
      request.kind === "popular"
        ? await recommender.popular(request.limit)
        : await recommender.recommend(request.liked, request.limit);
    reply = { id: request.id, result };
  } catch (error) {
    reply = { id: request.id, error: (error as Error).message };
  }
  parentPort?.postMessage(reply);
});
