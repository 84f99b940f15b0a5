import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import {
  answerInBatches,
  HOLD_MS,
  Outbox,
  PendingRequests,
  settle,
} from "../../../../core/adapters/threads/batches.ts";

describe("Outbox", () => {
  it("posts the requests of one turn of the event loop as one message, in order", async () => {
    const posted: number[][] = [];
    const outbox = new Outbox<number>((items) => posted.push(items));
    outbox.add(1);
    outbox.add(2);
    outbox.add(3);
    expect(posted).toEqual([]);
    await nextTurn();
    expect(posted).toEqual([[1, 2, 3]]);
    outbox.add(4);
    await nextTurn();
    expect(posted).toEqual([[1, 2, 3], [4]]);
  });

  it("posts at once on flush, and drops what it holds on clear", async () => {
    const posted: string[][] = [];
    const outbox = new Outbox<string>((items) => posted.push(items));
    outbox.add("a");
    outbox.flush();
    expect(posted).toEqual([["a"]]);
    outbox.add("b");
    outbox.clear();
    expect(outbox.size).toBe(0);
    await nextTurn();
    expect(posted).toEqual([["a"]]);
  });
});

describe("answerInBatches", () => {
  it("answers in order and sends quick answers together", async () => {
    const sent: number[][] = [];
    await answerInBatches(
      [1, 2, 3],
      (n) => n * 10,
      (replies) => sent.push(replies),
    );
    expect(sent).toEqual([[10, 20, 30]]);
  });

  it("sends what is finished once HOLD_MS has passed, so a slow batch does not hold its first answers", async () => {
    const sent: string[][] = [];
    const slow = (name: string) => {
      const until = performance.now() + HOLD_MS * 2;
      while (performance.now() < until) {
        // Busy, as a search or recommendation is.
      }
      return name;
    };
    await answerInBatches(["a", "b", "c"], slow, (replies) => sent.push(replies));
    expect(sent).toEqual([["a"], ["b"], ["c"]]);
  });

  it("awaits answers given as promises", async () => {
    const sent: number[][] = [];
    await answerInBatches(
      [1, 2],
      async (n) => n + 1,
      (replies) => sent.push(replies),
    );
    expect(sent).toEqual([[2, 3]]);
  });
});

describe("PendingRequests", () => {
  it("gives back each request once, by id, and nothing for an id not pending", () => {
    const pending = new PendingRequests<string>();
    pending.add(0, "a");
    pending.add(1, "b");
    expect(pending.size).toBe(2);
    expect(pending.take(1)).toBe("b");
    expect(pending.take(1)).toBeUndefined();
    expect(pending.take(7)).toBeUndefined();
    expect(pending.size).toBe(1);
    expect(pending.take(0)).toBe("a");
    expect(pending.size).toBe(0);
  });

  it("keeps requests whose ids share a slot, and thousands in flight at once", () => {
    const pending = new PendingRequests<number>();
    // 0 and 64 fall in one slot of the first 64; a long-waiting request stays among new ones.
    pending.add(0, 0);
    for (let id = 1; id <= 5000; id++) pending.add(id, id * 10);
    expect(pending.size).toBe(5001);
    for (let id = 5000; id >= 1; id -= 2) expect(pending.take(id)).toBe(id * 10);
    expect(pending.take(0)).toBe(0);
    for (let id = 1; id <= 5000; id += 2) expect(pending.take(id)).toBe(id * 10);
    expect(pending.size).toBe(0);
    // A stale id whose slot holds a newer request is not mistaken for it.
    pending.add(8192, 1);
    expect(pending.take(0)).toBeUndefined();
    expect(pending.take(8192)).toBe(1);
  });

  it("refuses an id already pending, or not a whole number, instead of growing for ever", () => {
    const pending = new PendingRequests<string>();
    pending.add(3, "a");
    expect(() => pending.add(3, "b")).toThrow("not a new whole number");
    expect(() => pending.add(-1, "c")).toThrow("not a new whole number");
    expect(() => pending.add(1.5, "d")).toThrow("not a new whole number");
    expect(pending.take(3)).toBe("a");
  });

  it("takes all, oldest first, and is empty after", () => {
    const pending = new PendingRequests<string>();
    for (const id of [70, 3, 64, 5]) pending.add(id, `r${id}`);
    expect(pending.takeAll()).toEqual(["r3", "r5", "r64", "r70"]);
    expect(pending.size).toBe(0);
    expect(pending.take(3)).toBeUndefined();
  });

  it("settle resolves and rejects the requests answered, and ignores answers to others", () => {
    const pending = new PendingRequests<{
      resolve: (value: string) => void;
      reject: (error: Error) => void;
    }>();
    const seen: string[] = [];
    for (const id of [1, 2]) {
      pending.add(id, {
        resolve: (value) => seen.push(`${id}:${value}`),
        reject: (error) => seen.push(`${id}!${error.message}`),
      });
    }
    settle(pending, [
      { id: 2, error: "boom" },
      { id: 9, result: "stale" },
      { id: 1, result: "ok" },
    ]);
    expect(seen).toEqual(["2!boom", "1:ok"]);
    expect(pending.size).toBe(0);
  });
});
