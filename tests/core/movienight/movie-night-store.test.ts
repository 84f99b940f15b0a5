import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  Candidate,
  MovieNightStore,
  NewNight,
  NightSchedule,
} from "../../../core/movienight/movie-night.ts";
import { type NightEngine, nightEngines } from "../../support/movie-night-engines.ts";

// The same suite against both adapters: a night must not depend on the engine.
const engines = await nightEngines();

let serial = 0;
function newNight(overrides: Partial<NewNight> = {}): NewNight {
  serial++;
  return {
    id: `night-${serial}-${Math.random().toString(36).slice(2)}`,
    platform: "slack",
    workspace: "T1",
    channel: "C1",
    starter: "U1",
    scheduleId: null,
    joinUntil: 1_000_000,
    createdAt: 1_000,
    ...overrides,
  };
}

const candidates: Candidate[] = [10, 20, 30, 40, 50].map((movieId, i) => ({
  movieId,
  rank: i + 1,
  score: 0.9 - i / 10,
  reason: `reason ${movieId}`,
}));

for (const [name, makeEngine, skipReason] of engines) {
  const suite = skipReason ? describe.skip : describe;
  suite(`MovieNightStore on ${name}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let engine: NightEngine;
    let store: MovieNightStore;

    beforeAll(async () => {
      engine = await makeEngine();
      store = await engine.openNights();
    });
    afterAll(async () => {
      await store?.close();
      await engine?.dispose();
    });

    it("opens a night with its named members, and a join counts once", async () => {
      const night = await store.create(newNight(), ["U1", "U2", "U2"]);
      expect(night.state).toBe("open");
      expect(await store.join(night.id, "U3", 2_000)).toEqual({ joined: true });
      expect(await store.join(night.id, "U3", 2_001)).toEqual({ joined: false });
      expect(await store.join(night.id, "U2", 2_002)).toEqual({ joined: false });
      const people = await store.participants(night.id);
      expect(people.map((p) => [p.user, p.how])).toEqual([
        ["U1", "named"],
        ["U2", "named"],
        ["U3", "joined"],
      ]);
    });

    it("moves open → voting once, and refuses joins after", async () => {
      const night = await store.create(newNight(), ["U1"]);
      const voting = await store.startVoting(night.id, candidates, 5_000_000);
      expect(voting?.state).toBe("voting");
      expect(voting?.voteUntil).toBe(5_000_000);
      expect(await store.startVoting(night.id, candidates, 6_000_000)).toBeNull();
      expect(await store.join(night.id, "U9", 3_000)).toBeNull();
      expect((await store.candidates(night.id)).map((c) => c.movieId)).toEqual([
        10, 20, 30, 40, 50,
      ]);
    });

    it("keeps one vote per member, changeable, and refuses films not on the poll", async () => {
      const night = await store.create(newNight(), ["U1"]);
      expect(await store.vote(night.id, "U1", 10, 1)).toBeNull(); // not voting yet
      await store.startVoting(night.id, candidates, 5_000_000);
      await store.vote(night.id, "U1", 10, 2);
      await store.vote(night.id, "U2", 10, 3);
      const tally = await store.vote(night.id, "U1", 20, 4);
      expect(Object.fromEntries(tally ?? [])).toEqual({ 10: 1, 20: 1 });
      expect(await store.vote(night.id, "U3", 999, 5)).toBeNull();
    });

    it("counts 50 members voting at once exactly (some twice, some changing)", async () => {
      const night = await store.create(newNight(), ["U1"]);
      await store.startVoting(night.id, candidates, 5_000_000);
      const clicks: Promise<unknown>[] = [];
      const final = new Map<string, number>();
      for (let m = 0; m < 50; m++) {
        const user = `M${m}`;
        const first = candidates[m % 5]?.movieId as number;
        clicks.push(store.vote(night.id, user, first, m));
        final.set(user, first);
        if (m % 7 === 0) clicks.push(store.vote(night.id, user, first, m)); // double click
      }
      await Promise.all(clicks);
      // A second wave: every third member changes their mind.
      await Promise.all(
        [...final.keys()]
          .filter((_, i) => i % 3 === 0)
          .map((user) => {
            final.set(user, 50);
            return store.vote(night.id, user, 50, 99);
          }),
      );
      const expected = new Map<number, number>();
      for (const movieId of final.values()) expected.set(movieId, (expected.get(movieId) ?? 0) + 1);
      const tally = await store.tally(night.id);
      expect(Object.fromEntries(tally)).toEqual(Object.fromEntries(expected));
      expect([...tally.values()].reduce((a, b) => a + b, 0)).toBe(50);
    });

    it("finishes once with the winner; a tie goes to the better group score", async () => {
      const night = await store.create(newNight(), ["U1"]);
      await store.startVoting(night.id, candidates, 5_000_000);
      await store.vote(night.id, "U1", 30, 1);
      await store.vote(night.id, "U2", 20, 2);
      const [a, b] = await Promise.all([store.finish(night.id), store.finish(night.id)]);
      const done = a ?? b;
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect(done?.night.state).toBe("closed");
      expect(done?.night.winner).toBe(20); // 1–1 tie: rank 2 beats rank 3
      expect(await store.vote(night.id, "U3", 30, 3)).toBeNull();
    });

    it("lets a claim be taken by exactly one of many", async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store.claim("schedule:x:2026-03-27T18:00:00.000Z", 1)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.claim("schedule:x:2026-04-03T17:00:00.000Z", 2)).toBe(true);
    });

    it("cancels an open night once, and lists only nights still pending", async () => {
      const night = await store.create(newNight({ workspace: "TP" }), ["U1"]);
      expect((await store.pending()).some((n) => n.id === night.id && n.state === "open")).toBe(
        true,
      );
      expect((await store.cancel(night.id))?.state).toBe("cancelled");
      expect(await store.cancel(night.id)).toBeNull();
      expect((await store.pending()).some((n) => n.id === night.id)).toBe(false);
    });

    it("keeps one schedule per channel, replaced when set again, removed when off", async () => {
      const schedule: NightSchedule = {
        id: "slack:T1:C9",
        platform: "slack",
        workspace: "T1",
        channel: "C9",
        weekday: 5,
        time: "19:00",
        timeZone: "Europe/Zurich",
        setBy: "U1",
        createdAt: 1,
      };
      await store.saveSchedule(schedule);
      await store.saveSchedule({ ...schedule, weekday: 6, time: "20:30", setBy: "U2" });
      expect(await store.schedules({ platform: "slack", workspace: "T1" })).toEqual([
        { ...schedule, weekday: 6, time: "20:30", setBy: "U2" },
      ]);
      expect(await store.removeSchedule(schedule.id)).toBe(true);
      expect(await store.removeSchedule(schedule.id)).toBe(false);
      expect(await store.schedule(schedule.id)).toBeNull();
    });

    it("shares the database with the member store (one migrations list)", async () => {
      const taste = await engine.openTaste();
      try {
        await taste.migrate();
        await store.migrate();
        expect(await store.night("nope")).toBeNull();
      } finally {
        await taste.close();
      }
    });
  });
}
