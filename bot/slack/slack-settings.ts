import type { Config } from "../config.ts";
import type { SlackAppDeps } from "./slack-app.ts";

export type SlackSettings = Pick<
  SlackAppDeps,
  | "signingSecret"
  | "botToken"
  | "appToken"
  | "apiUrl"
  | "optionsBudgetMs"
  | "resultLimit"
  | "responseUrlOrigins"
>;

/** The Slack part of the config for createSlackApp; null when Slack is off (secret or token unset). */
export function slackSettings(config: Config): SlackSettings | null {
  if (!config.SLACK_SIGNING_SECRET || !config.SLACK_BOT_TOKEN) return null;
  return {
    signingSecret: config.SLACK_SIGNING_SECRET,
    botToken: config.SLACK_BOT_TOKEN,
    ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
    ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
    optionsBudgetMs: config.SLACK_OPTIONS_BUDGET_MS,
    resultLimit: config.SLACK_RESULT_LIMIT,
    responseUrlOrigins: config.SLACK_RESPONSE_URL_ORIGINS,
  };
}
