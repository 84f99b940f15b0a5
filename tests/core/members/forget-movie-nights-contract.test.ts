import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberId, type TasteStore } from "../../../core/members/taste-store.ts";
import type { Candidate, MovieNightStore, NewNight } from "../../../core/movienight/movie-night.ts";
import { type NightEngine, nightEngines } from "../../support/movie-night-engines.ts";

// Forget me and uninstall reach the movie nights (same database): no vote, place, night or
// schedule of the member is left, on both engines; other workspaces keep theirs.
const engines = await nightEngines();

let serial = 0;
function newNight(overrides: Partial<NewNight>): NewNight {
  serial++;
  return {
    id: `night-${serial}`,
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

const candidates: Candidate[] = [10, 20, 30].map((movieId, i) => ({
  movieId,
  rank: i + 1,
  score: 1 - i / 10,
  reason: `reason ${movieId}`,
}));

for (const [name, makeEngine, skipReason] of engines) {
  const suite = skipReason ? describe.skip : describe;
  suite(`forgetting movie nights on ${name}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let engine: NightEngine;
    let nights: MovieNightStore;
    let taste: TasteStore;

    /** Rows of a movie-night table mentioning a user, read straight from the database. */
    async function rows(sql: string, ...params: string[]): Promise<number> {
      if (name === "sqlite") {
        const db = new DatabaseSync(engine.url.slice("sqlite:".length), { readOnly: true });
        try {
          const pgStyle = sql.replace(/\$\d+/g, "?");
          return Number((db.prepare(pgStyle).get(...params) as { n: number }).n);
        } finally {
          db.close();
        }
      }
      const client = new pg.Client({ connectionString: engine.url });
      await client.connect();
      try {
        return Number((await client.query(sql, params)).rows[0]?.n);
      } finally {
        await client.end();
      }
    }
    const votesBy = (user: string) =>
      rows("SELECT COUNT(*) AS n FROM movie_night_votes WHERE user_id = $1", user);
    const placesOf = (user: string) =>
      rows("SELECT COUNT(*) AS n FROM movie_night_participants WHERE user_id = $1", user);
    const nightsIn = (workspace: string) =>
      rows("SELECT COUNT(*) AS n FROM movie_nights WHERE workspace = $1", workspace);

    beforeAll(async () => {
      engine = await makeEngine();
      nights = await engine.openNights();
      taste = await engine.openTaste();
    });
    afterAll(async () => {
      await nights?.close();
      await taste?.close();
      await engine?.dispose();
    });

    it("forget me: the member's votes and places go, and the nights and schedules they started", async () => {
      // U1 started one night; U2 started another, U1 joined it and voted.
      const byU1 = await nights.create(newNight({ starter: "U1" }), ["U1", "U3"]);
      const byU2 = await nights.create(newNight({ starter: "U2" }), ["U2"]);
      await nights.join(byU2.id, "U1", 2_000);
      await nights.join(byU2.id, "U3", 2_000);
      await nights.startVoting(byU2.id, candidates, 9_000_000);
      await nights.vote(byU2.id, "U1", 10, 3_000);
      await nights.vote(byU2.id, "U3", 20, 3_000);
      await nights.saveSchedule({
        id: "slack:T1:C9",
        platform: "slack",
        workspace: "T1",
        channel: "C9",
        weekday: 5,
        time: "20:00",
        timeZone: "Europe/Zurich",
        setBy: "U1",
        createdAt: 1_000,
      });
      // The same user id in another workspace is another member.
      const elsewhere = await nights.create(newNight({ workspace: "T2", starter: "U1" }), ["U1"]);
      await taste.addLikes(memberId("slack", "T1", "U1"), [10]);

      await taste.forget(memberId("slack", "T1", "U1"));

      expect(await nights.night(byU1.id)).toBeNull();
      expect(await nights.night(byU2.id)).not.toBeNull();
      expect((await nights.participants(byU2.id)).map((p) => p.user)).toEqual(["U2", "U3"]);
      expect(await nights.tally(byU2.id)).toEqual(new Map([[20, 1]]));
      expect(await nights.schedule("slack:T1:C9")).toBeNull();
      expect(
        await rows(
          "SELECT COUNT(*) AS n FROM movie_night_participants WHERE user_id = $1 AND night_id <> $2",
          "U1",
          elsewhere.id,
        ),
      ).toBe(0);
      expect(await votesBy("U1")).toBe(0);
      expect(
        await rows(
          "SELECT COUNT(*) AS n FROM movie_nights WHERE starter = $1 AND workspace = $2",
          "U1",
          "T1",
        ),
      ).toBe(0);
      // Their night in T2 is T2's member's, untouched.
      expect(await nights.night(elsewhere.id)).not.toBeNull();
      expect(await placesOf("U3")).toBe(1);
    });

    it("uninstall: every night, vote, place, film, schedule and claim of the workspace goes", async () => {
      const night = await nights.create(newNight({ workspace: "T5", starter: "U7" }), ["U7"]);
      await nights.startVoting(night.id, candidates, 9_000_000);
      await nights.vote(night.id, "U7", 30, 3_000);
      await nights.saveSchedule({
        id: "slack:T5:C1",
        platform: "slack",
        workspace: "T5",
        channel: "C1",
        weekday: 1,
        time: "19:00",
        timeZone: "UTC",
        setBy: "U7",
        createdAt: 1_000,
      });
      await nights.claim("schedule:slack:T5:C1:2026-11-30T19:00:00.000Z", 1_000);
      // A workspace whose id would match T5's as a LIKE pattern keeps its claim.
      await nights.claim("schedule:slack:T5X:C1:2026-11-30T19:00:00.000Z", 1_000);
      const other = await nights.create(newNight({ workspace: "T6", starter: "U7" }), ["U7"]);

      await taste.forgetWorkspace("slack", "T5");

      expect(await nightsIn("T5")).toBe(0);
      expect(await nights.night(night.id)).toBeNull();
      expect(await votesBy("U7")).toBe(0);
      expect(
        await rows(
          "SELECT COUNT(*) AS n FROM movie_night_candidates WHERE night_id = $1",
          night.id,
        ),
      ).toBe(0);
      expect(await nights.schedules({ platform: "slack", workspace: "T5" })).toEqual([]);
      expect(
        await rows(
          "SELECT COUNT(*) AS n FROM movie_night_claims WHERE claim_key LIKE $1",
          "schedule:slack:T5:%",
        ),
      ).toBe(0);
      expect(
        await rows(
          "SELECT COUNT(*) AS n FROM movie_night_claims WHERE claim_key LIKE $1",
          "schedule:slack:T5X:%",
        ),
      ).toBe(1);
      expect(await nights.night(other.id)).not.toBeNull();
    });
  });
}
