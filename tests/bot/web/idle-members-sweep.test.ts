import { createHmac } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../../bot/app.ts";
import { loadConfig } from "../../../bot/config.ts";
import { startIdleMembersSweep } from "../../../bot/web/idle-members-sweep.ts";
import { SqliteTasteStore } from "../../../core/adapters/sqlite/sqlite-taste-store.ts";
import { memberId } from "../../../core/members/taste-store.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";

// Web members idle past SESSION_IDLE_DAYS leave the member store: at start-up, then daily.
const DAY = 24 * 60 * 60 * 1000;
const SECRET = "idle-sweep-test-secret-0123456789abcdef";
const IDLE_DAYS = 30;

const webMember = (user: string) => memberId("web", "web", user);
const STALE = "staleStaleStaleStaleStal";
const RECENT = "recentRecentRecentRecent";
const VISITOR = "visitorVisitorVisitorVis";

/** Rows straight from the SQLite file, not through the store. */
function query(file: string, sql: string, ...params: string[]) {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return db.prepare(sql).all(...params) as Record<string, number | string | null>[];
  } finally {
    db.close();
  }
}

/** cookie-parser's signed form, holding `<id>.<last visit, epoch seconds>`. */
function cookieFor(user: string, seenAt: number): string {
  const value = `${user}.${Math.floor(seenAt / 1000)}`;
  const mac = createHmac("sha256", SECRET).update(value).digest("base64").replace(/=+$/, "");
  return `moviebot_member=${encodeURIComponent(`s:${value}.${mac}`)}`;
}

describe("the idle sweep", () => {
  it("runs at once, then on its interval, and says what it deleted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moviebot-sweep-"));
    let now = Date.UTC(2026, 0, 1);
    const store = await SqliteTasteStore.open(join(dir, "m.db"), { now: () => now });
    await store.mark(webMember(STALE), 1, "like", true);
    now += 40 * DAY;
    await store.mark(webMember(RECENT), 1, "like", true);
    await store.mark(memberId("slack", "T1", "U1"), 1, "like", true);
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: "info" },
      { write: (line: string) => void lines.push(JSON.parse(line)) },
    );

    const sweep = startIdleMembersSweep({
      store,
      idleDays: IDLE_DAYS,
      logger,
      everyMs: 60 * 60 * 1000,
      now: () => now,
    });
    try {
      // The start-up run is still in flight: asking again joins it instead of starting a second.
      expect(await sweep.sweep()).toBe(1);
      expect(await store.entries(webMember(STALE))).toEqual([]);
      expect((await store.entries(webMember(RECENT))).length).toBe(1);
      expect(lines.some((l) => l.msg === "idle web members deleted" && l.members === 1)).toBe(true);
      now += 31 * DAY;
      expect(await sweep.sweep()).toBe(1);
      expect(await store.entries(webMember(RECENT))).toEqual([]);
      // Slack members are not web members: no idle expiry.
      expect((await store.entries(memberId("slack", "T1", "U1"))).length).toBe(1);
    } finally {
      sweep.stop();
      await store.close();
    }
  });

  it("logs a store that fails and does not throw", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moviebot-sweep-"));
    const store = await SqliteTasteStore.open(join(dir, "m.db"));
    await store.close();
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: "info" },
      { write: (l: string) => void lines.push(JSON.parse(l)) },
    );
    const sweep = startIdleMembersSweep({ store, idleDays: IDLE_DAYS, logger });
    expect(await sweep.sweep()).toBe(0);
    sweep.stop();
    expect(lines.some((l) => l.msg === "idle web members not deleted")).toBe(true);
  });
});

describe("the server", () => {
  let app: RunningApp;
  let base: string;
  let file: string;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "moviebot-sweep-data-"));
    file = join(dataDir, "moviebot.db");
    // Members from before the start: one idle past the limit, one whose cookie is still good.
    const old = await SqliteTasteStore.open(file, {
      now: () => Date.now() - (IDLE_DAYS + 5) * DAY,
    });
    await old.mark(webMember(STALE), 1, "like", true);
    await old.close();
    const lately = await SqliteTasteStore.open(file, { now: () => Date.now() - 2 * DAY });
    await lately.mark(webMember(VISITOR), 1, "watchlist", true);
    await lately.close();

    const config = loadConfig({
      PORT: "0",
      LOG_LEVEL: "silent",
      MOVIELENS_DIR,
      CACHE_DIR: mkdtempSync(join(tmpdir(), "moviebot-sweep-cache-")),
      DATA_DIR: dataDir,
      SESSION_SECRET: SECRET,
      SESSION_IDLE_DAYS: String(IDLE_DAYS),
    });
    app = await startApp(config, pino({ level: "silent" }));
    base = `http://127.0.0.1:${app.port}`;
    await app.ready;
  });
  afterAll(() => app?.close());

  const memberRows = (user: string) =>
    query(file, "SELECT seen_at FROM members WHERE platform = 'web' AND user_id = ?", user);

  it("deletes web members idle past SESSION_IDLE_DAYS at start-up", async () => {
    await expect.poll(() => memberRows(STALE).length, { timeout: 5000 }).toBe(0);
    expect(query(file, "SELECT COUNT(*) AS n FROM member_movies")[0]?.n).toBe(1);
    expect(memberRows(VISITOR).length).toBe(1);
  });

  it("counts a visit to the page as being seen, so a regular is never swept", async () => {
    const before = Number(memberRows(VISITOR)[0]?.seen_at);
    const response = await fetch(`${base}/api/me`, {
      headers: { cookie: cookieFor(VISITOR, Date.now() - 2 * DAY) },
    });
    const body = (await response.json()) as { member: { new: boolean }; taste: object };
    expect(body.member.new).toBe(false);
    expect(Object.keys(body.taste)).toEqual(["1"]);
    await expect
      .poll(() => Number(memberRows(VISITOR)[0]?.seen_at), { timeout: 5000 })
      .toBeGreaterThan(before + DAY);
  });
});
