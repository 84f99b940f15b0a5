import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../bot/app.ts";
import { loadConfig } from "../../bot/config.ts";
import { forgottenNotice } from "../../core/members/member-export.ts";
import { MOVIELENS_DIR } from "../support/data.ts";
import * as payload from "./discord/interactions.ts";
import { applicationKeys, signedHeaders } from "./discord/support.ts";

// "Forget me" says when others' recommendations lose the member: the composition root passes
// MEMBERS_REFRESH_MINUTES through (a signed Discord click into `npm start`'s own server), and with
// BigQuery the answer names the operator's sync instead of a refresh that never comes.
describe("the forget-me reply", () => {
  let app: RunningApp;
  let base: string;
  const keys = applicationKeys();

  beforeAll(async () => {
    const config = loadConfig({
      PORT: "0",
      LOG_LEVEL: "silent",
      MOVIELENS_DIR,
      CACHE_DIR: mkdtempSync(join(tmpdir(), "moviebot-forget-cache-")),
      DATA_DIR: mkdtempSync(join(tmpdir(), "moviebot-forget-data-")),
      MEMBERS_REFRESH_MINUTES: "60",
      DISCORD_APPLICATION_ID: payload.APP_ID,
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
      DISCORD_BOT_TOKEN: "bot-token-for-tests",
      DISCORD_API_URL: "http://127.0.0.1:9",
    });
    app = await startApp(config, pino({ level: "silent" }));
    base = `http://127.0.0.1:${app.port}`;
    await app.ready;
  });
  afterAll(() => app?.close());

  it("names MEMBERS_REFRESH_MINUTES as set (60: within an hour)", async () => {
    const body = JSON.stringify(payload.button("forget:confirm"));
    const response = await fetch(`${base}/discord/interactions`, {
      method: "POST",
      headers: signedHeaders(keys.privateKey, body),
      body,
    });
    expect(response.status).toBe(200);
    const text = JSON.stringify(await response.json());
    expect(text).toContain("I forgot everything about you");
    expect(text).toContain("at the recommender's next refresh, within an hour");
  });

  it("with BigQuery, says the operator's next sync instead", () => {
    expect(forgottenNotice(3, null)).toBe(
      "Done: I forgot everything about you (3 rows deleted). Other members' recommendations stop drawing on your likes when its data is next synced by the bot's operator.",
    );
    expect(forgottenNotice(1, 1440)).toContain("at the recommender's next refresh, within a day");
  });
});
