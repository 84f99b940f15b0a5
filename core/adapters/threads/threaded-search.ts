import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { MovieSearch, Suggestion, SuggestOptions } from "../../search/movie-search.ts";
import type { SearchSections } from "../files/search-sections.ts";
import { type Answer, Outbox, PendingRequests, settle } from "./batches.ts";

/**
 * The embedded index's plain form, as UTF-8 JSON: from the start-up snapshot these are views of
 * its SharedArrayBuffer, so a thread reads them without a copy. Or where they lie in the snapshot
 * file, for a thread started before the main thread has read it (it reads those two sections
 * itself, checks their CRC-32s, and drops them once its index is built).
 */
export type SearchWorkerData =
  | {
      /** The catalogue's movies (Movie[]). */
      movies: Uint8Array;
      /** LocalMovieSearch's SearchSnapshot. */
      index: Uint8Array;
    }
  | ({ file: string } & SearchSections);

export type SearchWorkerRequest = { id: number; query: string; limit: number };
export type SearchWorkerAnswer = Answer<Suggestion[]>;
/** Requests go to the thread in batches (batches.ts), and answers come back so. */
export type SearchWorkerReply = SearchWorkerAnswer[] | { ready: true };

interface Pending {
  resolve: (value: Suggestion[]) => void;
  reject: (error: Error) => void;
  /** Answers in process instead, when the thread could not start. */
  fallback: () => void;
}

const WORKER_URL = new URL(
  `./search-worker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

/**
 * The embedded search on a worker thread. A keystroke's search costs a fraction of a millisecond,
 * but fifty of them queued on the event loop make a health check wait (issue 18: /healthz p99
 * 170–300 ms under autocomplete load). Here the event loop only parses and answers. Keystrokes
 * that arrive while the thread builds its index (about a second of CPU at 25M ratings; the server
 * starts it from the snapshot file before loading the rest, early-search.ts, so it is usually
 * ready first) wait for it. If it cannot start, or dies, `local` answers in process: the
 * same index, so the same answers, built on the event loop only then.
 */
export class ThreadedSearch implements MovieSearch {
  private local: () => MovieSearch;
  private data: SearchWorkerData;
  private worker: Worker | null = null;
  /** Requests for `worker`, posted together at the end of the event loop's turn. */
  private outbox: Outbox<SearchWorkerRequest> = new Outbox(() => {});
  private ready = false;
  private readonly pending = new PendingRequests<Pending>();
  private nextId = 0;
  private closed = false;
  /** Settles once the first thread has its index (true) or could not build it (false). */
  readonly started: Promise<boolean>;
  private settle: (ready: boolean) => void = () => {};

  constructor(local: () => MovieSearch, data: SearchWorkerData) {
    this.local = local;
    this.data = data;
    this.started = new Promise((resolve) => {
      this.settle = resolve;
    });
    this.spawn();
  }

  suggest(query: string, limit: number, options: SuggestOptions = {}): Promise<Suggestion[]> {
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    const worker = this.worker;
    if (!worker) return this.local().suggest(query, limit, options);
    const id = this.nextId++;
    return new Promise<Suggestion[]>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      // Before the thread is ready the message waits in its port; a start that fails hands it
      // to the event loop (below).
      this.pending.add(id, {
        resolve,
        reject,
        fallback: () => this.local().suggest(query, limit, options).then(resolve, reject),
      });
      this.outbox.add({ id, query, limit });
    });
  }

  /**
   * From now on `local` answers when no thread can, and a thread started again (one that died
   * serving) builds from `data`: for a thread started from the snapshot file before the rest was
   * loaded, once the same bytes are in memory.
   */
  adopt(local: () => MovieSearch, data: SearchWorkerData): void {
    this.local = local;
    this.data = data;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker?.terminate();
  }

  private spawn(): void {
    const worker = new Worker(WORKER_URL, { workerData: this.data });
    const outbox = new Outbox<SearchWorkerRequest>((batch) => worker.postMessage(batch));
    this.worker = worker;
    this.outbox = outbox;
    this.ready = false;
    worker.on("message", (reply: SearchWorkerReply) => {
      if (!Array.isArray(reply)) {
        this.ready = true;
        this.settle(true);
        return;
      }
      settle(this.pending, reply);
      if (this.pending.size === 0) worker.unref();
    });
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      // Requests not yet posted are among the pending, answered below.
      outbox.clear();
      const wasReady = this.ready;
      for (const pending of this.pending.takeAll()) {
        if (wasReady || this.closed) pending.reject(error);
        else pending.fallback();
      }
      this.worker = null;
      this.ready = false;
      // A thread that died serving is replaced; one that could not even start would fail again,
      // so the event loop goes on answering. Either way, meanwhile, the event loop answers.
      if (!this.closed && wasReady) this.spawn();
      else this.settle(false);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (!this.closed) fail(new Error(`the search thread exited with code ${code}`));
    });
    // An idle thread must not keep a finished process (a CLI run, a test) alive.
    worker.unref();
  }
}
