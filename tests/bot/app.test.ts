import { createHmac, generateKeyPairSync, sign } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppWithSlack, startAppWithSlack } from "../support/app-with-slack.ts";
import { MOVIELENS_DIR } from "../support/data.ts";
import { itWith, realMovieLens } from "../support/requirements.ts";

// The whole `npm start` graph, as the composition root builds it from settings: API, Slack and
// Discord on one server, each chat surface reached through its real, signed endpoint.
const slackSecret = "app-test-signing-secret";
const discordKeys = generateKeyPairSync("ed25519");
const discordPublicKeyHex = (
  discordKeys.publicKey.export({ format: "der", type: "spki" }) as Buffer
)
  .subarray(-32)
  .toString("hex");

let running: AppWithSlack;
let base: string;

beforeAll(async () => {
  running = await startAppWithSlack((standIn) => ({
    MOVIELENS_DIR,
    CACHE_DIR: mkdtempSync(join(tmpdir(), "moviebot-app-")),
    MF_FACTORS: "8",
    MF_ITERATIONS: "2",
    SLACK_SIGNING_SECRET: slackSecret,
    // Replies go nowhere: these tests look at what the endpoints answer.
    SLACK_RESPONSE_URL_ORIGINS: "http://127.0.0.1:1",
    DISCORD_APPLICATION_ID: "123456789012345678",
    DISCORD_PUBLIC_KEY: discordPublicKeyHex,
    DISCORD_BOT_TOKEN: "discord-test-token",
    DISCORD_API_URL: `${standIn}/discord`,
  }));
  base = running.base;
});

afterAll(() => running?.close());

describe("npm start", () => {
  itWith(realMovieLens)("is healthy once ready and serves the API", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const body = (await (await fetch(`${base}/api/suggest?q=matrix&limit=1`)).json()) as {
      results: { title: string }[];
    };
    expect(body.results[0]?.title).toBe("The Matrix");
  });

  it("serves Slack at /slack/events, checking Slack's signature", async () => {
    const body =
      "command=%2Frecommend&text=help&user_id=U1&channel_id=C1&team_id=T1&trigger_id=t.1&response_url=http%3A%2F%2F127.0.0.1%3A1%2Fr";
    const unsigned = await fetch(`${base}/slack/events`, { method: "POST", body });
    expect(unsigned.status).toBe(401);
    const ts = Math.floor(Date.now() / 1000).toString();
    const signature = `v0=${createHmac("sha256", slackSecret).update(`v0:${ts}:${body}`).digest("hex")}`;
    const signed = await fetch(`${base}/slack/events`, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": ts,
        "x-slack-signature": signature,
      },
    });
    expect(signed.status).toBe(200);
    expect(await signed.text()).toMatch(/recommend/i);
  });

  it("serves Discord at /discord/interactions, checking Discord's signature", async () => {
    const body = JSON.stringify({
      id: "1",
      application_id: "123456789012345678",
      type: 1,
      token: "t",
      version: 1,
    });
    const ts = Math.floor(Date.now() / 1000).toString();
    const headers = {
      "content-type": "application/json",
      "x-signature-timestamp": ts,
      "x-signature-ed25519": sign(null, Buffer.from(ts + body), discordKeys.privateKey).toString(
        "hex",
      ),
    };
    const pong = await fetch(`${base}/discord/interactions`, { method: "POST", body, headers });
    expect(pong.status).toBe(200);
    expect(await pong.json()).toEqual({ type: 1 });
    const forged = await fetch(`${base}/discord/interactions`, {
      method: "POST",
      body: body.replace('"t"', '"u"'),
      headers,
    });
    expect(forged.status).toBe(401);
  });

  it("wires movie nights into Discord: /movienight answers instead of saying they are off", async () => {
    const body = JSON.stringify({
      id: "2",
      application_id: "123456789012345678",
      type: 2,
      token: "t2",
      version: 1,
      channel_id: "222222222222222222",
      guild_id: "333333333333333333",
      member: { user: { id: "444444444444444444", username: "ada", discriminator: "0" } },
      data: { id: "9", name: "movienight", type: 1, options: [{ name: "help", type: 1 }] },
    });
    const ts = Math.floor(Date.now() / 1000).toString();
    const signature = sign(null, Buffer.from(ts + body), discordKeys.privateKey).toString("hex");
    const res = await fetch(`${base}/discord/interactions`, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-signature-timestamp": ts,
        "x-signature-ed25519": signature,
      },
    });
    const answer = (await res.json()) as { data: { content: string } };
    expect(answer.data.content).toContain("**/movienight start**");
    expect(answer.data.content).toContain("Send Polls");
  });
});
