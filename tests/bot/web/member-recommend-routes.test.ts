import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../../bot/app.ts";
import { loadConfig } from "../../../bot/config.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";

// GET /api/me/recommend over HTTP: the cookie's member only, bad input a 400 with a message.
let app: RunningApp;
let base: string;

beforeAll(async () => {
  const config = loadConfig({
    PORT: "0",
    LOG_LEVEL: "silent",
    MOVIELENS_DIR,
    CACHE_DIR: mkdtempSync(join(tmpdir(), "moviebot-merec-cache-")),
    DATA_DIR: mkdtempSync(join(tmpdir(), "moviebot-merec-data-")),
    SESSION_SECRET: "member-recommend-test-secret-0123456789",
  });
  app = await startApp(config, pino({ level: "silent" }));
  base = `http://127.0.0.1:${app.port}`;
  await app.ready;
});
afterAll(() => app?.close());

interface Answer {
  strategy: string;
  results: { movieId: number; taste: { like: boolean } | null }[];
  pickedForYou: boolean;
  popularSource: string | null;
}

async function get(path: string, cookie?: string) {
  const response = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} });
  const set = response.headers.getSetCookie().find((c) => c.startsWith("moviebot_member="));
  return {
    status: response.status,
    body: (await response.json()) as Answer & { error?: string },
    cookie: set?.split(";")[0],
  };
}

async function like(cookie: string, movieId: number) {
  const response = await fetch(`${base}/api/me/feedback`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ movieId, kind: "like", on: true }),
  });
  expect(response.status).toBe(200);
}

describe("GET /api/me/recommend", () => {
  it("gives a new member the popular picks, and issues the member", async () => {
    const { status, body, cookie } = await get("/api/me/recommend?limit=5");
    expect(status).toBe(200);
    expect(cookie).toBeDefined();
    expect(body.strategy).toBe("popular");
    expect(body.pickedForYou).toBe(false);
    expect(body.results).toHaveLength(5);
    // Each result carries the member's controls on it.
    for (const result of body.results) expect(result.taste).toMatchObject({ like: false });
  });

  it("answers 'Picked for you' from the cookie member's likes, and no one else's", async () => {
    const alice = (await get("/api/me")).cookie as string;
    const bob = (await get("/api/me")).cookie as string;
    const popular = (await get("/api/me/recommend?limit=4", alice)).body.results;
    for (const result of popular.slice(0, 3)) await like(alice, result.movieId);
    const liked = popular.slice(0, 3).map((r) => r.movieId);

    const forAlice = (await get("/api/me/recommend?limit=8", alice)).body;
    expect(forAlice.pickedForYou).toBe(true);
    expect(forAlice.strategy).not.toBe("popular");
    for (const result of forAlice.results) expect(liked).not.toContain(result.movieId);

    const forBob = (await get("/api/me/recommend?limit=8", bob)).body;
    expect(forBob.pickedForYou).toBe(false);
    expect(forBob.strategy).toBe("popular");
  });

  it("remembers picks as likes, but not 'More like this'", async () => {
    const carol = (await get("/api/me")).cookie as string;
    const popular = (await get("/api/me/recommend?limit=3", carol)).body.results.map(
      (r) => r.movieId,
    );
    await get(`/api/me/recommend?liked=${popular[0]}&more=1`, carol);
    const me = async () =>
      (await (await fetch(`${base}/api/me`, { headers: { cookie: carol } })).json()) as {
        taste: Record<string, { like: boolean }>;
      };
    expect((await me()).taste).toEqual({});
    await get(`/api/me/recommend?liked=${popular[1]},${popular[2]}`, carol);
    expect(
      Object.keys((await me()).taste)
        .map(Number)
        .sort(),
    ).toEqual([popular[1], popular[2]].sort());
  });

  it("refuses a query naming a member, and says what is wrong with bad input", async () => {
    for (const [path, message] of [
      ["/api/me/recommend?user=abc", /Unknown parameter user: the member is the cookie's/],
      ["/api/me/recommend?liked=1,x", /numeric movieIds/],
      ["/api/me/recommend?limit=0", /limit must be between 1 and 50/],
      ["/api/me/recommend?more=1", /More like this takes one movie/],
      ["/api/me/recommend?liked=1,2&more=1", /More like this takes one movie/],
      ["/api/me/recommend?more=yes&liked=1", /more must be 1/],
    ] as const) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      expect(body.error, path).toMatch(message);
    }
  });
});

describe("GET /api/me/export", () => {
  it("gives the cookie's member their rows as a file, and a new browser nothing", async () => {
    const dora = (await get("/api/me")).cookie as string;
    const popular = (await get("/api/me/recommend?limit=2", dora)).body.results;
    await like(dora, popular[0]?.movieId as number);
    const response = await fetch(`${base}/api/me/export`, { headers: { cookie: dora } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="moviebot-export.json"',
    );
    const data = (await response.json()) as {
      member: { platform: string; workspace: string; user: string };
      entries: { movieId: number; kind: string; title: string | null }[];
    };
    expect(data.member).toMatchObject({ platform: "web", workspace: "web" });
    expect(decodeURIComponent(dora)).toContain(`s:${data.member.user}.`);
    expect(data.entries).toEqual([
      expect.objectContaining({ movieId: popular[0]?.movieId, kind: "like" }),
    ]);
    expect(data.entries[0]?.title).toBeTruthy();

    const stranger = (await (await fetch(`${base}/api/me/export`)).json()) as { entries: [] };
    expect(stranger.entries).toEqual([]);
  });
});
