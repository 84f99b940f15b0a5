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
 * Settles the requests a batch of answers is for, and drops them from `pending`; an answer to a
 * request no longer pending (its thread was replaced meanwhile) is ignored.
 */
export function settle<T>(
  pending: Map<number, { resolve: (value: T) => void; reject: (error: Error) => void }>,
  answers: readonly Answer<T>[],
): void {
  for (const answer of answers) {
    const request = pending.get(answer.id);
    if (!request) continue;
    pending.delete(answer.id);
    if ("error" in answer) request.reject(new Error(answer.error));
    else request.resolve(answer.result);
  }
}
