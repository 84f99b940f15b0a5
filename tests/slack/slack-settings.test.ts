import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../bot/config.ts";
import { slackSettings } from "../../bot/slack/slack-settings.ts";

describe("Slack settings", () => {
  it("leaves Slack off unless both the signing secret and the bot token are set", () => {
    expect(slackSettings(loadConfig({}))).toBeNull();
    expect(slackSettings(loadConfig({ SLACK_BOT_TOKEN: "xoxb-1" }))).toBeNull();
    expect(
      slackSettings(loadConfig({ SLACK_SIGNING_SECRET: "s", SLACK_BOT_TOKEN: "" })),
    ).toBeNull();
  });

  it("passes the tokens, the API base and the defaults through", () => {
    const settings = slackSettings(
      loadConfig({
        SLACK_SIGNING_SECRET: "s",
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_APP_TOKEN: "xapp-1",
        SLACK_API_URL: "http://127.0.0.1:9/api/",
      }),
    );
    expect(settings).toEqual({
      signingSecret: "s",
      botToken: "xoxb-1",
      appToken: "xapp-1",
      apiUrl: "http://127.0.0.1:9/api/",
      optionsBudgetMs: 2500,
      resultLimit: 8,
      responseUrlOrigins: ["https://hooks.slack.com"],
    });
  });

  it("refuses an options budget Slack's 3-second window cannot fit, naming the variable", () => {
    expect(() => loadConfig({ SLACK_OPTIONS_BUDGET_MS: "5000" })).toThrow(ConfigError);
    expect(() => loadConfig({ SLACK_OPTIONS_BUDGET_MS: "5000" })).toThrow(
      "SLACK_OPTIONS_BUDGET_MS",
    );
    expect(loadConfig({ SLACK_RESULT_LIMIT: "3" }).SLACK_RESULT_LIMIT).toBe(3);
  });
});
