import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { buildMovieNights, type MovieNights } from "../../../bot/builders/movienight-builder.ts";
import { loadConfig } from "../../../bot/config.ts";
import { SqliteMovieNightStore } from "../../../core/adapters/sqlite/sqlite-movie-night-store.ts";
import { SqliteTasteStore } from "../../../core/adapters/sqlite/sqlite-taste-store.ts";
import { memberId, type TasteStore } from "../../../core/members/taste-store.ts";
import { fakeCards } from "../../support/fakes.ts";
import { eventually } from "../../support/movie-night-engines.ts";
import { TableRecommender } from "../../support/table-recommender.ts";
import { FakeSlack } from "../slack/support/fake-slack.ts";
import { textOfCall } from "../slack/support/night-harness.ts";

const logger = pino({ level: "silent" });

describe("buildMovieNights (npm start without Redis)", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp() {
    const dir = mkdtempSync(join(tmpdir(), "moviebot-nights-builder-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const slack = await new FakeSlack().start();
    cleanups.push(() => slack.close());
    const file = join(dir, "moviebot.db");
    const config = loadConfig({
      DATABASE_URL: `sqlite:${file}`,
      SLACK_SIGNING_SECRET: "secret",
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_API_URL: `${slack.url}/api/`,
    });
    const taste = await SqliteTasteStore.open(file);
    cleanups.push(() => taste.close());
    await taste.addLikes(memberId("slack", "T1", "U1"), [1]);
    const recommender = new TableRecommender({ 1: [3114, 296, 7] });
    const core = {
      cards: fakeCards({ recommender, taste }),
      recommender,
      members: taste as TasteStore,
    };
    const build = async () => {
      const nights = (await buildMovieNights(config, core, logger, {
        runJobs: true,
      })) as MovieNights;
      cleanups.push(() => nights.close());
      return nights;
    };
    return { slack, file, build };
  }

  it("is off for a core without a recommender or member store (a test's stand-in)", async () => {
    const config = loadConfig({});
    expect(
      await buildMovieNights(config, { cards: fakeCards() }, logger, { runJobs: true }),
    ).toBeNull();
  });

  it("posts with the bot token, and a close that fell due while the process was down runs at start-up, once", async () => {
    const { slack, file, build } = await setUp();
    const first = await build();
    expect(first.slack).toBeDefined();
    const view = await first.service.start({
      platform: "slack",
      workspace: "T1",
      channel: "C1",
      starter: "U1",
      named: [],
    });
    const ts = await first.slack?.publisher.postJoin(view);
    expect(ts).toMatch(/^1700000000\./);
    await first.close();

    // Joining's deadline passes while nothing runs.
    const db = new DatabaseSync(file);
    db.prepare("UPDATE movie_nights SET join_until = ? WHERE id = ?").run(
      Date.now() - 1000,
      view.night.id,
    );
    db.close();
    const store = await SqliteMovieNightStore.open(file);
    cleanups.push(() => store.close());

    await Promise.all([build(), build()]);
    await eventually(() =>
      expect(
        slack.calls("chat.postMessage").filter((b) => textOfCall(b).includes("vote for one film")),
      ).toHaveLength(1),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      slack.calls("chat.postMessage").filter((b) => textOfCall(b).includes("vote for one film")),
    ).toHaveLength(1);
    expect((await store.night(view.night.id))?.state).toBe("voting");
  });
});
