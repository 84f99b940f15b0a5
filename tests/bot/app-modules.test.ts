import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { embeddedSettings } from "../support/data.ts";
import { describeWith, requireRedis } from "../support/requirements.ts";

const run = promisify(execFile);
const redis = await requireRedis();
const SCRIPT = resolve(import.meta.dirname, "../support/loaded-packages.ts");

/** The packages `npm start`'s app has loaded once ready, with these settings. */
async function loadedPackages(settings: Record<string, string>): Promise<string[]> {
  const { stdout } = await run(process.execPath, [SCRIPT], {
    env: {
      PATH: process.env.PATH ?? "",
      MOVIEBOT_TEST_SETTINGS: JSON.stringify({ ...embeddedSettings("modules"), ...settings }),
    },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as string[];
}

// Clients of what is not configured cost start-up CPU for nothing: Bolt and discord.js are about
// half a second each on a shared core (issue 18), and Cloud Run starts instances from zero.
const CLIENTS = ["@slack/bolt", "discord.js", "@discordjs/rest", "bullmq", "ioredis", "pg"];

describeWith(redis)("the modules a start loads", () => {
  it("loads no chat platform's, Redis's or PostgreSQL's client when none is configured", async () => {
    const loaded = await loadedPackages({});
    expect(loaded).toContain("express");
    expect(loaded.filter((name) => CLIENTS.includes(name))).toEqual([]);
  }, 90_000);

  it("loads each one configured", async () => {
    const loaded = await loadedPackages({
      SLACK_SIGNING_SECRET: "slack-signing-secret-for-tests",
      SLACK_BOT_TOKEN: "xoxb-for-tests",
      // Nothing listens there: Slack's auth.test is retried in the background meanwhile.
      SLACK_API_URL: "http://127.0.0.1:9/api/",
      DISCORD_APPLICATION_ID: "123456789012345678",
      DISCORD_PUBLIC_KEY: "a".repeat(64),
      DISCORD_BOT_TOKEN: "bot-token-for-tests",
      DISCORD_API_URL: "http://127.0.0.1:9",
      // PostgreSQL that does not answer: the store is built (and retried on use) all the same.
      DATABASE_URL: "postgres://postgres@127.0.0.1:9/moviebot",
      REDIS_URL: redis.url,
      // A queue of its own, and no worker: this start must not take other tests' jobs.
      QUEUE_NAME: `modules-${process.pid}`,
      RUN_WORKER: "false",
    });
    expect(loaded).toEqual(expect.arrayContaining(CLIENTS));
  }, 90_000);
});
