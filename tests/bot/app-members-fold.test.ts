import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../bot/app.ts";
import { recommenderOptions } from "../../bot/builders/recommender-builder.ts";
import { loadConfig } from "../../bot/config.ts";
import { loadMovieLens } from "../../core/adapters/movielens/load-movielens.ts";
import { SqliteTasteStore } from "../../core/adapters/sqlite/sqlite-taste-store.ts";
import { memberId } from "../../core/members/taste-store.ts";
import { LocalRecommender } from "../../core/recommend/local-recommender.ts";
import { MOVIELENS_DIR } from "../support/data.ts";
import { describeWith, realMovieLens } from "../support/requirements.ts";

const TOY_STORY = 1;
// A film ml-latest-small's raters seldom pair with Toy Story: 30 members liking both bring it in.
const PAIRED = 1030;
const FOLDED = "members' likes folded into the recommender";
const READY = /^moviebot ready/;

let app: RunningApp | undefined;
const messages: string[] = [];
const config = loadConfig({
  PORT: "0",
  LOG_LEVEL: "info",
  MOVIELENS_DIR,
  CACHE_DIR: mkdtempSync(join(tmpdir(), "moviebot-fold-cache-")),
  DATA_DIR: mkdtempSync(join(tmpdir(), "moviebot-fold-data-")),
  // Answers straight from the recommender serving at the time, not from the answer cache.
  RECOMMEND_CACHE_SIZE: "0",
});

beforeAll(async () => {
  const store = await SqliteTasteStore.open(join(config.DATA_DIR, "moviebot.db"));
  for (let n = 0; n < 30; n++)
    await store.addLikes(memberId("discord", "G1", `U${n}`), [TOY_STORY, PAIRED]);
  await store.close();
});
afterAll(() => app?.close());

const recommended = async (base: string) => {
  const response = await fetch(`${base}/api/recommend?liked=${TOY_STORY}&limit=10`);
  const body = (await response.json()) as { results: { movieId: number }[] };
  return body.results.map((r) => r.movieId);
};

describeWith(realMovieLens)("members' likes at start-up", () => {
  it("is ready before the members' fold ends, and serves the folded recommender once it has", async () => {
    // MovieLens alone does not bring the paired film for Toy Story.
    const alone = await LocalRecommender.create(await loadMovieLens(MOVIELENS_DIR), {
      ...recommenderOptions(config),
      cacheDir: null,
    });
    const ids = (await alone.recommend([TOY_STORY], 10)).items.map((i) => i.movieId);
    expect(ids).not.toContain(PAIRED);

    const logger = pino(
      { level: "info" },
      { write: (line: string) => messages.push(JSON.parse(line).msg) },
    );
    app = await startApp(config, logger);
    const base = `http://127.0.0.1:${app.port}`;
    await app.ready;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // The fold starts once the server answers and ends after: it held /healthz before (issue 18).
    await expect.poll(() => messages.includes(FOLDED), { timeout: 20_000 }).toBe(true);
    const ready = messages.findIndex((m) => READY.test(m));
    expect(ready).toBeGreaterThanOrEqual(0);
    expect(ready).toBeLessThan(messages.indexOf(FOLDED));
    // Everyone's recommendations now learn from the members.
    expect(await recommended(base)).toContain(PAIRED);
  });
});
