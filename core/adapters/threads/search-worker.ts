// One thread of ThreadedSearch: the embedded search index rebuilt from its plain form (the
// snapshot's bytes, shared with the main thread or read from the file here), answering keystrokes
// so the HTTP event loop only parses and replies.
import { parentPort, workerData } from "node:worker_threads";
import type { Movie } from "../../catalog/movie.ts";
import { LocalMovieSearch, type SearchSnapshot } from "../../search/local-movie-search.ts";
import { readSnapshotSection } from "../files/snapshot-file.ts";
import { answerInBatches } from "./batches.ts";
import type {
  SearchWorkerAnswer,
  SearchWorkerData,
  SearchWorkerReply,
  SearchWorkerRequest,
} from "./threaded-search.ts";

const text = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");

/**
 * A section's text. Read from the file, the bytes are this thread's own: released as soon as they
 * are decoded (a transfer detaches them) rather than at some later collection, so the 22 MB at
 * 25M ratings do not add to the process's peak memory.
 */
function sectionText(data: SearchWorkerData, name: "movies" | "index"): string {
  if (!("file" in data)) return text(data[name]);
  const bytes = readSnapshotSection(data.file, data[name]);
  const decoded = text(bytes);
  bytes.buffer.transfer(0);
  return decoded;
}

function build(data: SearchWorkerData): LocalMovieSearch {
  const movies = JSON.parse(sectionText(data, "movies")) as Movie[];
  return new LocalMovieSearch(
    movies,
    undefined,
    JSON.parse(sectionText(data, "index")) as SearchSnapshot,
  );
}

const search = build(workerData as SearchWorkerData);
parentPort?.postMessage({ ready: true } satisfies SearchWorkerReply);
// The table a browse builds on first use, built now: the first keystroke after a cold start would
// pay for it otherwise.
setImmediate(() => search.prepare());

function answer(request: SearchWorkerRequest): SearchWorkerAnswer {
  try {
    return { id: request.id, result: search.suggestNow(request.query, request.limit) };
  } catch (error) {
    return { id: request.id, error: (error as Error).message };
  }
}

parentPort?.on("message", (batch: SearchWorkerRequest[]) =>
  answerInBatches(batch, answer, (replies) =>
    parentPort?.postMessage(replies satisfies SearchWorkerReply),
  ),
);
