import { availableParallelism } from "node:os";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { MemberRating } from "../../members/member-ratings.ts";
import type { BlendData } from "../../recommend/blended-scores.ts";
import type { RecommenderState, ServeOptions } from "../../recommend/local-recommender.ts";
import {
  type PackedRecommendation,
  unpackRecommendation,
} from "../../recommend/packed-recommendation.ts";
import type { PopularMovie } from "../../recommend/popular.ts";
import type { Sections } from "../../recommend/rating-index.ts";
import type { Recommendation, Recommender, RecommendOptions } from "../../recommend/recommender.ts";
import { type Answer, Outbox, PendingRequests, settle } from "./batches.ts";

/** What each worker starts from: the index's arrays (shared memory), the popular list, the options. */
export interface WorkerData {
  index: Sections;
  /**
   * Members' likes, to ride beside the index (memberRowsOf, RatingIndex.members): each thread
   * builds their rows and the popular list with them itself, off the event loop.
   */
  memberRows: readonly MemberRating[];
  /** The default strategy's item model without its index (the worker has it from `index`). */
  items: Omit<BlendData, "index"> | null;
  popular: PopularMovie[];
  /** The catalogue's movieIds. */
  known: Int32Array;
  options: ServeOptions;
}

export type AskRequest =
  | { id: number; kind: "recommend"; liked: number[]; limit: number }
  | { id: number; kind: "popular"; limit: number };

/** Requests go to a thread in batches (batches.ts), in the order they were made. */
export type WorkerRequest =
  | AskRequest[]
  | { kind: "members"; rows: readonly MemberRating[] }
  /** The data of a thread started without it (startRecommendThreads), before any request. */
  | { kind: "start"; data: WorkerData };

/** Answers cross packed (packed-recommendation.ts): one array to copy, not ninety objects. */
export type WorkerAnswer = Answer<PackedRecommendation>;
/** Answers come back in batches too. */
export type WorkerReply = WorkerAnswer[];

interface Pending {
  resolve: (value: PackedRecommendation) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  pending: PendingRequests<Pending>;
  /** Requests not yet posted: they go at the end of the event loop's turn. */
  outbox: Outbox<AskRequest>;
  dead: boolean;
}

// The worker runs as the same kind of file as this one: .ts from the sources, .js once built.
const WORKER_URL = new URL(
  `./recommend-worker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

/**
 * The embedded model-free recommender run on worker threads. A recommendation walks every rater of
 * the picked movies: milliseconds on ml-latest-small, tens at 25M ratings. On the event loop, fifty
 * of them queued ahead of a health check or a keystroke make those wait; here the event loop only
 * parses and answers. The threads read the rating index the main thread holds (SharedArrayBuffer),
 * so N threads cost no more memory than one. Answers are the in-process recommender's, to the bit.
 */
export class ThreadedRecommender implements Recommender {
  private readonly threads: Thread[] = [];
  private readonly data: WorkerData;
  private nextId = 0;
  private closed = false;

  /**
   * `started`: threads startRecommendThreads began before the data was loaded; up to `size` of
   * them are taken (removed from the array) and given the data, the rest are spawned here.
   */
  constructor(
    state: RecommenderState,
    knownIds: Int32Array,
    options: ServeOptions,
    size: number,
    started: Worker[] = [],
  ) {
    // The threads are given the base's arrays: members come through setMembers.
    if (state.index.members)
      throw new Error("ThreadedRecommender takes members through setMembers");
    this.data = {
      index: state.index.sections(),
      memberRows: [],
      items: state.items
        ? {
            table: state.items.table,
            series: state.items.series,
            genres: state.items.genres,
            genreIdf: state.items.genreIdf,
          }
        : null,
      popular: state.popular,
      known: knownIds,
      // Only the serving options: the caller's may carry callbacks, which cannot cross threads.
      options: {
        strategy: options.strategy,
        k: options.k,
        ...(options.neighbours === undefined ? {} : { neighbours: options.neighbours }),
      },
    };
    for (let i = 0; i < Math.max(1, size); i++) this.threads.push(this.spawn(started.shift()));
  }

  /** Threads to run when the setting says "auto": the cores beside the event loop's, at least one. */
  static autoSize(): number {
    return Math.max(1, Math.min(4, availableParallelism() - 1));
  }

  recommend(
    liked: readonly number[],
    limit: number,
    options: RecommendOptions = {},
  ): Promise<Recommendation> {
    return this.send({ kind: "recommend", liked: [...liked], limit }, options);
  }

  popular(limit: number, options: RecommendOptions = {}): Promise<Recommendation> {
    return this.send({ kind: "popular", limit }, options);
  }

  /**
   * Serves with members' likes `rows` riding beside the base index from now on (memberRowsOf:
   * every movie must have a row in it, fitsBeside); none: the base alone. Each thread gets them
   * before any request sent after this call, and a thread started later starts with them. The
   * threads build the members' rows and popular list themselves: the event loop only posts them.
   */
  setMembers(rows: readonly MemberRating[]): void {
    this.data.memberRows = rows;
    for (const thread of this.threads) {
      // Requests made before this call go first, answered without these rows, as they were asked.
      thread.outbox.flush();
      thread.worker.postMessage({ kind: "members", rows } satisfies WorkerRequest);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private send(
    request: DistributiveOmit<AskRequest, "id">,
    options: RecommendOptions,
  ): Promise<Recommendation> {
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    if (this.closed) return Promise.reject(new Error("the recommender is closed"));
    // The least busy thread: a slow recommendation on one does not hold up the next request.
    let thread = this.threads[0] as Thread;
    for (const t of this.threads) if (t.pending.size < thread.pending.size) thread = t;
    const id = this.nextId++;
    return new Promise<Recommendation>((resolve, reject) => {
      // A thread with work keeps the process alive (a CLI awaits its answer); an idle one does not.
      if (thread.pending.size === 0) thread.worker.ref();
      thread.pending.add(id, {
        resolve: (packed) => resolve(unpackRecommendation(packed)),
        reject,
      });
      thread.outbox.add({ ...request, id });
    });
  }

  private spawn(started?: Worker): Thread {
    // A thread started early that failed meanwhile is replaced by a new one.
    const alive = started && !ended.has(started) && started.threadId !== -1 ? started : undefined;
    if (started && !alive) void started.terminate();
    const worker = alive ?? new Worker(WORKER_URL, { workerData: this.data });
    if (alive) worker.postMessage({ kind: "start", data: this.data } satisfies WorkerRequest);
    const thread: Thread = {
      worker,
      pending: new PendingRequests(),
      outbox: new Outbox((batch) => worker.postMessage(batch satisfies WorkerRequest)),
      dead: false,
    };
    worker.on("message", (reply: WorkerReply) => {
      settle(thread.pending, reply);
      if (thread.pending.size === 0) worker.unref();
    });
    const fail = (error: Error) => {
      if (thread.dead) return;
      thread.dead = true;
      // Requests not yet posted are among the pending, refused below.
      thread.outbox.clear();
      for (const pending of thread.pending.takeAll()) pending.reject(error);
      if (this.closed) return;
      // A thread that died is replaced; its requests fail, the others' go on.
      const at = this.threads.indexOf(thread);
      if (at >= 0) this.threads[at] = this.spawn();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (!this.closed) fail(new Error(`a recommendation thread exited with code ${code}`));
    });
    // Idle threads must not keep a finished process (a CLI run, a test) alive. After the listeners:
    // adding a "message" listener refs the worker's port again.
    worker.unref();
    return thread;
  }
}

/**
 * Recommendation threads started before their data exists: each loads its modules (a few hundred
 * milliseconds of CPU) while the main thread loads the server's and reads the snapshot, then waits
 * for ThreadedRecommender to hand it the data. Without them the first recommendation after a cold
 * start waited for that loading after /healthz turned 200 (issue 18). Idle, they do not keep a
 * process alive; close those no ThreadedRecommender took.
 */
export function startRecommendThreads(count: number): Worker[] {
  return Array.from({ length: count }, () => {
    const worker = new Worker(WORKER_URL);
    // Until a ThreadedRecommender takes it, a failure only marks it: that one starts another.
    worker.on("error", () => ended.add(worker));
    worker.on("exit", () => ended.add(worker));
    worker.unref();
    return worker;
  });
}

/** Threads of startRecommendThreads that failed or exited before they were taken. */
const ended = new WeakSet<Worker>();

/** Omit over each member of a union, keeping it a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
