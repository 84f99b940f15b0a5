/**
 * Messages between the event loop and a worker thread, sent in batches. Each postMessage costs
 * both threads more than the copy of its payload: a wake-up of the receiving thread (a system call
 * on each side) and an event dispatched there. Under load, dozens of requests arrive in one turn
 * of the event loop; sent as one message, they cost one wake-up instead of dozens (issue 18).
 */

/**
 * The longest a thread holds answers it has finished, to send them with the next ones. Small
 * beside a request's own time in the queue, and it bounds what a batch adds to its first answer.
 */
export const HOLD_MS = 1;

/**
 * Requests waiting to be posted to a thread: all those made during one turn of the event loop go
 * together, when the turn's I/O callbacks are done (setImmediate runs right after them). No timer,
 * so a lone request is not delayed.
 */
export class Outbox<T> {
  private items: T[] = [];
  private readonly post: (items: T[]) => void;

  constructor(post: (items: T[]) => void) {
    this.post = post;
  }

  get size(): number {
    return this.items.length;
  }

  add(item: T): void {
    if (this.items.length === 0) setImmediate(() => this.flush());
    this.items.push(item);
  }

  /** Posts what is waiting now (a message that must follow them, or the end of the turn). */
  flush(): void {
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.post(items);
  }

  /** Drops what is waiting: the thread it was for is gone, and its requests were answered. */
  clear(): void {
    this.items = [];
  }
}

/**
 * Answers a batch in order, sending the answers as they are ready but together: whatever is
 * finished once HOLD_MS has passed since the last send goes out, and the rest at the end.
 */
export async function answerInBatches<Request, Reply>(
  requests: readonly Request[],
  answer: (request: Request) => Reply | Promise<Reply>,
  send: (replies: Reply[]) => void,
): Promise<void> {
  let replies: Reply[] = [];
  let since = performance.now();
  for (const request of requests) {
    const reply = answer(request);
    replies.push(reply instanceof Promise ? await reply : reply);
    if (performance.now() - since >= HOLD_MS) {
      send(replies);
      replies = [];
      since = performance.now();
    }
  }
  if (replies.length > 0) send(replies);
}

/** A thread's answer to one request. */
export type Answer<T> = { id: number; result: T } | { id: number; error: string };

/**
 * The requests a thread is answering, by id: a slot array indexed by the id's low bits, grown
 * when two in flight would share a slot (ids are sequential, so the table ends up about as large
 * as the most requests ever in flight at once).
 *
 * Not a Map, for the garbage collector's sake (issue 18). A Map whose entries churn is rehashed
 * into a new table again and again, and V8 keeps a replaced table linked to its successor, with
 * its entries, for iterators still walking it. Once one of those tables reached the old
 * generation, the young collections took its links as roots, and the requests in flight in later
 * tables survived them and were copied into the old generation. In a standalone server whose
 * requests waited on a worker: through a Map, 5–6 MB promoted per young collection and 12–15 ms
 * pauses; through an array, nothing and 1–2 ms. In the server, autocomplete with its answer cache
 * off: 1.4 → 0.2 MB per young collection.
 */
export class PendingRequests<P> {
  private ids: number[] = new Array(64).fill(-1);
  private values: (P | undefined)[] = new Array(64).fill(undefined);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds request `id`, a whole number not already pending. */
  add(id: number, value: P): void {
    if (!Number.isSafeInteger(id) || id < 0 || this.ids[id & (this.ids.length - 1)] === id) {
      throw new Error(`request id ${id} is not a new whole number`);
    }
    while (this.ids[id & (this.ids.length - 1)] !== -1) this.grow();
    const slot = id & (this.ids.length - 1);
    this.ids[slot] = id;
    this.values[slot] = value;
    this.count++;
  }

  /** Removes request `id` and returns it; undefined when it is not pending. */
  take(id: number): P | undefined {
    const slot = id & (this.ids.length - 1);
    if (this.ids[slot] !== id) return undefined;
    const value = this.values[slot];
    this.ids[slot] = -1;
    this.values[slot] = undefined;
    this.count--;
    return value;
  }

  /** Removes every pending request and returns them, oldest first. */
  takeAll(): P[] {
    const slots = [...this.ids.keys()].filter((slot) => this.ids[slot] !== -1);
    slots.sort((a, b) => (this.ids[a] as number) - (this.ids[b] as number));
    const values = slots.map((slot) => this.values[slot] as P);
    this.ids.fill(-1);
    this.values.fill(undefined);
    this.count = 0;
    return values;
  }

  /** Doubles the slots until every pending id has one of its own. */
  private grow(): void {
    const ids = this.ids;
    const values = this.values;
    for (let size = ids.length * 2; ; size *= 2) {
      const next: number[] = new Array(size).fill(-1);
      let fits = true;
      for (let slot = 0; slot < ids.length && fits; slot++) {
        const id = ids[slot] as number;
        if (id === -1) continue;
        if (next[id & (size - 1)] !== -1) fits = false;
        else next[id & (size - 1)] = id;
      }
      if (!fits) continue;
      this.ids = next;
      this.values = new Array(size).fill(undefined);
      for (let slot = 0; slot < ids.length; slot++) {
        const id = ids[slot] as number;
        if (id !== -1) this.values[id & (size - 1)] = values[slot];
      }
      // The old arrays may be in the old generation: emptied, they hold nothing young alive.
      values.fill(undefined);
      return;
    }
  }
}

/**
 * Settles the requests a batch of answers is for, and drops them from `pending`; an answer to a
 * request no longer pending (its thread was replaced meanwhile) is ignored.
 */
export function settle<T>(
  pending: PendingRequests<{ resolve: (value: T) => void; reject: (error: Error) => void }>,
  answers: readonly Answer<T>[],
): void {
  for (const answer of answers) {
    const request = pending.take(answer.id);
    if (!request) continue;
    if ("error" in answer) request.reject(new Error(answer.error));
    else request.resolve(answer.result);
  }
}
