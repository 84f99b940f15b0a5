import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../bot/config.ts";

describe("Slack settings", () => {
  it("leaves Slack off unless both the signing secret and the bot token are set", () => {
    expect(loadConfig({}).slack).toBeUndefined();
    expect(loadConfig({ SLACK_BOT_TOKEN: "xoxb-1" }).slack).toBeUndefined();
    expect(loadConfig({ SLACK_SIGNING_SECRET: "s", SLACK_BOT_TOKEN: "" }).slack).toBeUndefined();
  });

  it("passes the tokens, the API base and the defaults through", () => {
    const { slack } = loadConfig({
      SLACK_SIGNING_SECRET: "s",
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_APP_TOKEN: "xapp-1",
      SLACK_API_URL: "http://127.0.0.1:9/api/",
    });
    expect(slack).toEqual({
      signingSecret: "s",
      botToken: "xoxb-1",
      appToken: "xapp-1",
      apiUrl: "http://127.0.0.1:9/api/",
      optionsBudgetMs: 2500,
      resultLimit: 8,
    });
  });

  it("refuses an options budget Slack's 3-second window cannot fit, naming the variable", () => {
    expect(() => loadConfig({ SLACK_OPTIONS_BUDGET_MS: "5000" })).toThrow(ConfigError);
    expect(() => loadConfig({ SLACK_OPTIONS_BUDGET_MS: "5000" })).toThrow(
      "SLACK_OPTIONS_BUDGET_MS",
    );
    const on = { SLACK_SIGNING_SECRET: "s", SLACK_BOT_TOKEN: "xoxb-1" };
    expect(loadConfig({ ...on, SLACK_RESULT_LIMIT: "3" }).slack?.resultLimit).toBe(3);
  });
});

describe("Discord and Redis settings", () => {
  const discord = { DISCORD_APPLICATION_ID: "123", DISCORD_BOT_TOKEN: "bot" };

  it("turns Discord on over HTTP only with the public key that checks Discord's signature", () => {
    expect(loadConfig(discord).discord).toBeUndefined();
    expect(loadConfig({ ...discord, DISCORD_PUBLIC_KEY: "ab" }).discord).toEqual({
      applicationId: "123",
      botToken: "bot",
      mode: "http",
      publicKey: "ab",
    });
  });

  it("runs the gateway without a public key", () => {
    expect(loadConfig({ ...discord, DISCORD_MODE: "gateway" }).discord?.mode).toBe("gateway");
  });

  it("has a Redis section exactly when REDIS_URL is set, and one queue section always", () => {
    expect(loadConfig({}).redis).toBeUndefined();
    const config = loadConfig({ REDIS_URL: "redis://127.0.0.1:6379", RUN_WORKER: "false" });
    expect(config.redis).toEqual({ url: "redis://127.0.0.1:6379", runWorker: false });
    expect(config.queue.name).toBe("moviebot-jobs");
    expect(loadConfig({ QUEUE_CONCURRENCY: "3" }).queue.concurrency).toBe(3);
  });
});
