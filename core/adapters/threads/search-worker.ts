// One thread of ThreadedSearch: the embedded search index rebuilt from its plain form (the
// snapshot's bytes, shared with the main thread), answering keystrokes so the HTTP event loop
// only parses and replies.
import { parentPort, workerData } from "node:worker_threads";
import type { Movie } from "../../catalog/movie.ts";
import { LocalMovieSearch, type SearchSnapshot } from "../../search/local-movie-search.ts";
import type {
  SearchWorkerData,
  SearchWorkerReply,
  SearchWorkerRequest,
} from "./threaded-search.ts";

const data = workerData as SearchWorkerData;
const text = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
const search = new LocalMovieSearch(
  JSON.parse(text(data.movies)) as Movie[],
  undefined,
  JSON.parse(text(data.index)) as SearchSnapshot,
);
parentPort?.postMessage({ ready: true });

parentPort?.on("message", (request: SearchWorkerRequest) => {
  let reply: SearchWorkerReply;
  try {
    reply = { id: request.id, result: search.suggestNow(request.query, request.limit) };
  } catch (error) {
    reply = { id: request.id, error: (error as Error).message };
  }
  parentPort?.postMessage(reply);
});
