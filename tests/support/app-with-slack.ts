import pino from "pino";
import { type AppOverrides, type RunningApp, startApp } from "../../bot/app.ts";
import { loadConfig } from "../../bot/config.ts";
import { SIGNING_SECRET } from "../bot/slack/support/signed-requests.ts";
import { startLocalServer } from "./local-server.ts";
import { slackServing } from "./slack-ready.ts";

export interface AppWithSlack {
  app: RunningApp;
  /** http://127.0.0.1:<port> of the app. */
  base: string;
  /** The Slack stand-in: its Web API answers auth.test, and it records every response_url POST. */
  slack: Awaited<ReturnType<typeof startLocalServer>>;
  close(): Promise<void>;
}

/**
 * `npm start` as the composition root builds it (startApp on a parsed config), with Slack on and
 * pointed at a local stand-in, started and serving /slack/events; `env` adds or overrides
 * settings (REDIS_URL, QUEUE_NAME, Discord's …; a function of the stand-in's URL when they point
 * at it), `overrides` replaces the core for a tiny one.
 */
export async function startAppWithSlack(
  env: Record<string, string> | ((slackUrl: string) => Record<string, string>),
  overrides: AppOverrides = {},
): Promise<AppWithSlack> {
  const slack = await startLocalServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ ok: true, user_id: "U1", team_id: "T1", bot_id: "B1" }));
  });
  const config = loadConfig({
    PORT: "0",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_API_URL: `${slack.url}/api/`,
    SLACK_RESPONSE_URL_ORIGINS: slack.url,
    QUEUE_METRICS_LOG_MS: "0",
    ...(typeof env === "function" ? env(slack.url) : env),
  });
  const app = await startApp(config, pino({ level: "silent" }), overrides);
  await app.ready;
  const base = `http://127.0.0.1:${app.port}`;
  await slackServing(base);
  return {
    app,
    base,
    slack,
    async close() {
      await app.close();
      await slack.close();
    },
  };
}
