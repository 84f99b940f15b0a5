import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresTasteStore } from "../../../core/adapters/postgres/postgres-taste-store.ts";
import { SqliteTasteStore } from "../../../core/adapters/sqlite/sqlite-taste-store.ts";
import { IDLE_BATCH, memberId, type TasteStore } from "../../../core/members/taste-store.ts";
import { postgresUnavailable } from "../../support/postgres-db.ts";
import { type EngineUnderTest, postgresEngine, sqliteEngine } from "../../support/stores.ts";

// "Members not seen since": idle web members go with every row about them, on both engines.
const pgDown = await postgresUnavailable();
const engines: [string, () => Promise<EngineUnderTest>, string | null][] = [
  ["sqlite", sqliteEngine, null],
  ["postgres", postgresEngine, pgDown],
];

const DAY = 24 * 60 * 60 * 1000;
const idle = memberId("web", "web", "idleidleidleidleidleidle");
const regular = memberId("web", "web", "regularregularregularreg");
const writer = memberId("web", "web", "writerwriterwriterwriter");
const slacker = memberId("slack", "T1", "U1");

for (const [name, makeEngine, skipReason] of engines) {
  const suite = skipReason ? describe.skip : describe;
  suite(`forgetIdle on ${name}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let engine: EngineUnderTest;
    let store: TasteStore;
    let now = Date.UTC(2026, 0, 1);
    const memberCount = (m: { platform: string; user: string }) =>
      engine.count(
        `SELECT COUNT(*) AS count FROM members WHERE platform = '${m.platform}' AND user_id = '${m.user}'`,
      );

    beforeAll(async () => {
      engine = await makeEngine();
      // A clock the test moves, so "90 days later" takes no time.
      const clock = { now: () => now };
      if (name === "sqlite") {
        const file = engine.url.slice("sqlite:".length);
        store = await SqliteTasteStore.open(file, clock);
      } else {
        store = new PostgresTasteStore(engine.url, clock);
        await store.migrate();
      }
    });
    afterAll(async () => {
      await store?.close();
      await engine?.dispose();
    });

    it("deletes web members not seen since the cut-off, with their movies and settings", async () => {
      for (const m of [idle, regular, writer, slacker]) {
        await store.mark(m, 1, "like", true);
        await store.saveSettings(m, { region: "FR", services: ["Netflix"] });
      }
      now += 100 * DAY;
      // A visit (the page loaded) and a write both count as being seen.
      await store.touch(regular);
      await store.mark(writer, 2, "watchlist", true);
      now += DAY;

      const gone = await store.forgetIdle("web", now - 90 * DAY);

      expect(gone).toBe(1);
      expect(await memberCount(idle)).toBe(0);
      expect(await store.entries(idle)).toEqual([]);
      expect(
        await engine.count(
          "SELECT COUNT(*) AS count FROM member_movies WHERE member_id NOT IN (SELECT id FROM members)",
        ),
      ).toBe(0);
      expect(
        await engine.count(
          "SELECT COUNT(*) AS count FROM member_settings WHERE member_id NOT IN (SELECT id FROM members)",
        ),
      ).toBe(0);
      expect((await store.entries(regular)).length).toBe(1);
      expect((await store.entries(writer)).length).toBe(2);
      expect((await store.settings(regular)).region).toBe("FR");
      // Slack and Discord members have no idle expiry: only the platform asked for goes.
      expect((await store.entries(slacker)).length).toBe(1);
      expect(await store.forgetIdle("web", now - 90 * DAY)).toBe(0);
    });

    it("a visit by a member with no rows creates none", async () => {
      const stranger = memberId("web", "web", "strangerstrangerstranger");
      await store.touch(stranger);
      expect(await memberCount(stranger)).toBe(0);
    });

    it("works through a backlog longer than one batch", async () => {
      const many = Array.from({ length: IDLE_BATCH + 3 }, (_, i) =>
        memberId("web", "web", `backlog${String(i).padStart(17, "0")}`),
      );
      for (const m of many) await store.addLikes(m, [3]);
      now += 200 * DAY;
      await store.touch(regular);
      expect(await store.forgetIdle("web", now - 90 * DAY)).toBe(IDLE_BATCH + 3 + 1);
      expect(
        await engine.count("SELECT COUNT(*) AS count FROM members WHERE platform = 'web'"),
      ).toBe(1);
    });
  });
}
