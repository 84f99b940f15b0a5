import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { memberId, type TasteStore } from "../../../core/members/taste-store.ts";
import { GroupRecommender } from "../../../core/movienight/group-recommender.ts";
import { InProcessNightTimers } from "../../../core/movienight/in-process-night-timers.ts";
import { MovieNightError, type MovieNightStore } from "../../../core/movienight/movie-night.ts";
import { MovieNightService } from "../../../core/movienight/movie-night-service.ts";
import { eventually, type NightEngine, nightEngines } from "../../support/movie-night-engines.ts";
import { RecordingPublisher } from "../../support/recording-publisher.ts";
import { TableRecommender } from "../../support/table-recommender.ts";

const recommender = new TableRecommender({
  1: [100, 101, 102, 103, 104, 105, 106],
  2: [101, 100, 103, 102, 104, 105, 106],
});

/** One process's worth: its own connections, timers and service, on the shared database. */
async function process_(
  engine: NightEngine,
  publisher: RecordingPublisher,
  joinMs = 60_000,
  voteMs = 3_600_000,
) {
  const store = await engine.openNights();
  const taste = await engine.openTaste();
  const timers = new InProcessNightTimers();
  const service = new MovieNightService({
    store,
    taste,
    group: new GroupRecommender(recommender, { misery: 0.1, pool: 7 }),
    timers,
    publishers: { slack: publisher },
    settings: { joinMinutes: joinMs / 60_000, voteHours: voteMs / 3_600_000 },
    labels: { slack: (user) => `<@${user}>` },
  });
  timers.handle((job) => service.run(job));
  return {
    store,
    taste,
    timers,
    service,
    async stop() {
      await timers.close();
      await store.close();
      await taste.close();
    },
  };
}

const where = { platform: "slack" as const, workspace: "T1", channel: "C1" };

for (const [name, makeEngine, skipReason] of await nightEngines()) {
  const suite = skipReason ? describe.skip : describe;
  suite(`MovieNightService on ${name}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let engine: NightEngine;
    let taste: TasteStore;
    let store: MovieNightStore;
    const running: { stop(): Promise<void> }[] = [];

    beforeAll(async () => {
      engine = await makeEngine();
      taste = await engine.openTaste();
      store = await engine.openNights();
      await taste.addLikes(memberId("slack", "T1", "UANNA"), [1]);
      await taste.addLikes(memberId("slack", "T1", "UBEN"), [2]);
    });
    afterEach(async () => {
      for (const p of running.splice(0)) await p.stop();
    });
    afterAll(async () => {
      await store?.close();
      await taste?.close();
      await engine?.dispose();
    });

    it("runs a night end to end: join, the poll, votes, one winner", async () => {
      const publisher = new RecordingPublisher();
      const p = await process_(engine, publisher);
      running.push(p);
      const view = await p.service.start({ ...where, starter: "UANNA", named: ["UNEW"] });
      expect(view.withoutProfile).toEqual(["UNEW"]);
      const joined = await p.service.join(view.night.id, "UBEN");
      expect(joined).toMatchObject({ joined: true, hasProfile: true });
      expect(await p.service.closeJoining(view.night.id)).toHaveLength(5);
      expect(publisher.of("poll")).toEqual([
        { what: "poll", nightId: view.night.id, movies: [100, 101, 102, 103, 104] },
      ]);
      await p.service.vote(view.night.id, "UANNA", 103);
      await p.service.vote(view.night.id, "UBEN", 102);
      await p.service.vote(view.night.id, "UNEW", 102);
      await Promise.all([
        p.service.closeVoting(view.night.id),
        p.service.closeVoting(view.night.id),
      ]);
      expect(publisher.of("winner")).toEqual([
        { what: "winner", nightId: view.night.id, movieId: 102, votes: 2 },
      ]);
      await expect(p.service.vote(view.night.id, "UANNA", 101)).rejects.toThrow(
        /Voting has closed/,
      );
    });

    it("posts the poll and the winner on a retry when the platform refused them once, still once", async () => {
      const publisher = new (class extends RecordingPublisher {
        refuse = new Set(["poll", "winner"]);
        override async postPoll(...args: Parameters<RecordingPublisher["postPoll"]>) {
          if (this.refuse.delete("poll")) throw new Error("Slack is down");
          return super.postPoll(...args);
        }
        override async announce(...args: Parameters<RecordingPublisher["announce"]>) {
          if (this.refuse.delete("winner")) throw new Error("Slack is down");
          return super.announce(...args);
        }
      })();
      const p = await process_(engine, publisher);
      running.push(p);
      const view = await p.service.start({ ...where, starter: "UANNA", named: ["UBEN"] });
      await expect(p.service.closeJoining(view.night.id)).rejects.toThrow("Slack is down");
      // The job's retries (two workers at once): one poll.
      await Promise.all([
        p.service.closeJoining(view.night.id),
        p.service.closeJoining(view.night.id),
      ]);
      expect(publisher.of("poll")).toHaveLength(1);
      await p.service.vote(view.night.id, "UBEN", 103);
      await expect(p.service.closeVoting(view.night.id)).rejects.toThrow("Slack is down");
      await Promise.all([
        p.service.closeVoting(view.night.id),
        p.service.closeVoting(view.night.id),
      ]);
      await p.service.closeVoting(view.night.id);
      expect(publisher.of("winner")).toEqual([
        { what: "winner", nightId: view.night.id, movieId: 103, votes: 1 },
      ]);
    });

    it("tells a joiner without a profile to pick first, and refuses a stranger's cancel", async () => {
      const p = await process_(engine, new RecordingPublisher());
      running.push(p);
      const view = await p.service.start({ ...where, starter: "UANNA", named: [] });
      expect(await p.service.join(view.night.id, "UNOBODY")).toMatchObject({ hasProfile: false });
      await expect(p.service.cancel(view.night.id, "UBEN")).rejects.toThrow(MovieNightError);
      expect((await p.service.cancel(view.night.id, "UANNA")).state).toBe("cancelled");
      await expect(p.service.join(view.night.id, "UBEN")).rejects.toThrow(/cancelled/);
    });

    it("posts a clear message, not an empty poll, when every film is vetoed", async () => {
      const publisher = new RecordingPublisher();
      const p = await process_(engine, publisher);
      running.push(p);
      await taste.mark(memberId("slack", "T1", "USEENITALL"), 100, "seen", true);
      for (const id of [101, 102, 103, 104, 105, 106])
        await taste.mark(memberId("slack", "T1", "USEENITALL"), id, "seen", true);
      const view = await p.service.start({ ...where, starter: "UANNA", named: ["USEENITALL"] });
      expect(await p.service.closeJoining(view.night.id)).toBeNull();
      expect(publisher.of("poll")).toEqual([]);
      expect(publisher.of("no-poll")).toEqual([
        { what: "no-poll", nightId: view.night.id, message: expect.stringMatching(/vetoed/) },
      ]);
      expect((await store.night(view.night.id))?.state).toBe("closed");
    });

    it("announces the winner once after a restart before the close, with two processes up", async () => {
      const publisher = new RecordingPublisher();
      const first = await process_(engine, publisher, 50, 300);
      const view = await first.service.start({ ...where, starter: "UANNA", named: ["UBEN"] });
      await eventually(() => expect(publisher.of("poll")).toHaveLength(1), { timeout: 5000 });
      await first.service.vote(view.night.id, "UBEN", 104);
      await first.stop(); // the process dies before the vote closes
      const restarted = [
        await process_(engine, publisher, 50, 300),
        await process_(engine, publisher, 50, 300),
      ];
      running.push(...restarted);
      for (const p of restarted) await p.service.restore();
      await eventually(() => expect(publisher.of("winner")).toHaveLength(1), { timeout: 5000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(publisher.of("winner")).toEqual([
        { what: "winner", nightId: view.night.id, movieId: 104, votes: 1 },
      ]);
    });

    it("posts one night per weekly occurrence, whoever runs it and however often", async () => {
      const publisher = new RecordingPublisher();
      const workers = [await process_(engine, publisher), await process_(engine, publisher)];
      running.push(...workers);
      const schedule = await workers[0]?.service.setSchedule(
        { ...where, channel: "CWEEKLY" },
        { weekday: 5, time: "19:00", timeZone: "Europe/Zurich" },
        "UANNA",
      );
      const firedAt = Date.parse("2026-03-27T18:00:00.200Z");
      const runs = await Promise.all(
        workers.flatMap((w) => [
          w.service.runOccurrence(schedule?.id as string, firedAt),
          w.service.runOccurrence(schedule?.id as string, firedAt + 30_000),
        ]),
      );
      expect(runs.filter(Boolean)).toHaveLength(1);
      expect(publisher.of("night")).toHaveLength(1);
      // The next week is another occurrence (after the spring-forward: 17:00 UTC).
      await workers[1]?.service.runOccurrence(
        schedule?.id as string,
        Date.parse("2026-04-03T17:00:01Z"),
      );
      expect(publisher.of("night")).toHaveLength(2);
      expect(await workers[0]?.service.removeSchedule({ ...where, channel: "CWEEKLY" })).toBe(true);
    });
  });
}
