import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { answerInBatches, HOLD_MS, Outbox } from "../../../../core/adapters/threads/batches.ts";

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
